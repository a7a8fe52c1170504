"""Input and output shapes of POST /api/v1/sources/ingest/."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ingestion.services.articles import LANGUAGES, MAX_ARTICLE_CHARACTERS, ArticleInput


class IngestInputSerializer(serializers.Serializer):
    """An article to ingest: its captured text, and what the text may not say about itself."""

    text = serializers.CharField(
        trim_whitespace=False,
        max_length=MAX_ARTICLE_CHARACTERS,
        help_text="The article as captured (UTF-8 text, page junk and all). The service fetches nothing: "
        "give the text even when you give the URL.",
    )
    url = serializers.URLField(required=False, allow_blank=True, help_text="The article's web address.")
    publisher = serializers.CharField(
        required=False, allow_blank=True, help_text="The publisher: an actor's slug or any of its names."
    )
    published = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Publication date, ISO (2025-07-26 or 2025-07-28T09:21:07); default: read from the text.",
    )
    language = serializers.ChoiceField(choices=list(LANGUAGES), default="auto")
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="The article's headline; default: read from the text.",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Report what would be created; write nothing."
    )
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="A label for the run."
    )

    def to_article(self) -> ArticleInput:
        data: dict[str, Any] = self.validated_data
        return ArticleInput(
            text=data["text"],
            name=data.get("name", "") or "sent to the API",
            url=data.get("url") or None,
            publisher=data.get("publisher", ""),
            published=data.get("published", ""),
            language=data["language"],
            title=data.get("title", ""),
        )


class IngestedSourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    created = serializers.BooleanField(
        help_text="False when the article was stored already (same URL or text)."
    )


class IngestedDraftSerializer(serializers.Serializer):
    event = serializers.IntegerField(help_text="The new draft event's id.")
    slug = serializers.CharField()
    date = serializers.CharField(help_text="EDTF.")
    quote = serializers.CharField(help_text="The supporting sentence, verbatim from the source.")
    actors = serializers.ListField(child=serializers.CharField(), help_text="Slugs of the actors it names.")
    repeats = serializers.IntegerField(help_text="Other sentences of the article stating the same happening.")
    title = serializers.CharField(help_text="The draft's headline, in the article's language.")
    type = serializers.CharField(help_text="The draft's event type.")
    proposed_actors = serializers.ListField(
        child=serializers.CharField(), help_text="New actors it names, created when the draft is approved."
    )


class IngestedSuggestionSerializer(serializers.Serializer):
    finding = serializers.IntegerField(
        allow_null=True, help_text="The review queue entry (null in a dry run)."
    )
    event = serializers.IntegerField(help_text="The existing event the article also reports.")
    slug = serializers.CharField()
    title = serializers.CharField()
    date = serializers.CharField()
    quote = serializers.CharField()
    score = serializers.FloatField(help_text="How much of the sentence the event's text shares (0–1).")


class IngestReportSerializer(serializers.Serializer):
    """What one ingestion created (or, in a dry run, would create)."""

    name = serializers.CharField()
    status = serializers.CharField(help_text="ingested, unchanged (nothing new) or dry run.")
    source = IngestedSourceSerializer()  # type: ignore[assignment]  # a field named like Field.source
    published = serializers.CharField(help_text="The publication date the article's dates were read against.")
    language = serializers.CharField()
    drafts = IngestedDraftSerializer(many=True)
    suggestions = IngestedSuggestionSerializer(many=True)
    already_known = serializers.IntegerField(help_text="Happenings already cited or already reviewed.")
    notes = serializers.ListField(child=serializers.CharField())
