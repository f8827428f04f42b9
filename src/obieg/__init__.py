"""Obieg: a process-driven CRM for Polish small and mid-sized companies."""
