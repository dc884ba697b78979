"""Search indexes: pg_trgm GIN on PostgreSQL (the searches use them), a plain index elsewhere."""

from __future__ import annotations

import pytest
from django.db import connection

from libraries.models import Person
from libraries.selectors import person_list
from meetings.models import Meeting
from plm_portal.indexes import TrigramIndex
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _indexes(table: str) -> dict[str, str]:
    """name -> definition (PostgreSQL) or the SQL SQLite kept."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
                [table],
            )
        return {name: definition or "" for name, definition in cursor.fetchall()}


def _plan(queryset, *, bitmap_only: bool = False) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test table is tiny, so the planner would rather read it all: forbid that (and, for a search,
            # walking a whole index), and see whether an index can answer the condition itself.
            cursor.execute("SET LOCAL enable_seqscan = off")
            if bitmap_only:
                cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


def test_trigram_index_deconstructs_to_what_it_was_built_from():
    index = TrigramIndex("phone", name="person_phone_trgm", upper=False)

    path, args, kwargs = index.deconstruct()

    assert path == "plm_portal.indexes.TrigramIndex"
    assert args == ("phone",)
    assert kwargs == {"name": "person_phone_trgm", "upper": False}
    assert TrigramIndex(*args, **kwargs).deconstruct() == (path, args, kwargs)


def test_search_indexes_exist_in_the_database_kind_they_suit():
    person = _indexes("libraries_person")
    meeting = _indexes("meetings_meeting")

    for name in (
        "person_name_trgm",
        "person_search_trgm",
        "person_phone_trgm",
        "person_name_order",
    ):
        assert name in person
    assert {"meeting_title_trgm", "meeting_list_order"} <= set(meeting)
    if connection.vendor == "postgresql":
        assert "USING gin (upper((full_name)::text) gin_trgm_ops)" in person["person_name_trgm"]
        assert "USING gin (phone gin_trgm_ops)" in person["person_phone_trgm"]
    else:
        assert "gin" not in person["person_name_trgm"].lower()


def test_people_search_is_answered_by_the_trigram_indexes(scenario):
    PersonFactory.create_batch(3, province=scenario.jambi)

    national = scenario.users["national"]
    plan = _plan(person_list(national, q="siti"), bitmap_only=True)
    phone_plan = _plan(person_list(national, q="0812 345"), bitmap_only=True)

    if connection.vendor == "postgresql":
        assert "Bitmap Index Scan on person_search_trgm" in plan
        assert "Bitmap Index Scan on person_phone_trgm" in phone_plan
        assert "Seq Scan on libraries_person" not in plan
    else:
        assert "libraries_person" in plan  # SQLite reads the table: correct, only slower
    assert Person.objects.count() >= 3


def test_meeting_list_page_is_read_in_index_order(scenario):
    from meetings.selectors import meeting_list

    plan = _plan(meeting_list(scenario.users["national"])[:20])

    if connection.vendor == "postgresql":
        assert "meeting_list_order" in plan
    assert Meeting.objects.exists()
