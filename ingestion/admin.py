"""The curation desk for ingestion: paste or upload an article, and the review queue of what it found.

"Ingestions" lists every run; its add page is the paste/upload form, which calls the same service as
the command and the API. "Review queue" lists the findings waiting for a curator: each new draft or
suggested citation with its evidence highlighted in the source text (every character of which is
escaped: a captured page is hostile input), to approve, edit, merge into an existing event or reject,
one at a time on its page or many at once with the list's actions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from events.models import Event
from events.selectors.lookups import id_or_slug_lookup
from ingestion.models import Feed, Finding, IngestRun
from ingestion.services.articles import LANGUAGES, ArticleInput, ArticleRefused, decode_article
from ingestion.services.feeds import feed_poll
from ingestion.services.ingest import ingest_article
from ingestion.services.review import findings_decide
from ingestion.services.web import article_input_from_page, article_input_from_url

# How much source text the queue's list shows around a finding's date.
SNIPPET_CONTEXT = 40


def can_ingest(user: Any) -> bool:
    return user.is_active and user.has_perm("events.add_source") and user.has_perm("events.add_event")


def can_review(user: Any) -> bool:
    return user.is_active and user.has_perm("events.change_event") and user.has_perm("events.delete_event")


# --- Evidence, escaped and highlighted ------------------------------------------------------------


def highlight(text: str, marks: list[tuple[int, int, str]]) -> SafeString:
    """``text`` escaped, with each ``(start, end, tag)`` span wrapped in ``<tag>`` (``mark`` or ``strong``).

    Spans nest (a date inside its sentence) or stand apart; the text is escaped piece by piece, so that
    no character of it can open a tag.
    """
    boundaries: dict[int, list[str]] = {}
    for start, end, tag in sorted(marks, key=lambda mark: (mark[0], -mark[1])):
        if 0 <= start < end <= len(text):
            boundaries.setdefault(start, []).append(f'<{tag} class="evidence">')
            boundaries.setdefault(end, []).insert(0, f"</{tag}>")
    pieces: list[str] = []
    position = 0
    for offset in sorted(boundaries):
        pieces.append(escape(text[position:offset]))
        # Closing tags first: a span that ends here closes before one that starts here opens.
        tags = boundaries[offset]
        pieces.extend(tag for tag in tags if tag.startswith("</"))
        pieces.extend(tag for tag in tags if not tag.startswith("</"))
        position = offset
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))


def evidence_marks(finding: Finding) -> list[tuple[int, int, str]]:
    return [
        (finding.quote_start, finding.quote_end, "mark"),
        (finding.mention_start, finding.mention_end, "strong"),
    ]


# --- Ingesting from the admin ---------------------------------------------------------------------


class IngestForm(forms.Form):
    """Paste the article, upload its file (text or a saved web page), or give its link; say what the page
    does not."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "style": "font-family: monospace; width: 90%"}),
        required=False,
        strip=False,
        help_text="The article as captured, page junk and all. Or upload it, or give only its link, below.",
    )
    upload = forms.FileField(required=False, help_text="A UTF-8 text file, or an HTML page as saved.")
    url = forms.URLField(
        label="URL",
        required=False,
        assume_scheme="https",
        help_text="The article's address. Given alone, the page is fetched and its article read from it.",
    )
    title = forms.CharField(
        required=False,
        max_length=500,
        help_text="The article's headline; leave empty to read it from the page.",
    )
    publisher = forms.CharField(required=False, help_text="An actor's slug or any of its names.")
    published = forms.CharField(
        required=False, help_text="ISO date or date-time (2025-07-26); leave empty to read it from the page."
    )
    language = forms.ChoiceField(choices=[(code, code) for code in LANGUAGES], initial="auto")
    dry_run = forms.BooleanField(required=False, help_text="Show what would be created; write nothing.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("upload")
        if upload is not None and data.get("text", "").strip():
            raise ValidationError("Paste the text or upload a file, not both.")
        if upload is not None:
            if upload.size is not None and upload.size > settings.FILE_UPLOAD_MAX_BYTES:
                limit = settings.FILE_UPLOAD_MAX_BYTES // (1024 * 1024)
                message = f"{upload.name} is larger than {limit} MB: an article is smaller. Split the file."
                raise ValidationError({"upload": message})
            data["upload_bytes"] = upload.read()
            data["name"] = upload.name
        elif not data.get("text", "").strip() and not data.get("url"):
            raise ValidationError("Paste the article's text, upload its file or give its link.")
        return data

    def article(self) -> ArticleInput:
        """The article the form describes (a link alone is fetched now), or :class:`ArticleRefused`."""
        data = self.cleaned_data
        options = {
            "publisher": data["publisher"],
            "published": data["published"],
            "language": data["language"],
            "title": data["title"],
        }
        if "upload_bytes" in data:
            raw, name = data["upload_bytes"], data["name"]
            if name.lower().endswith((".html", ".htm", ".xhtml")) or raw.lstrip()[:1] == b"<":
                return article_input_from_page(raw, name=name, url=data["url"] or None, **options)
            return ArticleInput(text=decode_article(raw, name), name=name, url=data["url"] or None, **options)
        if not data.get("text", "").strip():
            return article_input_from_url(data["url"], **options)
        return ArticleInput(text=data["text"], name="pasted in the admin", url=data["url"] or None, **options)


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "name", "status", "source", "user", "message")
    list_filter = ("status",)
    list_select_related = ("source", "user")
    readonly_fields = (
        "key",
        "name",
        "status",
        "source",
        "user",
        "started_at",
        "finished_at",
        "report",
        "message",
    )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("events.view_event")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_ingest(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser  # clearing the log of runs is an administrator's job

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        """The paste/upload form: ingest, then show what came of it and link to the review queue."""
        if not can_ingest(request.user):
            raise PermissionDenied
        report = None
        form = IngestForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                article = form.article()
                report = ingest_article(article=article, user=request.user, dry_run=data["dry_run"])
            except ArticleRefused as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                self.message_user(request, report.summary, messages.SUCCESS)
        context = {
            **self.admin_site.each_context(request),
            "title": "Ingest an article",
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "queue_url": reverse("admin:ingestion_finding_changelist"),
        }
        return TemplateResponse(request, "admin/ingestion/ingest.html", context)


# --- The review queue -----------------------------------------------------------------------------


class MergeForm(forms.Form):
    into = forms.CharField(label="Merge into event", help_text="The existing event's id or slug.")

    def clean_into(self) -> Event:
        text = self.cleaned_data["into"].strip()
        event = Event.objects.filter(**id_or_slug_lookup(text)).first()
        if event is None:
            raise ValidationError(f"There is no event {text!r}: give an event's id or slug.")
        return event


class StateFilter(admin.SimpleListFilter):
    """The queue opens on what waits for review; the decided findings are a click away."""

    title = "state"
    parameter_name = "state"
    ANY = "any"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*Finding.State.choices, (self.ANY, "any state")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or Finding.State.PENDING
        return queryset if value == self.ANY else queryset.filter(state=value)

    def choices(self, changelist: Any) -> Any:
        current = self.value() or Finding.State.PENDING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("kind", "date", "event_link", "evidence", "source", "state")
    list_filter = (StateFilter, "kind", ("source", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("source", "event")
    search_fields = ("quote", "event__title_en", "event__title_zh", "source__title")
    actions = ["approve_findings", "reject_findings", "merge_findings"]
    change_form_template = "admin/ingestion/review.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("source", "event", "decided_by")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("events.view_event")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_ingest(request.user)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        """Findings come from ingesting an article: "add" is the paste/upload form."""
        return self.admin_site._registry[IngestRun].add_view(request, form_url, extra_context)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_review(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Curators reject rather than delete (a rejection is remembered); an administrator may clear one.
        return request.user.is_superuser

    @admin.display(description="event")
    def event_link(self, finding: Finding) -> str:
        if finding.event is None:
            return "—"
        url = reverse("admin:events_event_change", args=[finding.event_id])
        event = finding.event
        title = event.title_en or event.title_zh or event.title_zh_hant
        return format_html('<a href="{}">{}</a> ({})', url, title, event.status)

    @admin.display(description="evidence")
    def evidence(self, finding: Finding) -> str:
        start = max(finding.quote_start, finding.mention_start - SNIPPET_CONTEXT)
        end = min(finding.quote_end, finding.mention_end + SNIPPET_CONTEXT)
        text = finding.source.text[start:end]
        marks = [(finding.mention_start - start, finding.mention_end - start, "strong")]
        return format_html("…{}…", highlight(text, marks))

    # --- One finding at a time: its page -------------------------------------------------------

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        finding = get_object_or_404(self.get_queryset(request), pk=object_id)
        merge_form = MergeForm(request.POST if request.POST.get("decision") == "merge" else None)
        if request.method == "POST":
            if not self.has_change_permission(request, finding):
                raise PermissionDenied
            decision = request.POST.get("decision", "")
            into = None
            if decision == "merge":
                if not merge_form.is_valid():
                    return self._review_page(request, finding, merge_form)
                into = merge_form.cleaned_data["into"]
            self._decide(request, [finding], decision, into)
            return HttpResponseRedirect(reverse("admin:ingestion_finding_changelist"))
        return self._review_page(request, finding, merge_form)

    def _review_page(self, request: HttpRequest, finding: Finding, merge_form: MergeForm) -> HttpResponse:
        related = Finding.objects.filter(source=finding.source, event=finding.event).exclude(pk=finding.pk)
        marks = evidence_marks(finding)
        for other in related if finding.event_id else []:
            marks += evidence_marks(other)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review: {finding.get_kind_display()}",
            "opts": self.model._meta,
            "finding": finding,
            "source_text": highlight(finding.source.text, marks),
            "merge_form": merge_form,
            "can_decide": self.has_change_permission(request, finding)
            and finding.state == Finding.State.PENDING
            and finding.event_id is not None,
            "event_url": reverse("admin:events_event_change", args=[finding.event_id])
            if finding.event_id
            else "",
            "queue_url": reverse("admin:ingestion_finding_changelist"),
        }
        return TemplateResponse(request, self.change_form_template, context)

    # --- Many at once: the list's actions ------------------------------------------------------

    @admin.action(
        description="Approve selected (publish drafts, add suggested citations)", permissions=["change"]
    )
    def approve_findings(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, list(queryset), "approve")

    @admin.action(description="Reject selected (delete drafts, dismiss suggestions)", permissions=["change"])
    def reject_findings(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, list(queryset), "reject")

    @admin.action(description="Merge selected drafts into an existing event…", permissions=["change"])
    def merge_findings(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = MergeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._decide(request, list(queryset), "merge", form.cleaned_data["into"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge drafts into an existing event",
            "opts": self.model._meta,
            "findings": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/ingestion/merge.html", context)

    def _decide(
        self, request: HttpRequest, findings: list[Finding], action: str, into: Event | None = None
    ) -> None:
        done, refused = findings_decide(findings=findings, user=request.user, action=action, into=into)
        verb = {"approve": "approved", "reject": "rejected", "merge": "merged"}.get(action, action)
        if done:
            self.message_user(request, f"{len(done)} finding(s) {verb}.", messages.SUCCESS)
        if refused:
            reasons = format_html_join(
                "", "<li>{}: {}</li>", ((str(item), reason) for item, reason in refused.items())
            )
            self.message_user(
                request,
                format_html("{} finding(s) refused:<ul>{}</ul>", len(refused), reasons),
                messages.WARNING,
            )


# --- Feeds ----------------------------------------------------------------------------------------


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    """The RSS and Atom feeds curators follow; Celery beat polls each on its own interval."""

    list_display = ("__str__", "publisher", "poll_every_minutes", "active", "last_polled_at", "item_count")
    list_filter = ("active",)
    search_fields = ("url", "title")
    autocomplete_fields = ("publisher",)
    readonly_fields = ("last_polled_at", "last_error")
    actions = ("poll_now",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("publisher").annotate(item_total=Count("items"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_ingest(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_ingest(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_ingest(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_ingest(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_ingest(request.user)

    @admin.display(description="items ingested", ordering="item_total")
    def item_count(self, feed: Feed) -> int:
        return getattr(feed, "item_total", 0)

    @admin.action(description="Poll the selected feeds now")
    def poll_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        for feed in queryset:
            report = feed_poll(feed=feed, user=request.user)
            text = f"Feed {feed}: {len(report.ingested)} new item(s) ingested, {report.already} already in"
            if report.failed or feed.last_error:
                self.message_user(request, f"{text}; problems: {feed.last_error}", messages.WARNING)
            else:
                self.message_user(request, text, messages.SUCCESS)
