"""The q search over events: titles, summaries, quotes, actor names and aliases, in any script."""

import pytest

from events.models import Event
from tests.api.conftest import result_slugs
from tests.factories import (
    ActorAliasFactory,
    ActorFactory,
    CitationFactory,
    EventFactory,
    ParticipationFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


def search(client, query, **params):
    return result_slugs(client.get(EVENTS, {"q": query, **params}))


def test_q_finds_english_titles_case_insensitively(api_client):
    EventFactory(slug="initiative", title_en="Global AI Governance Initiative")
    EventFactory(slug="other", title_en="Something else")
    assert search(api_client, "governance initiative") == ["initiative"]
    assert search(api_client, "GLOBAL") == ["initiative"]


def test_every_word_of_q_must_match(api_client):
    EventFactory(slug="initiative", title_en="Global AI Governance Initiative")
    assert search(api_client, "governance banana") == []


def test_q_in_traditional_script_finds_simplified_text(api_client):
    EventFactory(slug="speech", title_zh="李强出席开幕式")
    assert search(api_client, "李強") == ["speech"]


def test_q_in_simplified_script_finds_curated_traditional_text(api_client):
    EventFactory(slug="speech", title_zh="", title_zh_hant="國務院總理出席")
    assert search(api_client, "国务院") == ["speech"]


def test_q_folds_taiwan_and_mainland_vocabulary(api_client):
    EventFactory(slug="ai", title_zh="人工智能全球治理", summary_zh="")
    EventFactory(slug="taiwan-wording", title_zh="", summary_zh_hant="世界人工智慧合作組織")
    assert set(search(api_client, "人工智慧")) == {"ai", "taiwan-wording"}
    assert set(search(api_client, "人工智能")) == {"ai", "taiwan-wording"}


def test_q_searches_summaries_in_every_language(api_client):
    EventFactory(slug="summary", summary_en="Premier speaks in Shanghai", summary_zh="在上海发表讲话")
    assert search(api_client, "shanghai") == ["summary"]
    assert search(api_client, "上海") == ["summary"]


def test_q_searches_citation_quotes(api_client):
    source = SourceFactory(text="中方倡议成立世界人工智能合作组织。")
    CitationFactory(event=EventFactory(slug="quoted"), source=source, quote="世界人工智能合作组织")
    EventFactory(slug="unquoted")
    assert search(api_client, "合作組織") == ["quoted"]


def test_q_searches_actor_names_and_aliases_in_any_script(api_client):
    li = ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强")
    ActorAliasFactory(actor=li, name="Premier Li", language="en", script="Latn")
    ParticipationFactory(event=EventFactory(slug="with-li", title_en="Opening", title_zh="开幕"), actor=li)
    EventFactory(slug="without-li")
    assert search(api_client, "li qiang") == ["with-li"]
    assert search(api_client, "李強") == ["with-li"]
    assert search(api_client, "premier") == ["with-li"]


def test_q_lists_each_event_once_however_many_things_match(api_client):
    li = ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强")
    ActorAliasFactory(actor=li, name="李強", language="zh", script="Hant")
    ActorAliasFactory(actor=li, name="李强总理", language="zh", script="Hans")
    source = SourceFactory(text="李强说。李强又说。")
    event = EventFactory(slug="li", title_zh="李强讲话", summary_zh="李强")
    ParticipationFactory(event=event, actor=li, role="speaker")
    ParticipationFactory(event=event, actor=li, role="host")
    CitationFactory(event=event, source=source, quote="李强说。")
    CitationFactory(event=event, source=source, quote="李强又说。")
    response = api_client.get(EVENTS, {"q": "李強", "count": "true"})
    assert result_slugs(response) == ["li"]
    assert response.json()["count"] == 1


def test_q_never_reveals_drafts(api_client):
    EventFactory(slug="secret", title_en="Secret plan", status=Event.Status.DRAFT)
    assert search(api_client, "secret") == []


def test_q_combines_with_other_filters(api_client):
    EventFactory(slug="old", title_en="AI summit", date="2023-10")
    EventFactory(slug="new", title_en="AI summit", date="2025-07-26")
    assert search(api_client, "summit", date_from="2025") == ["new"]
