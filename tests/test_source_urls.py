"""Source URL normalisation: two spellings of one page are one URL, stored and looked up alike."""

import pytest
from django.core.exceptions import ValidationError

from events.models import Source
from events.source_urls import InvalidSourceUrl, normalize_url
from tests.factories import SourceFactory


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTPS://News.Example.ORG/a/b", "https://news.example.org/a/b"),
        ("https://news.example.org:443/a", "https://news.example.org/a"),
        ("http://news.example.org:80/a", "http://news.example.org/a"),
        ("http://news.example.org:8080/a", "http://news.example.org:8080/a"),
        ("https://news.example.org/a/#comments", "https://news.example.org/a"),
        ("https://news.example.org/", "https://news.example.org"),
        (
            "https://news.example.org/a?utm_source=x&id=3&UTM_Medium=y&fbclid=z",
            "https://news.example.org/a?id=3",
        ),
        ("  https://news.example.org/Case/Kept?b=2&a=1  ", "https://news.example.org/Case/Kept?b=2&a=1"),
        ("https://news.example.org/a?q=%E4%B8%AD", "https://news.example.org/a?q=%E4%B8%AD"),
    ],
)
def test_normalize_url(given, expected):
    assert normalize_url(given) == expected


@pytest.mark.parametrize("given", ["news.example.org/a", "ftp://news.example.org/a", "https://", "/a/b"])
def test_normalize_url_refuses_what_is_not_an_absolute_web_address(given):
    with pytest.raises(InvalidSourceUrl, match="not an absolute web address"):
        normalize_url(given)


@pytest.mark.django_db
def test_a_saved_source_stores_its_normalised_url():
    source = SourceFactory(url="HTTPS://News.Example.org:443/story/?utm_campaign=x#top")
    source.refresh_from_db()
    assert source.url == "https://news.example.org/story"
    assert Source.objects.filter(url=normalize_url("https://news.example.org/story/")).exists()


@pytest.mark.django_db
def test_another_spelling_of_a_stored_url_is_refused_by_validation():
    SourceFactory(url="https://news.example.org/story")
    duplicate = SourceFactory.build(url="https://NEWS.example.org/story/?utm_source=feed")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "url" in caught.value.message_dict
