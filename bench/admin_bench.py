"""Admin page times: the median of each page a curator uses, on the database DATABASE_URL names.

Signs a superuser in through Django's test client (in-process: the server's work, no network), makes
sure the review queue has findings (ingests one seed text, once), then requests each page ``--rounds``
times after one warm-up and prints the median and the slowest, in milliseconds. Writes a user, one
source and its drafts; run it on a copy of a generated database, never on a real record:

    createdb -T tl_bench100k timeline_admin_bench
    DATABASE_URL=postgres://…/timeline_admin_bench DJANGO_DEBUG=1 .venv/bin/python bench/admin_bench.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from events.models import Actor, Event
    from ingestion.models import Finding
    from ingestion.services.articles import ArticleInput
    from ingestion.services.ingest import ingest_article

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(
        username="admin-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    if not Finding.objects.filter(state=Finding.State.PENDING).exists():
        text = (ROOT / "fixtures" / "seed_texts" / "003_7f44d65a6cc781ab.txt").read_text(encoding="utf-8")
        ingest_article(article=ArticleInput(text=text, name="admin bench", published="2025-07-28"), user=user)
    client = Client()
    client.force_login(user)

    event = Event.objects.order_by("-pk").first()
    actor = Actor.objects.order_by("pk").first()
    finding = Finding.objects.filter(state=Finding.State.PENDING, kind=Finding.Kind.DRAFT).first()
    assert event is not None and actor is not None and finding is not None
    pages = {
        "event list": "/admin/events/event/",
        "event list, published, 2020s": "/admin/events/event/?status__exact=published&period=2020s",
        "event list, by actor": f"/admin/events/event/?participations__actor={actor.pk}",
        "event list, search 'summit'": "/admin/events/event/?q=summit",
        "event change form": f"/admin/events/event/{event.pk}/change/",
        "event history": f"/admin/events/event/{event.pk}/history/",
        "review queue": "/admin/ingestion/finding/",
        "review page": f"/admin/ingestion/finding/{finding.pk}/change/",
        "review page, merge search": f"/admin/ingestion/finding/{finding.pk}/change/?q=Shanghai",
        "date preview": "/admin/events/event/date-preview/?text=~2024-05",
    }
    print(f"{Event.objects.count():,} events, {args.rounds} rounds after one warm-up; milliseconds")
    print(f"{'page':32} {'median':>8} {'slowest':>8}")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, f"{url} did not answer 200"
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{name:32} {statistics.median(times):8.0f} {max(times):8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
