"""Sessions go back to Django's own store (django.contrib.sessions, cached_db): the user column of this table
served a hand-off to the authentication backend that is gone. Open sessions end: their users log in again."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_session")]
    operations = [migrations.DeleteModel(name="Session")]
