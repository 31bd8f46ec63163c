"""A class at once: trainees working through a track together, then a login storm, against gunicorn on PostgreSQL.

`make bench-class` (or `cd bench && ../.venv/bin/python class_load.py`):
  1. a fresh PostgreSQL database (`lms_bench_class` on the server of DATABASE_URL, 127.0.0.1 only), migrated; one
     training body, one track (modules of lessons, each with its quiz, and a final assessment), the class's trainees
     and the storm's, all with one password hashed once by whatever hasher the settings name;
  2. gunicorn with lms.settings.production (STATIC_ROOT moved to a temporary directory, collected first), 4
     workers, behind no proxy but told it has one (LMS_TRUSTED_PROXY_COUNT=1, X-Forwarded-Proto: https): each
     simulated person comes from an address of their own in X-Forwarded-For;
  3. the class: each trainee logs in, opens "Mon parcours", reads the lessons in order (heartbeats every
     CLASS_HEARTBEAT seconds while reading), marks each done, passes each quiz (a fifth fail once, then pass), and
     sometimes clicks twice (mark done, start, submit sent twice at once); arrivals are spread over the first tenth;
  4. the storm: STORM_LOGINS people log in within STORM_SECONDS (login form, login post, home page);
  5. prints per endpoint: requests, rate, p50/p95/p99 (client side, ms) and errors; then checks the database:
     one certificate per completed enrolment, no duplicate completion, no attempt graded twice; and, the logged
     heartbeats settled (settle_attendance), no one with more active time than the class lasted, each person's
     sessions' time equal to their lessons' and attempts'.

Environment (defaults: the full run; a short proof: CLASS_TRAINEES=30 CLASS_SECONDS=30 STORM_LOGINS=60):
  CLASS_TRAINEES (300), CLASS_SECONDS (300), CLASS_HEARTBEAT (30), CLASS_READ_SECONDS (reading time of a lesson,
  "min-max", default 40-100), CLASS_ANSWER_SECONDS (time answering a quiz, default 20-60), CLASS_FAST_SHARE (0.1:
  the share who skim, reading and answering in CLASS_FAST_SECONDS, default 5-15, and finish the track within the
  class), STORM_LOGINS (600), STORM_SECONDS (20), CLASS_WORKERS (4), CLASS_TIMEOUT (30, the
  client's time-out per request), GUNICORN_ARGS (extra flags; default: lms/gunicorn_conf.py when it exists, else
  threaded workers with a keep-alive above the client's), DATABASE_URL (a PostgreSQL server on 127.0.0.1).
Exit status 1 when the database checks fail or any request failed.
"""
import asyncio
import collections
import logging
import os
import random
import re
import secrets
import shlex
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from run import gunicorn_server, log, process_tree_cpu_seconds, production_env  # noqa: E402 (bench/ is the path)

DATABASE_NAME = "lms_bench_class"
DOMAIN = "classe.parcours-am.fr"
PASSWORD = "Classe-2026-tension!"
HOST = "127.0.0.1"  # the Host header (ALLOWED_HOSTS, the CSRF origin); the socket goes to gunicorn's port
MODULES, LESSONS = 2, 3
QUESTIONS = 5  # true/false, all true: a trainee who answers "true" everywhere passes, "false" fails


def env_int(name, default):
    return int(os.environ.get(name, default))


TRAINEES = env_int("CLASS_TRAINEES", 300)
SECONDS = env_int("CLASS_SECONDS", 300)
HEARTBEAT = env_int("CLASS_HEARTBEAT", 30)
READ_MIN, READ_MAX = (int(x) for x in os.environ.get("CLASS_READ_SECONDS", "40-100").split("-"))
ANSWER_MIN, ANSWER_MAX = (int(x) for x in os.environ.get("CLASS_ANSWER_SECONDS", "20-60").split("-"))
# Some go fast (they skim what they know): they finish the track within the class, so that its completions and
# certificates are issued under load and checked (one certificate per completed enrolment).
FAST_SHARE = float(os.environ.get("CLASS_FAST_SHARE", "0.1"))
FAST_MIN, FAST_MAX = (int(x) for x in os.environ.get("CLASS_FAST_SECONDS", "5-15").split("-"))
STORM = env_int("STORM_LOGINS", 600)
STORM_SECONDS = env_int("STORM_SECONDS", 20)
WORKERS = env_int("CLASS_WORKERS", 4)
TIMEOUT = env_int("CLASS_TIMEOUT", 30)
DOUBLE_CLICK = 0.15  # share of the form posts sent twice at once
FAIL_FIRST = 0.2  # share of trainees who fail each quiz once


# --- 1. Database ------------------------------------------------------------------------------------------------

def fresh_database():
    """DATABASE_URL pointed at a new, empty `lms_bench_class` on the same PostgreSQL server."""
    import psycopg
    from psycopg import sql

    parsed = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", "postgres://lms:lms@127.0.0.1:5432/lms"))
    if parsed.scheme not in {"postgres", "postgresql"} or parsed.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("bench-class: DATABASE_URL must name a PostgreSQL server on this machine (127.0.0.1)")
    conninfo = dict(host=parsed.hostname, port=parsed.port or 5432, user=urllib.parse.unquote(parsed.username or ""),
                    password=urllib.parse.unquote(parsed.password or ""), connect_timeout=10)
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE_NAME)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(parsed._replace(path=f"/{DATABASE_NAME}"))


def populate():
    """The track and the people; returns (class emails, storm emails, track id)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from lms.accounts.models import TraineeProfile, User
    from lms.catalog.models import ModulePage
    from lms.learning.models import Enrolment
    from tests.factories import make_quiz, make_track

    track = make_track(modules=MODULES, lessons=LESSONS, title="Parcours de la classe")
    questions = [{"type": "truefalse", "prompt": f"Affirmation {n} sur la tension artérielle.", "points": 1,
                  "answer": True} for n in range(1, QUESTIONS + 1)]
    for module in ModulePage.objects.child_of(track).order_by("path"):
        make_quiz(parent=module, title=f"Quiz — {module.title}", questions=questions, pass_mark=80, max_attempts=None,
                  shuffle_choices=False)
    make_quiz(parent=track, title="Évaluation finale", questions=questions, pass_mark=80, max_attempts=None,
              shuffle_choices=False)
    password = make_password(PASSWORD)  # once, whatever the hasher: every account shares it
    class_emails = [f"stagiaire{n:04d}@{DOMAIN}" for n in range(TRAINEES)]
    storm_emails = [f"orage{n:04d}@{DOMAIN}" for n in range(STORM)]
    users = User.objects.bulk_create([User(email=email, password=password, first_name="Camille", last_name=f"N{n}")
                                      for n, email in enumerate(class_emails + storm_emails)])
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    TraineeProfile.objects.bulk_create([TraineeProfile(user=u, entry_profile="secretary") for u in users])
    Enrolment.objects.bulk_create([Enrolment(trainee=u, track=track, training_body=track.training_body,
                                             starts_on=timezone.localdate()) for u in users[:TRAINEES]])
    return class_emails, storm_emails, track.pk


# --- 2. The server ----------------------------------------------------------------------------------------------

def gunicorn_args():
    extra = os.environ.get("GUNICORN_ARGS")
    if extra is None:
        conf = ROOT / "lms" / "gunicorn_conf.py"
        extra = (f"-c {conf}" if conf.exists() else
                 f"-k gthread --threads 4 --keep-alive {TIMEOUT + 45} --timeout {TIMEOUT} --graceful-timeout 5")
    return ["-w", str(WORKERS), *shlex.split(extra)]


def proxy_headers(address):
    """What the reverse proxy in front would add: the client's address, HTTPS, the public host."""
    return {"X-Forwarded-For": address, "X-Forwarded-Proto": "https", "Host": HOST}


# --- 3. The people ----------------------------------------------------------------------------------------------

class Stats:
    """Latencies and failures per endpoint label, for one phase."""

    def __init__(self):
        self.latencies = collections.defaultdict(list)
        self.errors = collections.defaultdict(collections.Counter)

    def table(self, seconds):
        rows = []
        for label in sorted(set(self.latencies) | set(self.errors)):
            values = sorted(self.latencies[label])
            failed = sum(self.errors[label].values())

            def pct(p):
                return round(values[min(int(len(values) * p), len(values) - 1)], 1) if values else "-"
            rows.append([label, len(values) + failed, round((len(values) + failed) / seconds, 1), pct(0.50),
                         pct(0.95), pct(0.99), failed, ", ".join(f"{k}×{v}" for k, v in self.errors[label].items())])
        return rows


class Person:
    """One browser: its own address, its own cookies (set by hand: the production cookies are Secure, and this
    client talks plain HTTP to gunicorn as a TLS-terminating proxy would), its own connections."""

    def __init__(self, base, address, stats):
        # verify=False: the connections are plain HTTP. Left to its default, httpx builds an SSL context for every
        # client (about 20-45 ms of CPU, reading the CA bundle) inside the event loop: 300 trainees arriving within
        # 30 s, or 600 logins within 20 s, stalled the loop for seconds, and every request's measured latency with it.
        self.http = httpx.AsyncClient(base_url=base, headers=proxy_headers(address), timeout=TIMEOUT, verify=False,
                                      limits=httpx.Limits(max_connections=2, keepalive_expiry=60))
        self.cookies, self.stats = {}, stats

    async def call(self, label, method, path, expect, data=None):
        """One request; a status other than `expect` (or a network error, a time-out) counts as an error."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers.update({"Origin": f"https://{HOST}", "Referer": f"https://{HOST}{path}",
                            "X-CSRFToken": self.cookies.get("csrftoken", "")})
        started = time.perf_counter()
        try:
            response = await self.http.request(method, path, data=data, headers=headers)
        except httpx.HTTPError as error:
            self.stats.errors[label][type(error).__name__] += 1
            return None
        elapsed = (time.perf_counter() - started) * 1000
        for line in response.headers.get_list("set-cookie"):
            name, _sep, value = line.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        if response.status_code not in (expect if isinstance(expect, tuple) else (expect,)):
            self.stats.errors[label][response.status_code] += 1
            return None
        self.stats.latencies[label].append(elapsed)
        return response

    async def post_form(self, label, path, data, expect=302, twice=False):
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        if not twice:
            return await self.call(label, "POST", path, expect, data)
        first, _second = await asyncio.gather(self.call(label, "POST", path, expect, data),
                                              self.call(label + " (2nd click)", "POST", path, expect, data))
        return first

    async def login(self, email):
        if await self.call("login form (GET)", "GET", "/comptes/login/", 200) is None:
            return False
        response = await self.post_form("login (POST)", "/comptes/login/", {"login": email, "password": PASSWORD})
        return response is not None

    async def close(self):
        await self.http.aclose()


async def trainee(n, email, base, stats, urls, stop_at, rng):
    """Log in, then work through the track in order until it is done or the time is up."""
    await asyncio.sleep(rng.uniform(0, SECONDS / 10))  # arrivals spread over the first tenth
    person = Person(base, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256 + 1}", stats)
    try:
        if not await person.login(email):
            return
        await person.call("Mon parcours (GET)", "GET", "/mon-parcours/", 200)
        fails_once = rng.random() < FAIL_FIRST
        pace = ((FAST_MIN, FAST_MAX),) * 2 if rng.random() < FAST_SHARE else ((READ_MIN, READ_MAX),
                                                                            (ANSWER_MIN, ANSWER_MAX))
        for module in urls["modules"]:
            for lesson in module["lessons"]:
                if time.monotonic() > stop_at:
                    return
                await person.call("lesson (GET)", "GET", lesson["page"], 200)
                await read(person, lesson["heartbeat"], rng, stop_at, pace[0])
                await person.post_form("mark done (POST)", lesson["done"], {}, twice=rng.random() < DOUBLE_CLICK)
            if not await pass_quiz(person, module["quiz"], rng, fails_once, stop_at, pace[1]):
                return
        if await pass_quiz(person, urls["final"], rng, fails_once, stop_at, pace[1]):
            await person.call("Mon parcours (GET)", "GET", "/mon-parcours/", 200)
    finally:
        await person.close()


async def read(person, heartbeat_url, rng, stop_at, seconds):
    """Reading a lesson (`seconds`: the range of its reading time): a heartbeat as the page opens (resume), then one
    every HEARTBEAT seconds."""
    await person.post_form("heartbeat (POST)", heartbeat_url, {"resume": "1"}, expect=200)
    left = rng.uniform(*seconds)
    while left > 0 and time.monotonic() < stop_at:
        pause = min(HEARTBEAT, left)
        await asyncio.sleep(pause)
        left -= pause
        await person.post_form("heartbeat (POST)", heartbeat_url, {}, expect=200)


TRAINEE_PAGES = {"Mon parcours (GET)", "lesson (GET)", "quiz (GET)", "attempt (GET)", "quiz result (GET)"}
QUESTION_FIELD = re.compile(r'name="(q-[0-9a-f-]+)" id="t-')


async def pass_quiz(person, quiz_url, rng, fails_once, stop_at, seconds):
    """Open the quiz, start an attempt, answer (wrong the first time for some; `seconds`: the range of the time
    spent answering), submit; again until passed."""
    await person.call("quiz (GET)", "GET", quiz_url, 200)
    for answer in (["false", "true"] if fails_once else ["true"]):
        if time.monotonic() > stop_at:
            return False
        started = await person.post_form("quiz start (POST)", quiz_url + "commencer/", {},
                                         twice=rng.random() < DOUBLE_CLICK)
        if started is None:
            return False
        attempt_url = urllib.parse.urlsplit(started.headers["location"]).path
        page = await person.call("attempt (GET)", "GET", attempt_url, 200)
        if page is None:
            return False
        await asyncio.sleep(rng.uniform(*seconds))
        form = {name: answer for name in QUESTION_FIELD.findall(page.text)} | {"action": "submit"}
        if len(form) != QUESTIONS + 1:
            person.stats.errors["attempt (GET)"]["questions not found"] += 1
            return False
        result = await person.post_form("quiz submit (POST)", attempt_url, form, twice=rng.random() < DOUBLE_CLICK)
        if result is None:
            return False
        await person.call("quiz result (GET)", "GET", urllib.parse.urlsplit(result.headers["location"]).path, 200)
    return True


async def storm_login(n, email, base, stats, times):
    """One person of the storm: the login form, the post, the home page; the time to be in, in seconds."""
    await asyncio.sleep(STORM_SECONDS * n / max(STORM, 1))
    person = Person(base, f"172.16.{n // 256 % 256}.{n % 256 + 1}", stats)
    started = time.monotonic()
    try:
        if await person.login(email) and await person.call("home (GET)", "GET", "/", 200) is not None:
            times.append(time.monotonic() - started)
    finally:
        await person.close()


def class_urls(track_id):
    from django.urls import reverse

    from lms.learning.selectors import track_structure

    structure = track_structure(track_id)
    lesson = lambda item: {"page": reverse("lesson", args=[item.id]), "done": reverse("lesson_mark_done", args=[item.id]),  # noqa: E731
                           "heartbeat": reverse("lesson_heartbeat", args=[item.id])}
    return {"modules": [{"lessons": [lesson(item) for item in m.lessons], "quiz": reverse("quiz", args=[m.quiz.id])}
                        for m in structure.modules],
            "final": reverse("quiz", args=[structure.final_assessment.id])}


class LoopLag:
    """How late the client's own event loop wakes up (a timer of TICK seconds, measured against the clock): the
    latencies measured are the server's only while this stays small. Printed beside each phase's table."""

    TICK = 0.05

    def __init__(self):
        self.lags = []

    async def watch(self):
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.TICK)
            self.lags.append((time.perf_counter() - before - self.TICK) * 1000)

    def summary(self):
        lags = sorted(self.lags) or [0.0]
        return (f"client event loop late by p50 {lags[len(lags) // 2]:.0f} ms, p99 {lags[int(len(lags) * 0.99)]:.0f}"
                f" ms, max {lags[-1]:.0f} ms")


async def watched(lag, *tasks):
    """Run the people's tasks with the loop's lag watched meanwhile."""
    watcher = asyncio.create_task(lag.watch())
    try:
        await asyncio.gather(*tasks)
    finally:
        watcher.cancel()


async def run_class(base, emails, urls, lag):
    stats, rng = Stats(), random.Random(2026)
    stop_at = time.monotonic() + SECONDS
    started = time.monotonic()
    await watched(lag, *(trainee(n, email, base, stats, urls, stop_at, random.Random(rng.random()))
                         for n, email in enumerate(emails)))
    return stats, time.monotonic() - started


async def run_storm(base, emails, lag):
    stats, times = Stats(), []
    started = time.monotonic()
    await watched(lag, *(storm_login(n, email, base, stats, times) for n, email in enumerate(emails)))
    return stats, time.monotonic() - started, times


# --- 5. Checks --------------------------------------------------------------------------------------------------

def database_checks(track_id, class_seconds):
    """Problems found in what the class left: each a line (none when all is well); and a few counts."""
    from django.db.models import Count, Q, Sum

    from lms.certificates.models import Certificate
    from lms.learning.attendance import settle_all
    from lms.learning.models import (ActivityBeat, Enrolment, EnrolmentStatus, LessonCompletion, LessonTime,
                                     ModuleCompletion, StudySession)
    from lms.quizzes.models import Attempt, AttemptStatus, QuestionOutcome
    from lms.xapi.models import Statement

    problems = []
    enrolments = Enrolment.objects.filter(track_id=track_id).annotate(certificate_count=Count("certificates"))
    completed = enrolments.filter(status=EnrolmentStatus.COMPLETED)
    if bad := completed.exclude(certificate_count=1).count():
        problems.append(f"{bad} completed enrolments without exactly one certificate")
    if bad := enrolments.exclude(status=EnrolmentStatus.COMPLETED).filter(certificate_count__gt=0).count():
        problems.append(f"{bad} certificates for enrolments not completed")
    duplicates = {
        "lesson completions": LessonCompletion.objects.values("enrolment", "lesson"),
        "module completions": ModuleCompletion.objects.values("enrolment", "module"),
        "question outcomes": QuestionOutcome.objects.values("attempt", "question_id"),
        "attempt numbers": Attempt.objects.values("enrolment", "quiz", "number"),
        # One statement per completion: a double click must not tell the LRS twice.
        "completion statements": Statement.objects.filter(verb__endswith="/completed").values("registration",
                                                                                             "object_id"),
        "lesson statements": Statement.objects.filter(verb__endswith="/experienced").values("registration",
                                                                                           "object_id"),
    }
    for name, rows in duplicates.items():
        if bad := rows.annotate(n=Count("pk")).filter(n__gt=1).count():
            problems.append(f"{bad} duplicated {name}")
    submitted = Attempt.objects.filter(status=AttemptStatus.SUBMITTED)
    graded = Statement.objects.filter(Q(verb__endswith="/passed") | Q(verb__endswith="/failed")).count()
    if graded != submitted.count():
        problems.append(f"{graded} pass/fail statements for {submitted.count()} graded attempts (graded twice?)")
    if bad := submitted.annotate(n=Count("outcomes")).exclude(n=QUESTIONS).count():
        problems.append(f"{bad} graded attempts without one outcome per question")
    # The heartbeats were only logged: settle them (the periodic job), then each person's time is counted once.
    settled, counted = settle_all()
    if ActivityBeat.objects.exists():
        problems.append("heartbeats left in the log after settlement")
    per_person = dict(StudySession.objects.values("user").annotate(s=Sum("active_seconds")).values_list("user", "s"))
    on_pages = dict(LessonTime.objects.values("enrolment__trainee").annotate(s=Sum("active_seconds"))
                    .values_list("enrolment__trainee", "s"))
    for user, seconds in Attempt.objects.values("enrolment__trainee").annotate(s=Sum("active_seconds")).values_list(
            "enrolment__trainee", "s"):
        on_pages[user] = on_pages.get(user, 0) + seconds
    if bad := sum(1 for seconds in per_person.values() if seconds > class_seconds + 1):
        problems.append(f"{bad} people with more active time than the class lasted ({class_seconds:.0f} s)")
    if bad := sum(1 for user in set(per_person) | set(on_pages) if per_person.get(user, 0) != on_pages.get(user, 0)):
        problems.append(f"{bad} people whose sessions' time differs from their lessons' and attempts' time")
    counts = {"enrolments": enrolments.count(), "completed": completed.count(),
              "certificates": Certificate.objects.count(), "lessons done": LessonCompletion.objects.count(),
              "modules completed": ModuleCompletion.objects.count(), "attempts graded": submitted.count(),
              "attempts passed": submitted.filter(passed=True).count(),
              "people settled at the end": settled, "their hours counted then": round(counted / 3600, 1),
              "active hours recorded": round(sum(per_person.values()) / 3600, 1)}
    return problems, counts


# ---------------------------------------------------------------------------------------------------------------

def main():
    from _setup import django_setup, print_table

    fresh_database()
    workdir = Path(tempfile.mkdtemp(prefix="parcours-class-"))
    secret_key = secrets.token_urlsafe(50)
    os.environ["SECRET_KEY"] = secret_key
    log(f"bench-class: {TRAINEES} trainees for {SECONDS} s (heartbeat {HEARTBEAT} s, reading {READ_MIN}-{READ_MAX} s),"
        f" storm of {STORM} logins within {STORM_SECONDS} s, {WORKERS} workers, database {DATABASE_NAME}")
    step = time.perf_counter()
    django_setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    class_emails, storm_emails, track_id = populate()
    urls = class_urls(track_id)
    log(f"  database ready in {time.perf_counter() - step:.0f} s")
    headers = ["endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "kinds"]
    failed = 0
    env = production_env(workdir, secret_key, host=HOST, LMS_TRUSTED_PROXY_COUNT="1",
                         MEDIA_ROOT=str(workdir / "media"), WEB_CONCURRENCY=str(WORKERS))
    with gunicorn_server(env, workdir / "gunicorn.log", gunicorn_args(), headers=proxy_headers("127.0.0.2"),
                         start_timeout=90) as (server, base):
        cpu0 = process_tree_cpu_seconds(server.pid)
        class_lag, storm_lag = LoopLag(), LoopLag()
        class_stats, class_seconds = asyncio.run(run_class(base, class_emails, urls, class_lag))
        cpu1 = process_tree_cpu_seconds(server.pid)
        rows = class_stats.table(class_seconds)
        total = sum(r[1] for r in rows)
        log(f"\nThe class: {TRAINEES} trainees, {class_seconds:.0f} s, {total} requests ({total / class_seconds:.1f}/s),"
            f" server CPU {cpu1 - cpu0:.0f} s ({(cpu1 - cpu0) / max(total, 1) * 1000:.1f} ms per request)")
        print_table(rows, headers)
        log(class_lag.summary())
        failed += sum(r[6] for r in rows)
        beats = sum(r[1] for r in rows if r[0] == "heartbeat (POST)")
        slow = [r[0] for r in rows if r[0] in TRAINEE_PAGES and r[4] != "-" and r[4] >= 300]
        log(f"heartbeats: {beats / max(total, 1):.0%} of the requests; target (0 errors, p95 under 300 ms on every "
            f"trainee page): {'met' if not sum(r[6] for r in rows) and not slow else 'NOT met'}"
            + (f" (p95 too slow: {', '.join(slow)})" if slow else ""))
        storm_stats, storm_seconds, times = asyncio.run(run_storm(base, storm_emails, storm_lag))
        cpu2 = process_tree_cpu_seconds(server.pid)
        rows = storm_stats.table(storm_seconds)
        times.sort()
        log(f"\nThe storm: {STORM} logins sent within {STORM_SECONDS} s; {len(times)} logged in, the last after "
            f"{max(times, default=0):.1f} s (median {times[len(times) // 2] if times else 0:.1f} s); "
            f"all done in {storm_seconds:.0f} s; server CPU {cpu2 - cpu1:.0f} s "
            f"({(cpu2 - cpu1) / max(STORM, 1):.2f} s per person: form, login, home)")
        print_table(rows, headers)
        log(storm_lag.summary())
        failed += sum(r[6] for r in rows)
        timeouts = sum(n for r in rows for kind, n in storm_stats.errors[r[0]].items() if "Timeout" in str(kind))
        log(f"storm target (every login within 60 s, 0 time-outs): "
            f"{'met' if len(times) == STORM and max(times, default=0) <= 60 and not timeouts else 'NOT met'}"
            f" ({timeouts} time-outs)")
    tracebacks = (workdir / "gunicorn.log").read_text(errors="replace").count("Traceback")
    problems, counts = database_checks(track_id, class_seconds)
    log("\nDatabase: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    log(f"gunicorn tracebacks: {tracebacks}")
    for problem in problems:
        log(f"  PROBLEM: {problem}")
    log("checks: " + ("OK" if not problems else f"{len(problems)} problems") + f"; request errors: {failed}")
    return 1 if problems or failed or tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
