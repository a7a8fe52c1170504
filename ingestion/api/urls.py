"""The ingestion route, included by events/api/urls.py (so its name is ``api:source-ingest``)."""

from django.urls import path

from ingestion.api.views import IngestView

urlpatterns = [path("", IngestView.as_view(), name="source-ingest")]
