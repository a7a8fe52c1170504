"""The ingestion endpoint of the REST API, mounted by events/api/urls.py at /api/v1/sources/ingest/."""
