"""URLs of the REST API, version 1 (mounted at /api/v1/): the resources, the schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from events.api import views
from events.api.changes import ChangeFeedView
from events.api.histogram import EventHistogramView

app_name = "api"

router = DefaultRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("sources", views.SourceViewSet, basename="source")
router.register("locations", views.LocationViewSet, basename="location")
router.register("tags", views.TagViewSet, basename="tag")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs page and its assets are served locally (drf-spectacular-sidecar): it works offline.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    # Before the router: "histogram" would otherwise be read as an event's slug.
    path("events/histogram/", EventHistogramView.as_view(), name="event-histogram"),
    path("sources/ingest/", include("ingestion.api.urls")),  # before the router's sources/<id>/
    *router.urls,
]
