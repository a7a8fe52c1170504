"""Feed URLs, mounted at /api/v1/feeds/."""

from django.urls import path

from feeds import views

app_name = "feeds"

urlpatterns = [
    path("timelinejs/", views.TimelineJSFeed.as_view(), name="timelinejs"),
    path("vis/", views.VisFeed.as_view(), name="vis"),
    path("ics/", views.ICalendarFeed.as_view(), name="ics"),
    path("csv/", views.CsvFeed.as_view(), name="csv"),
    path("ndjson/", views.NdjsonFeed.as_view(), name="ndjson"),
    path("jsonld/", views.JsonLdFeed.as_view(), name="jsonld"),
]
