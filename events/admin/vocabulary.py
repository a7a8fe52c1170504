"""The admin of tags and locations."""

from __future__ import annotations

from django.contrib import admin

from events.admin.history import HistoryAdmin
from events.admin.search import ScriptAwareSearchMixin
from events.models import (
    Location,
    Tag,
)


@admin.register(Tag)
class TagAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("name_en", "name_zh", "slug")
    search_fields = ("name_en", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("created_at", "updated_at")


@admin.register(Location)
class LocationAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("name_en", "name_zh", "latitude", "longitude", "slug")
    search_fields = ("name_en", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("created_at", "updated_at")
