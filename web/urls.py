"""The public page's URL."""

from django.urls import path

from web import views

app_name = "web"

urlpatterns = [path("", views.timeline_page, name="timeline")]
