"""Tests of the REST API, one module per resource or concern."""
