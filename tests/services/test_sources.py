"""Tests for the source services: validation, cleaned text and checksum kept in step with the text."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from events.models import Source
from events.services.sources import source_create, source_update
from tests.factories import ActorFactory, SourceFactory

pytestmark = pytest.mark.django_db

ANNOTATED = "國務(wù)院總理李強出席開幕式"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_source_create_keeps_the_captured_text_and_stores_the_cleaned_one() -> None:
    publisher = ActorFactory(slug="xinhua-test", kind="media_outlet")
    source = source_create(
        slug="dispatch",
        title="A dispatch",
        language=Source.Language.ZH_HANT,
        publisher=publisher,
        published="2025-07-26",
        text=ANNOTATED,
    )
    source.refresh_from_db()
    assert source.text == ANNOTATED
    assert source.text_clean == "國務院總理李強出席開幕式"
    assert source.checksum == sha256(ANNOTATED)
    assert (source.published_start.isoformat(), source.published_precision) == ("2025-07-26", "day")


def test_source_create_refuses_an_invalid_date_with_a_message() -> None:
    with pytest.raises(ValidationError) as error:
        source_create(slug="bad", title="Bad", language="en", published="2025-7")
    assert "published" in error.value.message_dict
    assert not Source.objects.filter(slug="bad").exists()


def test_a_source_without_text_has_no_checksum() -> None:
    source = source_create(slug="report", title="A report", language="en", published="2025-09-24")
    assert (source.text, source.text_clean, source.checksum) == ("", "", "")


def test_source_update_of_the_text_refreshes_cleaned_text_and_checksum() -> None:
    source = SourceFactory(text="old text")
    source_update(source=source, data={"text": ANNOTATED})
    source.refresh_from_db()
    assert source.text_clean == "國務院總理李強出席開幕式"
    assert source.checksum == sha256(ANNOTATED)


def test_source_update_of_other_fields_leaves_the_text_alone() -> None:
    source = SourceFactory(text="same text", published="2025-07")
    source_update(source=source, data={"title": "New title", "published": "2025-07-28"})
    source.refresh_from_db()
    assert source.title == "New title"
    assert source.text == "same text"
    assert source.checksum == sha256("same text")
    assert source.published_end.isoformat() == "2025-07-28"


def test_source_update_refuses_an_invalid_date_and_keeps_the_old_one() -> None:
    source = SourceFactory(published="2025-07-26")
    with pytest.raises(ValidationError):
        source_update(source=source, data={"published": "2025-13"})
    source.refresh_from_db()
    assert source.published == "2025-07-26"
