"""Changing running cases: the diff of two process versions and moving cases between them (#15)."""
