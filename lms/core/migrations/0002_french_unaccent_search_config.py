"""PostgreSQL: the `french_unaccent` text search configuration that Wagtail's search uses (SEARCH_CONFIG in
lms.settings.base): French stemming, accents left out (« arterielle » finds « artérielle »).

`unaccent` is a trusted extension (PostgreSQL 13+): the owner of the database may create it. Nothing on SQLite,
where lms.core.text_search does the folding. After this migration on a database indexed before it, run
`manage.py update_index` (README, "Search").
"""
from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = pg_catalog.french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_cache_table")]
    operations = [migrations.RunPython(create_configuration, drop_configuration)]
