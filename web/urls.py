"""The public pages' URLs."""

from django.urls import path

from web import views

app_name = "web"

urlpatterns = [
    path("", views.timeline_page, name="timeline"),
    path("embed/", views.embed_page, name="embed"),
    path("actors/<slug:slug>/", views.actor_page, name="actor"),
]
