"""Articles from the web: a page fetched safely, and its article text and headline taken from the HTML.

:func:`fetch` gets a URL with a timeout, a size cap and a clear refusal for everything else: only http(s),
never a loopback, private, link-local or otherwise internal address (checked on every redirect, and the
connection goes to the address that was checked, so a name cannot be re-pointed in between). The
``INGEST_FETCH_ALLOWED_HOSTS`` setting lists ``host:port`` pairs exempted from the address check (the
tests' local server).

:func:`article_from_html` takes the article out of a page with trafilatura: it is maintained, reads
Chinese and English pages alike, drops navigation, sidebars and comments, and reads the headline from
``og:title``, ``<title>`` or the first heading with the site's name trimmed, and the page's date and
site name from its metadata. ``readability-lxml`` and ``newspaper`` were the alternatives: the first
gives no metadata, the second is unmaintained.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import trafilatura
import urllib3
from django.conf import settings

from ingestion.services.articles import ArticleInput, ArticleRefused, decode_article

# A news page is at most a few megabytes with its markup; a feed a little more.
MAX_PAGE_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "TimelineIngest/1.0 (+https://github.com/; curator-initiated fetch)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    content_type: str
    body: bytes


def _allowed_hosts() -> set[str]:
    return set(getattr(settings, "INGEST_FETCH_ALLOWED_HOSTS", ()))


def _checked_address(url: str) -> tuple[str, str, int]:
    """The scheme, the one address to connect to, and the port, or a refusal naming what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ArticleRefused(f"{url}: only http and https addresses can be fetched.", field="url")
    host = parts.hostname
    if not host:
        raise ArticleRefused(f"{url}: the address names no host.", field="url")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ArticleRefused(f"{url}: the host {host} cannot be found ({error}).", field="url") from error
    addresses = [str(info[4][0]) for info in infos]
    if f"{host}:{port}" not in _allowed_hosts():
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise ArticleRefused(
                    f"{url}: {host} is an internal address ({ip}); only public web pages can be fetched.",
                    field="url",
                )
    return parts.scheme, addresses[0], port


def fetch(url: str, *, max_bytes: int | None = None, timeout: float | None = None) -> FetchedPage:
    """The body of ``url`` after at most a few redirects, or :class:`ArticleRefused` saying why not."""
    max_bytes = max_bytes or MAX_PAGE_BYTES
    timeout = timeout or TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        scheme, address, port = _checked_address(url)
        host = urlsplit(url).hostname or ""
        target = urlsplit(url)._replace(scheme="", netloc="").geturl() or "/"
        left = max(deadline - time.monotonic(), 0.1)
        timeouts = urllib3.Timeout(connect=left, read=left)
        pool: urllib3.HTTPConnectionPool
        if scheme == "https":  # connect to the checked address, verify the certificate for the host name
            pool = urllib3.HTTPSConnectionPool(
                address, port, timeout=timeouts, retries=False, server_hostname=host, assert_hostname=host
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeouts, retries=False)
        netloc = host if port in (80, 443) else f"{host}:{port}"
        try:
            response = pool.urlopen(
                "GET",
                target,
                headers={"Host": netloc, "User-Agent": USER_AGENT, "Accept": "text/html,application/xml,*/*"},
                redirect=False,
                preload_content=False,
            )
        except urllib3.exceptions.TimeoutError as error:
            raise ArticleRefused(f"{url} did not answer within {timeout:g} s.", field="url") from error
        except urllib3.exceptions.HTTPError as error:
            raise ArticleRefused(f"{url} cannot be fetched: {error}.", field="url") from error
        try:
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status >= 400:
                raise ArticleRefused(
                    f"{url} answered HTTP {response.status}: no page to ingest.", field="url"
                )
            body = _read_capped(response, url, max_bytes, deadline, timeout)
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return FetchedPage(url=url, content_type=content_type, body=body)
        finally:
            response.release_conn()
            pool.close()
    raise ArticleRefused(f"{url}: more than {MAX_REDIRECTS} redirects.", field="url")


def _read_capped(
    response: urllib3.BaseHTTPResponse, url: str, max_bytes: int, deadline: float, timeout: float
) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ArticleRefused(
            f"{url} is {int(declared):,} bytes; a page may have at most {max_bytes:,}.", field="url"
        )
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise ArticleRefused(
                    f"{url} is larger than {max_bytes:,} bytes: not a page to ingest.", field="url"
                )
            if time.monotonic() > deadline:
                raise ArticleRefused(f"{url} did not finish answering within {timeout:g} s.", field="url")
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError as error:
        raise ArticleRefused(f"{url} did not answer within {timeout:g} s.", field="url") from error
    except urllib3.exceptions.HTTPError as error:
        raise ArticleRefused(f"{url}: the answer broke off ({error}).", field="url") from error
    return b"".join(chunks)


# --- HTML -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageArticle:
    """What a web page holds: its article text and what the page says about it."""

    text: str
    title: str
    published: str  # ISO date, or "" when the page gives none
    site_name: str


def article_from_html(data: bytes | str, url: str | None = None) -> PageArticle:
    """The article of an HTML page, or :class:`ArticleRefused` when there is no article text in it."""
    if isinstance(data, bytes) and b"\x00" in data[:8192]:
        raise ArticleRefused("The page is a binary file, not HTML.")
    # No deduplication: trafilatura's cache of seen paragraphs would empty a page read a second time.
    document = trafilatura.bare_extraction(
        data, url=url, with_metadata=True, include_comments=False, include_tables=False, deduplicate=False
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not text:
        raise ArticleRefused(f"{url or 'The page'} holds no article text that could be read.")
    published = getattr(document, "date", None) or ""
    try:
        published = dt.date.fromisoformat(published[:10]).isoformat() if published else ""
    except ValueError:
        published = ""
    return PageArticle(
        text=text,
        title=(getattr(document, "title", None) or "").strip(),
        published=published,
        site_name=(getattr(document, "sitename", None) or "").strip(),
    )


def article_input_from_page(
    data: bytes, *, name: str, url: str | None = None, content_type: str = "text/html", **options: str
) -> ArticleInput:
    """An :class:`ArticleInput` from a fetched or uploaded page: HTML through the extractor, text as is."""
    if content_type in _HTML_TYPES or content_type.endswith("+xml") or data.lstrip()[:1] == b"<":
        page = article_from_html(data, url)
        return ArticleInput(
            text=page.text,
            name=name,
            url=url,
            title=options.pop("title", "") or page.title,
            publisher=options.pop("publisher", "") or page.site_name,
            published=options.pop("published", "") or page.published,
            **options,
        )
    if content_type.startswith("text/") or not content_type:
        return ArticleInput(text=decode_article(data, name), name=name, url=url, **options)
    raise ArticleRefused(f"{name} is {content_type}, not a web page or a text.", field="url")


def article_input_from_url(url: str, **options: str) -> ArticleInput:
    """Fetch ``url`` and make it an article to ingest (its final address is the source's)."""
    page = fetch(url)
    return article_input_from_page(
        page.body, name=url, url=page.url, content_type=page.content_type, **options
    )
