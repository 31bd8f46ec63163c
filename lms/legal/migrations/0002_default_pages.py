"""Create the legal pages with their default French content (lms.legal.content), unless they exist."""
from django.db import migrations


def create_legal_pages(apps, schema_editor):
    from lms.legal.content import legal_pages_ensure

    legal_pages_ensure(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("legal", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_legal_pages, migrations.RunPython.noop)]
