"""Ingestion: from a raw article to reviewed draft events (cleaning, date extraction, matching, tasks)."""
