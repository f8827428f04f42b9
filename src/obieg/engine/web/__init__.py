"""The engine's pages: inbox, tasks, the team view, cases with live diagrams, processes."""
