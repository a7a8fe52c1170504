"""The API's anonymous cache and throttle, for the feeds (which are plain Django views, not DRF's).

* **Cache**: an anonymous feed is kept under the API's key (events/api/caching.py: the newest public
  change, the path and query, the language and media type), extended with the scheme and host the
  body's links and UIDs are written for, so any public change invalidates it and one client's ``Host``
  never reaches another. A one-document feed is kept as it is; a streamed one is kept as it streams, in
  pieces of about ``PIECE_BYTES`` (the manifest last, so a half-read stream is never served), and is
  served from the cache piece by piece, in constant memory either way. A hit answers a 304 for the
  client's current ETag as well.
* **Throttle**: the API's anonymous throttle (the same per-address budget, ``API_ANON_THROTTLE_RATE``),
  where a feed built afresh counts as ``FEEDS_THROTTLE_COST`` requests (default 10: it may read
  10,000 events where a list page reads 50) and one answered from the cache as one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse

from events.api.caching import (
    CACHED_HEADERS,
    cache_key,
    cache_seconds,
    is_anonymous_read,
    response_from_cache,
)
from events.selectors.changes import is_settled, latest_public_change_at
from events.throttling import AnonymousReadThrottle

DEFAULT_THROTTLE_COST = 10
PIECE_BYTES = 1 << 20


def throttle_cost() -> int:
    return int(getattr(settings, "FEEDS_THROTTLE_COST", DEFAULT_THROTTLE_COST))


class FeedThrottle(AnonymousReadThrottle):
    """The API's anonymous throttle, where one request may count as ``cost`` requests."""

    def __init__(self, cost: int) -> None:
        super().__init__()
        budget, window = self.parse_rate(self.rate)
        self.budget, self.window = budget or 1, window or 1
        self.cost = max(1, min(cost, self.budget))  # never more than the whole budget

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.window:
            self.history.pop()
        if len(self.history) + self.cost > self.budget:
            return self.throttle_failure()
        self.history[:0] = [self.now] * self.cost
        self.cache.set(self.key, self.history, self.window)
        return True

    def wait(self) -> float:
        """Seconds until enough of the budget has come free for this request's cost (newest first, the
        history frees its oldest entries)."""
        needed = len(self.history) + self.cost - self.budget
        if needed <= 0 or needed > len(self.history):
            return float(self.window)
        return max(1.0, self.window - (self.now - self.history[-needed]))


@dataclass
class CachedFeed:
    """Where an anonymous feed is kept (``key``, None when it may not be), and the answer if it is."""

    key: str | None = None
    response: HttpResponseBase | None = None


def feed_cache_key(request: HttpRequest, stamp: Any) -> str:
    """The API's key (stamp, absolute URI, language, media type), under a prefix of the feeds' own."""
    return "feeds:anon:" + cache_key(request, stamp).removeprefix("api:anon:")


def cached_feed(request: HttpRequest) -> CachedFeed:
    """The cached answer to an anonymous feed request, as the API's cache decides (see its module)."""
    if cache_seconds() <= 0 or not is_anonymous_read(request):
        return CachedFeed()
    stamp = latest_public_change_at()
    if stamp is None or not is_settled(stamp):
        return CachedFeed()  # a change may still be committing: answer from the database
    key = feed_cache_key(request, stamp)
    entry = caches["default"].get(key)
    if entry is None:
        return CachedFeed(key)
    if "pieces" not in entry:
        return CachedFeed(key, response_from_cache(entry, request))
    answer = response_from_cache({"body": b"", "headers": entry["headers"]}, request)
    if answer.status_code == 304:
        return CachedFeed(key, answer)
    streamed = StreamingHttpResponse(_cached_pieces(key, entry["pieces"]))
    for name, value in entry["headers"].items():
        streamed[name] = value
    return CachedFeed(key, streamed)


def _cached_pieces(key: str, count: int) -> Iterator[bytes]:
    for index in range(count):
        piece = caches["default"].get(f"{key}:{index}")
        if piece is None:
            # Evicted while being read: stop with an error, so the client sees a broken transfer rather
            # than a file that ends early.
            raise RuntimeError(f"feed cache piece {index} of {count} vanished while it was served")
        yield piece


def keep(key: str, response: HttpResponseBase) -> HttpResponseBase:
    """``response`` (a 200), stored under ``key`` as it is or, if streamed, as it streams."""
    if response.status_code != 200:
        return response
    headers = {name: response[name] for name in CACHED_HEADERS if name in response}
    if isinstance(response, HttpResponse):
        caches["default"].set(key, {"body": response.content, "headers": headers}, cache_seconds())
    elif isinstance(response, StreamingHttpResponse):
        chunks = cast(Iterator[bytes], response.streaming_content)  # a sync view's stream
        response.streaming_content = _kept_while_streamed(key, chunks, headers)
    return response


def _kept_while_streamed(key: str, chunks: Iterator[bytes], headers: dict[str, str]) -> Iterator[bytes]:
    cache, seconds = caches["default"], cache_seconds()
    piece: list[bytes] = []
    size = count = 0
    for chunk in chunks:
        yield chunk
        piece.append(chunk)
        size += len(chunk)
        if size >= PIECE_BYTES:
            cache.set(f"{key}:{count}", b"".join(piece), seconds)
            piece, size, count = [], 0, count + 1
    if piece:
        cache.set(f"{key}:{count}", b"".join(piece), seconds)
        count += 1
    # Only once every piece is stored: a client that stopped reading leaves no manifest.
    cache.set(key, {"pieces": count, "headers": headers}, seconds)
