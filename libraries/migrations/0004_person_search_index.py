import libraries.models
import plm_portal.indexes
from django.db import migrations

# The people search's haystack on PostgreSQL (libraries.models.PersonHaystack). PL/pgSQL, so it is not inlined
# and keeps its COST: a scan that computes it for every person looks as expensive as it is, and the planner
# uses person_search_trgm instead.
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION plm_person_haystack(p_name text, p_email text, p_position text, p_institution text)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
BEGIN
    RETURN upper(coalesce(p_name, '') || ' ' || coalesce(p_email, '') || ' ' || coalesce(p_position, '')
                 || ' ' || coalesce(p_institution, ''));
END
$$
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS plm_person_haystack(text, text, text, text)"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [
        ("libraries", "0003_village_name_index"),
    ]

    operations = [
        migrations.RunPython(create_function, drop_function, elidable=False),
        migrations.AddIndex(
            model_name="person",
            index=plm_portal.indexes.TrigramIndex(
                libraries.models.PersonHaystack("full_name", "email", "position", "institution"),
                name="person_search_trgm",
                upper=False,
            ),
        ),
    ]
