"""The admin of actors and their aliases."""

from __future__ import annotations

from django.contrib import admin

from events.admin.history import HistoryAdmin
from events.admin.search import RecordSearchMixin, ScriptAwareSearchMixin
from events.models import (
    Actor,
    ActorAlias,
)
from events.search import search_actors


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1
    show_change_link = True  # each alias has its own history page


@admin.register(Actor)
class ActorAdmin(RecordSearchMixin, HistoryAdmin):
    record_search = staticmethod(search_actors)
    list_display = ("name_en", "name_zh", "kind", "slug", "wikidata_id")
    list_filter = ("kind",)
    search_fields = ("name_en", "name_zh", "slug", "aliases__name")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = [ActorAliasInline]
    child_histories = [(ActorAlias, "actor")]


@admin.register(ActorAlias)
class ActorAliasAdmin(ScriptAwareSearchMixin, HistoryAdmin):
    list_display = ("name", "actor", "language", "script")
    list_filter = ("language", "script")
    list_select_related = ("actor",)
    search_fields = ("name", "actor__name_en", "actor__name_zh")
    autocomplete_fields = ("actor",)
    readonly_fields = ("created_at", "updated_at")
