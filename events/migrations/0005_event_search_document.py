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

-- Rebuild the documents of these events (each once), writing only those that change.
CREATE FUNCTION timeline_refresh_search_documents(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE events_event e
     SET search_document = fresh.document, search_grams = timeline_search_grams(fresh.document)
    FROM (SELECT id, timeline_event_search_document(ev) AS document FROM events_event ev
           WHERE ev.id = ANY(ids)) fresh
   WHERE e.id = fresh.id AND e.search_document IS DISTINCT FROM fresh.document
$$;

CREATE FUNCTION timeline_refresh_actors_search_documents(actor_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  SELECT timeline_refresh_search_documents(
    ARRAY(SELECT DISTINCT event_id FROM events_participation WHERE actor_id = ANY(actor_ids)))
$$;

-- After a statement on a related table: the events whose searched texts it changed. An update that
-- leaves them as they were (an actor saved with the same names) rebuilds nothing: a busy actor is in
-- a fifth of the events.
CREATE FUNCTION timeline_search_citations_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM timeline_refresh_search_documents(ARRAY(SELECT event_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM timeline_refresh_search_documents(ARRAY(SELECT event_id FROM old_rows));
  ELSE
    PERFORM timeline_refresh_search_documents(ARRAY(
      SELECT unnest(ARRAY[o.event_id, n.event_id]) FROM old_rows o JOIN new_rows n USING (id)
       WHERE (o.event_id, o.quote, o.quote_translation)
             IS DISTINCT FROM (n.event_id, n.quote, n.quote_translation)));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION timeline_search_participations_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM timeline_refresh_search_documents(ARRAY(SELECT event_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM timeline_refresh_search_documents(ARRAY(SELECT event_id FROM old_rows));
  ELSE
    PERFORM timeline_refresh_search_documents(ARRAY(
      SELECT unnest(ARRAY[o.event_id, n.event_id]) FROM old_rows o JOIN new_rows n USING (id)
       WHERE (o.event_id, o.actor_id) IS DISTINCT FROM (n.event_id, n.actor_id)));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION timeline_search_actors_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM timeline_refresh_actors_search_documents(ARRAY(
    SELECT n.id FROM old_rows o JOIN new_rows n USING (id)
     WHERE (o.name_en, o.name_zh) IS DISTINCT FROM (n.name_en, n.name_zh)));
  RETURN NULL;
END $$;

CREATE FUNCTION timeline_search_actoraliases_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM timeline_refresh_actors_search_documents(ARRAY(SELECT actor_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM timeline_refresh_actors_search_documents(ARRAY(SELECT actor_id FROM old_rows));
  ELSE
    PERFORM timeline_refresh_actors_search_documents(ARRAY(
      SELECT unnest(ARRAY[o.actor_id, n.actor_id]) FROM old_rows o JOIN new_rows n USING (id)
       WHERE (o.actor_id, o.name) IS DISTINCT FROM (n.actor_id, n.name)));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER event_search_document BEFORE INSERT OR UPDATE OF
  title_en, title_zh, title_zh_hant, summary_en, summary_zh, summary_zh_hant
  ON events_event FOR EACH ROW EXECUTE FUNCTION timeline_event_search_document_set();
"""

# Each related table's trigger function; "actor" has no insert or delete trigger (a new actor is in no
# event, and a deleted one's participations go first).
RELATED_TABLES = {
    "events_citation": "timeline_search_citations_changed",
    "events_participation": "timeline_search_participations_changed",
    "events_actor": "timeline_search_actors_changed",
    "events_actoralias": "timeline_search_actoraliases_changed",
}
TRIGGER_EVENTS = {
    "ins": ("INSERT", "NEW TABLE AS new_rows"),
    "del": ("DELETE", "OLD TABLE AS old_rows"),
    "upd": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
}


def related_triggers() -> str:
    """Statement triggers, as transition tables allow one event per trigger."""
    return "\n".join(
        f"CREATE TRIGGER {table}_search_{name} AFTER {event} ON {table} REFERENCING {tables} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        for table, function in RELATED_TABLES.items()
        for name, (event, tables) in TRIGGER_EVENTS.items()
        if table != "events_actor" or event == "UPDATE"
    )


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
DROP FUNCTION IF EXISTS timeline_search_citations_changed();
DROP FUNCTION IF EXISTS timeline_search_participations_changed();
DROP FUNCTION IF EXISTS timeline_search_actors_changed();
DROP FUNCTION IF EXISTS timeline_search_actoraliases_changed();
DROP FUNCTION IF EXISTS timeline_refresh_actors_search_documents(bigint[]);
DROP FUNCTION IF EXISTS timeline_refresh_search_documents(bigint[]);
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
        print("\n  pg_trgm could not be created: English search terms of 3+ letters will scan (see the README).")


def backwards(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    related = "\n".join(
        f"DROP TRIGGER IF EXISTS {table}_search_{name} ON {table};"
        for table in RELATED_TABLES
        for name in TRIGGER_EVENTS
    )
    schema_editor.execute(REVERSE.format(related=related))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_event_title_in_any_language"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
