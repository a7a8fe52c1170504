"""What ingestion remembers: each run over an article, and each dated happening it found for review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from events.models import Event, Source


class IngestRun(models.Model):
    """One ingestion of one article: who ran it, on what text, and what came of it.

    A run is keyed by the SHA-256 of the article's text. At most one run per key is ``running`` at a
    time (a partial unique constraint), which is how the same article is refused while it is being
    ingested elsewhere; a run left ``running`` by a crashed process is given up after a while.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "running"
        SUCCEEDED = "succeeded", "succeeded"
        FAILED = "failed", "failed"
        ABANDONED = "abandoned", "abandoned (its process stopped)"

    key = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the article's text.")
    name = models.CharField(max_length=300, blank=True, help_text="The file name or label it came with.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True, help_text="What was created and suggested.")
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "ingestion"
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status="running"),
                name="ingest_run_one_running_per_article",
                violation_error_message="This article is being ingested already.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or self.key[:12]} ({self.get_status_display()})"


class Finding(models.Model):
    """A dated happening found in a source by ingestion, waiting for a curator's decision.

    A finding either made a new draft event (``kind=draft``) or, where the record already holds that
    happening, suggests citing the source for it (``kind=suggestion``). Findings outlive rejected
    drafts, so that ingesting the same article again does not bring back what a curator turned down.
    """

    class Kind(models.TextChoices):
        DRAFT = "draft", "new draft event"
        SUGGESTION = "suggestion", "suggested citation of an existing event"

    class State(models.TextChoices):
        PENDING = "pending", "waiting for review"
        ACCEPTED = "accepted", "accepted"
        MERGED = "merged", "merged into another event"  # by a curator, or by ingestion for a repeat
        REJECTED = "rejected", "rejected"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="findings")
    run = models.ForeignKey(
        IngestRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    date = models.CharField(max_length=64, help_text="The happening's date, EDTF.")
    mention = models.CharField(max_length=200, help_text="The date as the source writes it.")
    mention_start = models.PositiveIntegerField(help_text="Offset of the date mention in the source text.")
    mention_end = models.PositiveIntegerField()
    quote_start = models.PositiveIntegerField(
        help_text="Offset of the supporting sentence in the source text."
    )
    quote_end = models.PositiveIntegerField()
    quote = models.TextField(help_text="The supporting sentence, verbatim from the source.")
    score = models.FloatField(default=0, help_text="How closely a suggestion matches its event (0–1).")
    proposed_actors = models.JSONField(
        default=list,
        blank=True,
        help_text="New actors the sentence names, created when the draft is approved.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(
        max_length=500, blank=True, help_text="Why it was rejected, in the curator's words."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "quote_start", "mention_start"]
        verbose_name = "finding"
        verbose_name_plural = "review queue"
        constraints = [
            # One finding per sentence and date: ingesting the article again finds it and adds nothing.
            models.UniqueConstraint(fields=["source", "quote_start", "date"], name="finding_unique_happening")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.date} — {self.quote[:40]}"


class Feed(models.Model):
    """An RSS or Atom feed a curator follows: polled on its own schedule, each new item ingested once."""

    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=300, blank=True, help_text="Read from the feed when left empty.")
    publisher = models.ForeignKey(
        "events.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The outlet whose articles the feed lists; else read from each page.",
    )
    language = models.CharField(
        max_length=8,
        default="auto",
        choices=[("auto", "auto"), ("zh-Hans", "zh-Hans"), ("zh-Hant", "zh-Hant"), ("en", "en")],
    )
    poll_every_minutes = models.PositiveIntegerField(default=60, help_text="How often the feed is read.")
    active = models.BooleanField(default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.title or self.url


class FeedItem(models.Model):
    """One item of a feed, recorded once it is ingested: it is never ingested again."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=1000, help_text="The item's id in the feed, else its link.")
    url = models.URLField(max_length=1000, blank=True)
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ingested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ingested_at"]
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="feed_item_once")]

    def __str__(self) -> str:
        return self.url or self.guid
