"""The engine's REST API under /api/engine/ (namespace "engine-api")."""
