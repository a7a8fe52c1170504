"""Source URLs in one canonical form, so that "is this URL already in the database?" is an exact lookup.

Two spellings of the same page normalise to the same text: the scheme and host are lower-cased, the
default port, the fragment, a trailing slash and tracking parameters (``utm_*``, ``fbclid``, ``gclid``)
are dropped. Everything else (path case, the order of the other query parameters) is kept, because
servers may treat it as meaningful.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMETERS = {"fbclid", "gclid"}


class InvalidSourceUrl(ValueError):
    """A text that is not an absolute http(s) URL; the message says what is missing."""


def is_tracking_parameter(name: str) -> bool:
    return name.lower().startswith("utm_") or name.lower() in TRACKING_PARAMETERS


def normalize_url(url: str) -> str:
    """The canonical form of an absolute http(s) URL; raise :class:`InvalidSourceUrl` for anything else."""
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise InvalidSourceUrl(
            f"{url!r} is not an absolute web address: give one such as https://news.example.org/article."
        )
    try:
        port = parts.port
    except ValueError as error:
        raise InvalidSourceUrl(f"{url!r} has an invalid port: {error}.") from error

    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username is not None:
        credentials = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{credentials}@{netloc}"

    path = parts.path.rstrip("/")
    # The other parameters are kept as written (not re-encoded), so the stored URL still opens the page.
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and not is_tracking_parameter(unquote_plus(pair.split("=", 1)[0]))
    )
    return urlunsplit((scheme, netloc, path, query, ""))
