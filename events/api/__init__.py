"""The REST API, version 1: serializers, views, URLs, pagination, language and error handling."""
