"""One pure renderer per feed format: event representations (dicts) in, a document or a stream out.

The renderers know nothing of requests or the database, and none imports another.
"""
