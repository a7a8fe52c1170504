"""The Timeline project: settings, URLs and the WSGI/ASGI entry points."""
