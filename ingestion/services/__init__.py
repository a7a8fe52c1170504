"""Ingestion services: from a raw article to a source, drafts and suggested citations, and their review."""
