"""Internals of the course stand-in for Dagster (not part of the real package)."""
