"""Prepared statements: the same rows as the plain query, planned once per database session."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, connections, transaction

from events.selectors.prepared import prepared_rows
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db


def test_a_prepared_query_gives_the_rows_of_the_plain_one_each_time():
    TagFactory(slug="ai")
    TagFactory(slug="trade")
    sql = "SELECT slug FROM events_tag WHERE slug IN (%s, %s) ORDER BY slug"
    for params in (["ai", "trade"], ["trade", "nothing"], ["ai", "ai"]):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            expected = cursor.fetchall()
        assert prepared_rows(connection, "test_tags_by_slug", sql, params) == expected


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's"
)
def test_postgresql_prepares_a_query_once_per_session():
    sql = "SELECT %s::int + 1"
    assert prepared_rows(connection, "test_plus_one", sql, [1]) == [(2,)]
    assert prepared_rows(connection, "test_plus_one", sql, [41]) == [(42,)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'test_plus_one'")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's"
)
def test_a_failed_first_execution_does_not_break_the_statement_for_later_calls():
    """PREPARE outlives the failed EXECUTE sent with it (and its rollback): the next call must not
    prepare it again ("prepared statement already exists")."""
    sql = "SELECT 12 / %s::int"
    with pytest.raises(DataError), transaction.atomic():
        prepared_rows(connection, "test_twelve_over", sql, [0])  # division by zero, once prepared
    assert prepared_rows(connection, "test_twelve_over", sql, [4]) == [(3,)]
    assert prepared_rows(connection, "test_twelve_over", sql, [6]) == [(2,)]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's"
)
def test_django_db_connection_and_its_wrapper_share_what_the_session_has_prepared():
    """``django.db.connection`` is a proxy with a dict of its own: a statement prepared through it is
    not prepared again through ``connections["default"]`` ("prepared statement already exists")."""
    sql = "SELECT %s::int * 2"
    assert prepared_rows(connection, "test_twice", sql, [2]) == [(4,)]
    assert prepared_rows(connections[connection.alias], "test_twice", sql, [3]) == [(6,)]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's"
)
def test_a_prepared_statement_is_never_planned_again_for_its_values():
    """Each call runs the generic plan: PostgreSQL would otherwise plan some calls again for their
    values (the page JSON's about 4 ms each), whenever that looked cheaper on paper."""
    TagFactory(slug="ai")
    sql = "SELECT count(*) FROM events_tag WHERE id = ANY(%s::bigint[])"
    for size in (1, 50, 2, 49, 3, 48, 4, 47, 5, 46):
        prepared_rows(connection, "test_tags_counted", sql, [list(range(size))])
    with connection.cursor() as cursor:
        cursor.execute("SELECT custom_plans FROM pg_prepared_statements WHERE name = 'test_tags_counted'")
        assert cursor.fetchone() == (0,)
