"""PostgreSQL only: each event's search document, kept by triggers, and the indexes that serve ``q``.

``events_event.search_document`` holds, upper-cased, every text ``q`` searches (titles, summaries,
citation quotes and translations, actors' names and aliases), separated by U+001F, which no search term
can contain (terms are split on whitespace, and Python counts U+001F as whitespace); ``search_grams``
holds its characters and pairs of adjacent characters. Triggers rebuild both whenever one of those
texts changes, whichever path writes it (services, the admin, COPY, raw SQL). Two GIN indexes serve
them: pg_trgm's trigrams of the document for terms of three characters or more, and the grams for
shorter ones (trigrams cannot serve those, and CJK words are often two characters). pg_trgm is
created where the migrating role may (a superuser, or from PostgreSQL 13 the database owner, as
pg_trgm is a trusted extension); elsewhere longer terms are still found, by scanning. SQLite keeps
the unindexed search (events.search). Neither column is a model field: only events.search reads them.
"""

from django.db import DatabaseError, migrations, transaction

SEPARATOR = "chr(31)"

FUNCTIONS = f"""
ALTER TABLE events_event ADD COLUMN search_document text NOT NULL DEFAULT '',
                         ADD COLUMN search_grams text[] NOT NULL DEFAULT '{{}}';

-- Every character and every pair of adjacent characters of a text: what a term of 1 or 2 characters is.
CREATE FUNCTION timeline_search_grams(doc text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  chars text[] := string_to_array(doc, NULL);
  grams text[] := chars;
BEGIN
  FOR i IN 1 .. coalesce(array_length(chars, 1), 0) - 1 LOOP
    grams := grams || (chars[i] || chars[i + 1]);
  END LOOP;
  RETURN grams;
END $$;

CREATE FUNCTION timeline_event_search_document(e events_event) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT upper(concat_ws({SEPARATOR},
    e.title_en, e.title_zh, e.title_zh_hant, e.summary_en, e.summary_zh, e.summary_zh_hant,
    (SELECT string_agg(c.quote || {SEPARATOR} || c.quote_translation, {SEPARATOR} ORDER BY c.id)
       FROM events_citation c WHERE c.event_id = e.id),
    (SELECT string_agg(a.name_en || {SEPARATOR} || a.name_zh, {SEPARATOR} ORDER BY a.id)
       FROM events_participation p JOIN events_actor a ON a.id = p.actor_id WHERE p.event_id = e.id),
    (SELECT string_agg(al.name, {SEPARATOR} ORDER BY al.id)
       FROM events_participation p JOIN events_actoralias al ON al.actor_id = p.actor_id
      WHERE p.event_id = e.id)))
$$;

CREATE FUNCTION timeline_event_search_document_set() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_document := timeline_event_search_document(NEW);
  NEW.search_grams := timeline_search_grams(NEW.search_document);
  RETURN NEW;
END $$;

-- After a statement on a related table: rebuild the documents of the events it touched, once each.
CREATE FUNCTION timeline_event_search_document_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  IF TG_TABLE_NAME IN ('events_citation', 'events_participation') THEN
    ids := ARRAY(SELECT DISTINCT event_id FROM changed_rows);
  ELSIF TG_TABLE_NAME = 'events_actor' THEN
    ids := ARRAY(SELECT DISTINCT p.event_id FROM events_participation p
                  WHERE p.actor_id IN (SELECT id FROM changed_rows));
  ELSE
    ids := ARRAY(SELECT DISTINCT p.event_id FROM events_participation p
                  WHERE p.actor_id IN (SELECT actor_id FROM changed_rows));
  END IF;
  UPDATE events_event e
     SET search_document = fresh.document, search_grams = timeline_search_grams(fresh.document)
    FROM (SELECT id, timeline_event_search_document(ev) AS document FROM events_event ev
           WHERE ev.id = ANY(ids)) fresh
   WHERE e.id = fresh.id AND e.search_document IS DISTINCT FROM fresh.document;
  RETURN NULL;
END $$;

CREATE TRIGGER event_search_document BEFORE INSERT OR UPDATE OF
  title_en, title_zh, title_zh_hant, summary_en, summary_zh, summary_zh_hant
  ON events_event FOR EACH ROW EXECUTE FUNCTION timeline_event_search_document_set();
"""

RELATED_TABLES = ("events_citation", "events_participation", "events_actor", "events_actoralias")


def related_triggers() -> str:
    """Transition tables take one event per trigger: insert, delete, and both sides of an update."""
    statements = []
    for table in RELATED_TABLES:
        for name, when, rows in (
            ("ins", "INSERT", "NEW"),
            ("del", "DELETE", "OLD"),
            ("upd_old", "UPDATE", "OLD"),
            ("upd_new", "UPDATE", "NEW"),
        ):
            if table == "events_actor" and when != "UPDATE":
                continue  # a new actor is in no event; a deleted one's participations go first
            statements.append(
                f"CREATE TRIGGER {table}_search_{name} AFTER {when} ON {table} "
                f"REFERENCING {rows} TABLE AS changed_rows FOR EACH STATEMENT "
                "EXECUTE FUNCTION timeline_event_search_document_refresh();"
            )
    return "\n".join(statements)


INDEXES = """
UPDATE events_event SET title_en = title_en;  -- fills both columns, through the row trigger
CREATE INDEX event_search_grams ON events_event USING gin (search_grams);
"""

TRIGRAM_INDEX = """
CREATE INDEX event_search_trigrams ON events_event USING gin (search_document gin_trgm_ops);
"""

REVERSE = """
DROP TRIGGER IF EXISTS event_search_document ON events_event;
{related}
DROP FUNCTION IF EXISTS timeline_event_search_document_refresh();
DROP FUNCTION IF EXISTS timeline_event_search_document_set();
DROP INDEX IF EXISTS event_search_trigrams;
DROP INDEX IF EXISTS event_search_grams;
DROP FUNCTION IF EXISTS timeline_event_search_document(events_event);
DROP FUNCTION IF EXISTS timeline_search_grams(text);
ALTER TABLE events_event DROP COLUMN IF EXISTS search_document, DROP COLUMN IF EXISTS search_grams;
"""


def create_trigram_extension(schema_editor) -> bool:  # type: ignore[no-untyped-def]
    """Whether pg_trgm is there, creating it if this role may (the failure rolls back to a savepoint)."""
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return True
    except DatabaseError:
        return False


def forwards(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    schema_editor.execute(related_triggers())
    schema_editor.execute(INDEXES)
    if create_trigram_extension(schema_editor):
        schema_editor.execute(TRIGRAM_INDEX)
    else:
        print("\n  pg_trgm could not be created: search terms of 3+ characters will scan (see the README).")


def backwards(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    related = "\n".join(
        f"DROP TRIGGER IF EXISTS {table}_search_{name} ON {table};"
        for table in RELATED_TABLES
        for name in ("ins", "del", "upd_old", "upd_new")
    )
    schema_editor.execute(REVERSE.format(related=related))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_published_order_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
