"""Quotes are found in their source tolerant of punctuation width and whitespace, stored verbatim as the
source writes them, and a quote that is not there is refused with where it stops matching."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from events.models import Citation
from events.quotes import find_quote
from tests.factories import EventFactory, SourceFactory

TEXT = (
    "标题\n\n路透社26日报道称,在当天于上海举行的大会上,中国表示希望创建一个组织。\n"
    "The plan,  adopted\non Tuesday, took effect."
)


def test_a_full_width_comma_and_other_spacing_find_the_source_span() -> None:
    match = find_quote(TEXT, "报道称，在当天于上海举行的大会上，中国表示")

    assert match is not None
    assert match.text == "报道称,在当天于上海举行的大会上,中国表示"
    assert TEXT[match.start : match.end] == match.text
    assert match.paragraph == 2
    english = find_quote(TEXT, "The plan, adopted on Tuesday")
    assert english is not None and english.text == "The plan,  adopted\non Tuesday"


def test_a_quote_that_is_not_in_the_source_is_not_found() -> None:
    assert find_quote(TEXT, "在昨天于上海举行的大会上") is None
    assert find_quote(TEXT, "   ") is None


@pytest.mark.django_db
def test_a_citation_typed_with_full_width_punctuation_stores_the_source_words(db: Any) -> None:
    source = SourceFactory(text=TEXT)
    citation = Citation(
        event=EventFactory(), source=source, quote="路透社26日报道称，在当天于上海举行的大会上"
    )

    citation.full_clean()
    citation.save()

    citation.refresh_from_db()
    assert citation.quote == "路透社26日报道称,在当天于上海举行的大会上"
    assert (
        citation.found_in_source()
        == f"paragraph 2, characters {TEXT.index('路透社')}–{TEXT.index('上,') + 1}"
    )


@pytest.mark.django_db
def test_a_quote_that_differs_is_refused_with_where_it_stops_matching(db: Any) -> None:
    source = SourceFactory(text=TEXT)
    citation = Citation(event=EventFactory(), source=source, quote="路透社26日报道称，在昨天于上海举行")

    with pytest.raises(ValidationError) as refusal:
        citation.full_clean()

    message = refusal.value.message_dict["quote"][0]
    assert "first 11 characters match at paragraph 2" in message
    assert "'昨天于上海举行'" in message
