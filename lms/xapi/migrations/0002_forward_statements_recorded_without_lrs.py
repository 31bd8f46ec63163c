from django.db import migrations, models
from django.db.models import F


def to_send(apps, schema_editor):
    """Statements recorded while no LRS was configured ('local') are to send like the others."""
    Statement = apps.get_model("xapi", "Statement")
    Statement.objects.filter(status="local").update(status="pending", next_attempt_at=F("stored_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('xapi', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(to_send, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='statement',
            name='status',
            field=models.CharField(choices=[('pending', 'To send'), ('sent', 'Sent'), ('rejected', 'Rejected by the LRS')], default='pending', max_length=16),
        ),
    ]
