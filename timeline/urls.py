"""URL configuration: the public timeline page, the curation admin, the REST API and its feeds."""

from django.contrib import admin
from django.urls import include, path, re_path

from events.api.exceptions import api_not_found

urlpatterns = [
    path("", include("web.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/feeds/", include("feeds.urls")),
    path("api/v1/", include("events.api.urls")),
    re_path(r"^api/", api_not_found),  # any other /api/ URL: a JSON 404, whatever DEBUG says
]

# JSON for /api/ paths, Django's pages elsewhere.
handler400 = "events.api.exceptions.bad_request"
handler404 = "events.api.exceptions.not_found"
handler500 = "events.api.exceptions.server_error"
