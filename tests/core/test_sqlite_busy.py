"""The embedded SQLite default survives concurrent writers: WAL journal, and a writer that finds the database
locked waits (busy timeout) instead of failing with "database is locked".

CI runs the suite on PostgreSQL, so the test builds its own SQLite file and runs the application's settings
against it in a subprocess (DATABASE_URL=sqlite:///...), whatever the test database is.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r'''
import json, sqlite3, threading, time

import django
django.setup()

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

call_command("migrate", "sessions", verbosity=0)
path = settings.DATABASES["default"]["NAME"]
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
result = {"journal_mode": journal_mode, "vendor": connection.vendor}

def hold_write_lock(seconds):
    """Another process's writer: takes the write lock, keeps it `seconds`, commits."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, '', ?)",
                  (f"holder-{time.monotonic_ns()}", "2100-01-01 00:00:00"))
    def release():
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()
    thread = threading.Thread(target=release)
    thread.start()
    return thread

# Without a busy timeout, the same situation fails at once: the lock is real.
thread = hold_write_lock(1.0)
impatient = sqlite3.connect(path, timeout=0, isolation_level=None)
try:
    impatient.execute("INSERT INTO django_session VALUES ('impatient', '', '2100-01-01 00:00:00')")
    result["impatient"] = "written"
except sqlite3.OperationalError as error:
    result["impatient"] = str(error)
thread.join()

# The application's connection: a plain ORM write, then a write in a transaction (BEGIN IMMEDIATE).
for label, atomic in (("autocommit", False), ("atomic", True)):
    thread = hold_write_lock(1.0)
    time.sleep(0.1)
    started = time.monotonic()
    try:
        if atomic:
            with transaction.atomic():
                Session.objects.create(session_key=f"app-{label}", session_data="", expire_date=timezone.now())
        else:
            Session.objects.create(session_key=f"app-{label}", session_data="", expire_date=timezone.now())
        result[label] = {"ok": True, "waited": time.monotonic() - started}
    except Exception as error:
        result[label] = {"ok": False, "error": repr(error)}
    thread.join()
result["rows"] = Session.objects.filter(session_key__startswith="app-").count()
print(json.dumps(result))
'''


def test_sqlite_default_is_wal_and_a_locked_writer_waits_instead_of_failing(tmp_path):
    """One connection holds the write lock for 1 s; the app's ORM write waits for it and succeeds."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'busy.sqlite3'}", DJANGO_SETTINGS_MODULE="lms.settings.test")
    completed = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=60)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["vendor"] == "sqlite"
    assert result["journal_mode"] == "wal"
    assert "database is locked" in result["impatient"]
    for label in ("autocommit", "atomic"):
        assert result[label]["ok"], result[label]
        assert 0.5 < result[label]["waited"] < 15, result[label]  # it waited for the other writer, then wrote
    assert result["rows"] == 2
