"""Give every enrolment its xAPI registration UUID, one fresh UUID per existing row."""
import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Enrolment = apps.get_model("learning", "Enrolment")
    for enrolment in Enrolment.objects.filter(registration__isnull=True).only("id"):
        Enrolment.objects.filter(pk=enrolment.pk).update(registration=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [
        migrations.AddField("enrolment", "registration", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("enrolment", "registration", models.UUIDField(default=uuid.uuid4, unique=True, editable=False)),
    ]
