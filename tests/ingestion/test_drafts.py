"""Drafts a curator can publish as they come, and one event per happening across languages and scripts."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from events.models import Actor, Event, Source
from ingestion.drafting import event_type, headline
from ingestion.models import Finding
from ingestion.services.articles import ArticleInput
from ingestion.services.ingest import ingest_article
from ingestion.services.review import finding_approve
from tests.factories import ActorAliasFactory, ActorFactory


def actor(slug: str, kind: str, name_en: str, *names: tuple[str, str, str]) -> Actor:
    """An actor of the record with aliases given as (name, language, script)."""
    record = ActorFactory(slug=slug, kind=kind, name_en=name_en, name_zh=names[0][0] if names else "")
    for name, language, script in ((name_en, "en", "Latn"), *names):
        ActorAliasFactory(actor=record, name=name, language=language, script=script)
    return record


def ingest(text: str, published: str, user: Any, **options: Any) -> Any:
    return ingest_article(article=ArticleInput(text=text, published=published, **options), user=user)


# --- Headlines and types -------------------------------------------------------------------------


def test_a_long_english_sentence_is_cut_at_a_clause_never_mid_word() -> None:
    sentence = (
        "The European Parliament on Wednesday approved the world's first comprehensive rules for artificial "
        "intelligence, after lawmakers reached a provisional agreement with member states in December on "
        "the accordingly revised text."
    )
    title = headline(sentence)

    assert title == (
        "The European Parliament on Wednesday approved the world's first comprehensive rules for artificial "
        "intelligence"
    )
    assert len(headline("word " * 60)) <= 111 and not headline("word " * 60).endswith("wor…")


def test_a_chinese_headline_drops_the_dateline_and_ends_at_a_clause_or_a_conjunction() -> None:
    dispatch = (
        "新華社上海7月26日電(記者王慧慧)國務(wù)院總理李強7月26日在上海出席2025世界人工智能大會暨人工智能全球治理"
        "高級別會議開幕式并致辭。"
    )
    assert headline(dispatch) == "國務院總理李強7月26日在上海出席2025世界人工智能大會"
    assert (
        headline("2023年10月,习近平主席宣布提出《全球人工智能治理倡议》。")
        == "习近平主席宣布提出《全球人工智能治理倡议》"
    )


@pytest.mark.parametrize(
    ("sentence", "expected", "word"),
    [
        ("路透社26日报道称,中国提出成立新组织。", "media_report", "报道"),
        ("习近平主席宣布提出《全球人工智能治理倡议》。", "announcement", "宣布"),
        ("The UN General Assembly adopted a resolution on AI on March 21.", "policy", "adopted"),
        ("聯合國大會3月21日通過一項決議。", "policy", "決議"),
        ("Leaders met at the summit in Woodside on November 15.", "conference", "summit"),
        ("两国元首11月15日举行会晤。", "meeting", "会晤"),
    ],
)
def test_a_sentence_gets_one_of_the_records_types_with_the_word_that_chose_it(
    sentence: str, expected: str, word: str
) -> None:
    choice = event_type(sentence)
    assert choice.type == expected and word in choice.rule


# --- Drafts ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_english_article_gives_a_draft_with_title_type_actors_and_one_citation(ingester: Any) -> None:
    parliament = actor(
        "european-parliament", "government_body", "European Parliament", ("欧洲议会", "zh", "Hans")
    )
    text = (
        "STRASBOURG, March 13 (Reuters) - The European Parliament approved the Artificial Intelligence Act "
        "drafted by Commissioner Thierry Breton on March 13, 2024, after a provisional agreement with member "
        "states on the accordingly revised text.\n\n"
        "Lawmakers said the European Parliament approved the act on March 13, 2024 by a wide margin."
    )

    report = ingest(text, "2024-03-13", ingester)

    (drafted,) = report.drafts
    draft = Event.objects.get(pk=drafted.event)
    assert draft.title_en == (
        "The European Parliament approved the Artificial Intelligence Act drafted by Commissioner Thierry "
        "Breton on March 13, 2024"
    )
    assert not draft.title_en.endswith("accordi…") and len(draft.title_en) <= 132
    assert (draft.title_zh, draft.title_zh_hant) == ("", "")  # no placeholder in another language
    assert draft.type == Event.Type.POLICY
    assert [(part.actor, part.role) for part in draft.participations.all()] == [(parliament, "author")]
    assert draft.summary_en.startswith("STRASBOURG, March 13 (Reuters) - The European Parliament approved")
    assert draft.citations.count() == 1  # the second sentence repeats the happening: merged, not cited twice
    finding = Finding.objects.get(event=draft, kind=Finding.Kind.DRAFT, state=Finding.State.PENDING)
    assert [item["name"] for item in finding.proposed_actors] == ["Thierry Breton"]


@pytest.mark.django_db
def test_approving_a_draft_gives_it_a_slug_from_its_title_and_creates_its_proposed_actors(
    ingester: Any,
) -> None:
    japan = actor("japan", "country", "Japan")  # no Chinese name yet
    text = "日本首相石破茂3月5日在东京会见联合国秘书长古特雷斯，双方就人工智能治理交换意见。"
    report = ingest(text, "2025-03-05", ingester)
    (drafted,) = report.drafts
    finding = Finding.objects.get(event_id=drafted.event, kind=Finding.Kind.DRAFT)
    assert drafted.slug.startswith("draft-")

    finding_approve(finding=finding, user=ingester)

    event = Event.objects.get(pk=drafted.event)
    assert event.status == Event.Status.PUBLISHED
    assert event.slug.startswith("ri-ben-shou-xiang-shi-po-mao")
    names = {part.actor.name_zh: part.role for part in event.participations.select_related("actor")}
    assert names == {"石破茂": "attendee", "古特雷斯": "subject"}
    # 日本 is the country recorded as Japan: found again by its code, never a second actor.
    assert Actor.objects.filter(kind="country").count() == 1 and japan.aliases.count() == 1
    created = Actor.objects.get(name_zh="石破茂")
    assert created.name_en == "Shi Po Mao" and [a.name for a in created.aliases.all()] == ["石破茂"]


@pytest.mark.django_db
def test_a_publisher_the_record_lacks_is_proposed_and_created_on_approval(ingester: Any) -> None:
    text = "Officials said the ministry published a white paper on artificial intelligence on May 2, 2025."
    report = ingest(text, "2025-05-03", ingester, publisher="Example Daily")
    source = Source.objects.get(pk=report.source["id"])
    assert source.publisher is None and "Example Daily" in report.notes[0]
    finding = Finding.objects.get(event_id=report.drafts[0].event, kind=Finding.Kind.DRAFT)

    finding_approve(finding=finding, user=ingester)

    source.refresh_from_db()
    assert source.publisher is not None and source.publisher.name_en == "Example Daily"
    assert source.publisher.kind == Actor.Kind.MEDIA_OUTLET


@pytest.mark.django_db
def test_a_new_actor_written_in_traditional_script_is_found_again_in_simplified(ingester: Any) -> None:
    first = ingest("國務院總理李強7月26日在上海出席開幕式並致辭，闡述中方主張。", "2025-07-26", ingester)
    finding = Finding.objects.get(event_id=first.drafts[0].event, kind=Finding.Kind.DRAFT)
    finding_approve(finding=finding, user=ingester)
    (li_qiang,) = Actor.objects.filter(name_zh="李强")

    second = ingest("国务院总理李强8月1日在北京会见外宾，双方交换意见。", "2025-08-01", ingester)

    assert second.drafts[0].actors == [li_qiang.slug] and second.drafts[0].proposed_actors == []


# --- One event per happening, in any language --------------------------------------------------------


@pytest.fixture
def summit_actors(db: Any) -> None:
    actor("xi-jinping", "person", "Xi Jinping", ("习近平", "zh", "Hans"), ("習近平", "zh", "Hant"))
    actor("joe-biden", "person", "Joe Biden", ("拜登", "zh", "Hans"))
    actor(
        "un-general-assembly",
        "international_organization",
        "UN General Assembly",
        ("联合国大会", "zh", "Hans"),
    )


@pytest.mark.django_db
def test_an_english_and_a_chinese_report_of_one_summit_give_one_draft_and_one_suggestion(
    summit_actors: None, ingester: Any
) -> None:
    english = (
        "Chinese President Xi Jinping and U.S. President Joe Biden held a summit in Woodside, California, "
        "on November 15, 2023, and agreed to resume military-to-military communication."
    )
    chinese = "国家主席习近平11月15日在美国旧金山同美国总统拜登举行中美元首会晤，双方同意恢复两军沟通。"

    first = ingest(english, "2023-11-16", ingester)
    second = ingest(chinese, "2023-11-16", ingester)

    assert len(first.drafts) == 1 and second.drafts == []
    assert [(item.event, item.date) for item in second.suggestions] == [(first.drafts[0].event, "2023-11-15")]
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_an_english_and_a_traditional_chinese_report_of_one_un_resolution_likewise(
    summit_actors: None, ingester: Any
) -> None:
    english = (
        "The UN General Assembly adopted a resolution on artificial intelligence on March 21, 2024, calling "
        "for safe, secure and trustworthy systems."
    )
    traditional = "聯合國大會3月21日通過一項關於人工智慧的決議，呼籲發展安全、可靠和值得信賴的人工智慧系統。"

    first = ingest(english, "2024-03-22", ingester)
    second = ingest(traditional, "2024-03-22", ingester)

    assert len(first.drafts) == 1 and second.drafts == []
    assert [item.event for item in second.suggestions] == [first.drafts[0].event]


@pytest.mark.django_db
def test_the_same_actor_on_the_same_day_doing_another_kind_of_thing_is_another_event(
    summit_actors: None, ingester: Any
) -> None:
    ingest(
        "国家主席习近平11月15日在旧金山同美国总统拜登举行会晤，双方同意恢复两军沟通。", "2023-11-16", ingester
    )
    other = ingest("国家主席习近平11月15日签署命令，公布新修订的条例。", "2023-11-16", ingester)

    assert len(other.drafts) == 1 and other.suggestions == []


# --- The command ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_extract_events_prints_each_date_with_title_type_actors_and_quote(
    summit_actors: None, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    text = "新华社北京11月16日电 国家主席习近平11月15日在旧金山同美国总统拜登举行会晤，双方同意恢复两军沟通。"
    article.write_text(text, encoding="utf-8")
    out = StringIO()

    call_command("extract_events", str(article), "--published", "2023-11-16", "--json", stdout=out)

    dateline, meeting = json.loads(out.getvalue())
    assert (dateline["value"], dateline["type"]) == ("2023-11-16", "publication")
    assert [(a["name"], a["actor"], a["role"]) for a in dateline["actors"]] == [("新华社", None, "publisher")]
    assert (
        meeting["value"] == "2023-11-15" and meeting["type"] == "meeting" and "会晤" in meeting["type_rule"]
    )
    assert meeting["title"] == "国家主席习近平11月15日在旧金山同美国总统拜登举行会晤,双方同意恢复两军沟通"
    assert [(a["actor"], a["role"]) for a in meeting["actors"]] == [
        ("xi-jinping", "attendee"),
        ("joe-biden", "subject"),
    ]
    assert [text[a["start"] : a["end"]] for a in meeting["actors"]] == ["习近平", "拜登"]
    assert meeting["quote"] == text  # the sentence, verbatim, its dateline included


# --- The seed articles --------------------------------------------------------------------------------

# The curated seed event each draft must match, by (date, type, main actor). The April 2025 inspection is
# typed a statement, not a visit: its capture garbles 考察 ("inspect") into 上??疾, and 强调 is what is left.
SEED_DRAFTS = {
    ("2023-10", "announcement", "xi-jinping"),
    ("2024", "conference", None),
    ("2025-04", "statement", "xi-jinping"),
    ("2025-07-23", "policy", "donald-trump"),
    ("2025-07-26", "speech", "li-qiang"),
    ("2025-07-26", "proposal", "chinese-government"),
    ("2025-07-26", "media_report", "reuters"),
    ("2025-07-27", "media_report", "asahi-shimbun"),
    ("2025-07-27", "media_report", "nikkei"),
}


@pytest.mark.django_db
def test_the_seed_articles_give_drafts_with_the_curated_dates_types_and_main_actors(
    seed_actors_only: None, ingest_seed: Any
) -> None:
    from tests.ingestion.conftest import PUBLISHED

    reports = [ingest_seed(name) for name in sorted(PUBLISHED)]

    drafts = Event.objects.prefetch_related("participations__actor")
    found = set()
    for draft in drafts:
        leading = [part.actor.slug for part in draft.participations.all() if part.role != "subject"]
        found.add((draft.date, draft.type, leading[0] if leading else None))
    assert found == SEED_DRAFTS
    assert sum(len(report.drafts) for report in reports) == len(SEED_DRAFTS)  # no duplicates
    assert all(draft.title_zh and not draft.title_en for draft in drafts)  # Chinese articles, Chinese titles
