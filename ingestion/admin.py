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
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from events import partial_dates
from events.admin.dates import HUMAN_DATE_HELP, HumanDateField, HumanDateInput
from events.admin.history import count
from events.models import Event
from events.presentation import event_representations
from events.search import search_events
from events.selectors.lookups import id_or_slug_lookup
from ingestion.models import Feed, Finding, IngestRun
from ingestion.services.articles import LANGUAGES, ArticleInput, ArticleRefused, decode_article
from ingestion.services.feeds import feed_poll
from ingestion.services.ingest import ingest_article
from ingestion.services.review import finding_approve, findings_decide, likely_duplicates
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

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        context = {"title": "Ingestions: every article ingested, newest first", **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

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
                if not data["dry_run"]:
                    form = IngestForm()  # ingested: an empty form for the next article, its report above
        context = {
            **self.admin_site.each_context(request),
            "title": "Ingest an article",
            "opts": self.model._meta,
            "form": form,
            "report": report,
            **(reviewable(report) if report is not None else {}),
            "queue_url": reverse("admin:ingestion_finding_changelist"),
        }
        return TemplateResponse(request, "admin/ingestion/ingest.html", context)


def reviewable(report: Any) -> dict[str, list[tuple[Any, str]]]:
    """The report's drafts and suggestions, each with the address of its review page ("" if decided)."""
    events = [item.event for item in [*report.drafts, *report.suggestions]]
    findings = Finding.objects.filter(
        event_id__in=events, source_id=report.source.get("id"), state=Finding.State.PENDING
    ).values_list("event_id", "pk")
    urls = {event: reverse("admin:ingestion_finding_change", args=[pk]) for event, pk in findings}
    return {
        "drafts": [(item, urls.get(item.event, "")) for item in report.drafts],
        "suggestions": [(item, urls.get(item.event, "")) for item in report.suggestions],
    }


# --- The review queue -----------------------------------------------------------------------------


class DraftEditForm(forms.Form):
    """A draft's words and date as the curator corrects them before approving: one click saves both."""

    # A draft is titled in its article's language; the event needs a title in at least one (the model says).
    title_en = forms.CharField(label="Title (English)", max_length=300, required=False)
    title_zh = forms.CharField(label="Title (simplified Chinese)", max_length=300, required=False)
    title_zh_hant = forms.CharField(label="Title (traditional Chinese)", max_length=300, required=False)
    date = HumanDateField(label="Date", max_length=64, help_text=HUMAN_DATE_HELP, widget=HumanDateInput())
    summary_en = forms.CharField(
        label="Summary (English)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def of(cls, event: Event, data: Any = None) -> DraftEditForm:
        initial = {name: getattr(event, name) for name in DRAFT_FIELDS}
        return cls(data, initial={**initial, "version": event.updated_at.isoformat()})


DRAFT_FIELDS = ("title_en", "title_zh", "title_zh_hant", "date", "summary_en")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        required=False,
        help_text="Optional: why, for the record (not the event of another article, wrong date...).",
    )


class MergeForm(forms.Form):
    into = forms.CharField(label="Merge into event", help_text="The existing event's id or slug.")

    def clean_into(self) -> Event:
        text = self.cleaned_data["into"].strip()
        event = Event.objects.filter(**id_or_slug_lookup(text)).first()
        if event is None:
            raise ValidationError(f"There is no event {text!r}: give an event's id or slug.")
        return event


# How many events the merge search lists.
MERGE_SEARCH_LIMIT = 10


def merge_candidates(query: str, exclude: Event) -> list[Event]:
    """Events to merge a draft into, found by title or actor (any script), slug, id or date."""
    query = query.strip()[:200]
    if not query:
        return []
    events = Event.objects.exclude(pk=exclude.pk)
    found = search_events(events, query) | events.filter(**id_or_slug_lookup(query))
    try:
        value = partial_dates.parse_human_date(query)
    except partial_dates.InvalidDate:
        pass
    else:
        found |= events.filter(date_start__lte=value.upper, date_end__gte=value.lower)
    return list(found.order_by(F("date_start").desc(nulls_last=True), "pk")[:MERGE_SEARCH_LIMIT])


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
    list_display = ("finding", "date", "event_link", "evidence", "source_title", "state")
    list_display_links = ("finding",)
    list_filter = (StateFilter, "kind", ("source", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("source", "event")
    search_fields = ("quote", "event__title_en", "event__title_zh", "source__title")
    search_help_text = "Words of the quote, the event's title or the source's title."
    actions = ["approve_findings", "reject_findings", "merge_findings"]
    change_form_template = "admin/ingestion/review.html"

    class Media:
        css = {"all": ["ingestion/admin/review.css"]}

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

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if "delete_selected" in actions:  # Django would say "Delete selected review queue"
            function, name, _ = actions["delete_selected"]  # type: ignore[misc]
            actions["delete_selected"] = (function, name, "Delete selected findings (administrators only)")
        return actions

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        context = {"title": "Review queue: choose a finding to review", **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    @admin.display(description="finding", ordering="kind")
    def finding(self, finding: Finding) -> str:
        return (
            "Review the new draft" if finding.kind == Finding.Kind.DRAFT else "Review the suggested citation"
        )

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

    @admin.display(description="source", ordering="source__title")
    def source_title(self, finding: Finding) -> str:
        return finding.source.title

    # --- One finding at a time: its page -------------------------------------------------------

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        finding = get_object_or_404(self.get_queryset(request), pk=object_id)
        forms_ = self._review_forms(request, finding)
        if request.method != "POST":
            return self._review_page(request, finding, forms_)
        if not self.has_change_permission(request, finding):
            raise PermissionDenied
        decision = request.POST.get("decision", "")
        if decision == "approve":
            edit = forms_["edit_form"]
            if edit is not None and edit.is_bound:
                if not edit.is_valid():
                    return self._review_page(request, finding, forms_, status=400)
                event = finding.event
                fields = {name: edit.cleaned_data[name] for name in DRAFT_FIELDS}
                changed = {name: value for name, value in fields.items() if getattr(event, name) != value}
                try:
                    finding_approve(
                        finding=finding,
                        user=request.user,
                        fields=changed,
                        version=edit.cleaned_data["version"],
                    )
                except ValidationError as error:
                    add_errors(edit, error)
                    return self._review_page(request, finding, forms_, status=400)
                return self._decided(request, finding, "approved")
        elif decision == "reject":
            reject = forms_["reject_form"]
            if not reject.is_valid():
                return self._review_page(request, finding, forms_, status=400)
            self._decide(request, [finding], "reject", reason=reject.cleaned_data["reason"])
            return self._next(request, finding)
        elif decision == "merge":
            merge = forms_["merge_form"]
            if not merge.is_valid():
                return self._review_page(request, finding, forms_, status=400)
            self._decide(request, [finding], "merge", merge.cleaned_data["into"])
            return self._next(request, finding)
        self._decide(request, [finding], decision)
        return self._next(request, finding)

    def _review_forms(self, request: HttpRequest, finding: Finding) -> dict[str, Any]:
        decision = request.POST.get("decision") if request.method == "POST" else None
        draft = finding.event if finding.kind == Finding.Kind.DRAFT and finding.event_id else None
        editing = decision == "approve" and "title_en" in request.POST
        return {
            "edit_form": DraftEditForm.of(draft, request.POST if editing else None) if draft else None,
            "reject_form": RejectForm(request.POST if decision == "reject" else None),
            "merge_form": MergeForm(request.POST if decision == "merge" else None),
        }

    def _decided(self, request: HttpRequest, finding: Finding, verb: str) -> HttpResponse:
        finding.refresh_from_db()
        if finding.event_id:
            url = reverse("admin:events_event_change", args=[finding.event_id])
            self.message_user(
                request,
                format_html('Finding {}: <a href="{}">{}</a> is published.', verb, url, finding.event),
                messages.SUCCESS,
            )
        return self._next(request, finding)

    def _next(self, request: HttpRequest, finding: Finding) -> HttpResponse:
        """On to the next finding waiting for review, or back to the queue when there is none."""
        waiting = Finding.objects.filter(state=Finding.State.PENDING).exclude(pk=finding.pk)
        following = waiting.filter(source=finding.source, quote_start__gte=finding.quote_start).first()
        following = following or waiting.first()
        if following is None:
            return HttpResponseRedirect(reverse("admin:ingestion_finding_changelist"))
        return HttpResponseRedirect(reverse("admin:ingestion_finding_change", args=[following.pk]))

    def _review_page(
        self, request: HttpRequest, finding: Finding, forms_: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        related = Finding.objects.filter(source=finding.source, event=finding.event).exclude(pk=finding.pk)
        marks = evidence_marks(finding)
        for other in related if finding.event_id else []:
            marks += evidence_marks(other)
        event = finding.event
        query = request.GET.get("q", "")
        is_draft = event is not None and finding.kind == Finding.Kind.DRAFT
        context = {
            **self.admin_site.each_context(request),
            **forms_,
            "title": f"Review the {finding.get_kind_display()}",
            "opts": self.model._meta,
            "finding": finding,
            "source_text": highlight(finding.source.text, marks),
            "can_decide": self.has_change_permission(request, finding)
            and finding.state == Finding.State.PENDING
            and event is not None,
            "is_draft": is_draft,
            "preview": public_preview(event, request.user) if event is not None else [],
            "duplicates": likely_duplicates(event=event) if is_draft and event is not None else [],
            "query": query,
            "candidates": merge_candidates(query, event) if is_draft and event is not None else [],
            "event_url": reverse("admin:events_event_change", args=[finding.event_id])
            if finding.event_id
            else "",
            "queue_url": reverse("admin:ingestion_finding_changelist"),
            "media": self.media + (forms_["edit_form"].media if forms_["edit_form"] else forms.Media()),
        }
        return TemplateResponse(request, self.change_form_template, context, status=status)

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
        self,
        request: HttpRequest,
        findings: list[Finding],
        action: str,
        into: Event | None = None,
        reason: str = "",
    ) -> None:
        done, refused = findings_decide(
            findings=findings, user=request.user, action=action, into=into, reason=reason
        )
        verb = {"approve": "approved", "reject": "rejected", "merge": "merged"}.get(action, action)
        if done:
            self.message_user(request, f"{count(len(done), 'finding')} {verb}.", messages.SUCCESS)
        if refused:
            reasons = format_html_join(
                "", "<li>{}: {}</li>", ((str(item), reason) for item, reason in refused.items())
            )
            self.message_user(
                request,
                format_html("{} refused:<ul>{}</ul>", count(len(refused), "finding"), reasons),
                messages.WARNING,
            )


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has it, else above it."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def public_preview(event: Event, user: Any) -> list[dict[str, Any]]:
    """The event as the public will read it once published, in English and in simplified Chinese."""
    rows = Event.objects.filter(pk=event.pk)
    return [
        {"language": label, **event_representations(rows, language=language, user=user)[0]}
        for language, label in (("en", "English"), ("zh-hans", "简体中文"))
    ]


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
