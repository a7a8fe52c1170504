"""Reads: the queries that views, feeds and commands share."""
