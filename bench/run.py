"""The whole bench: a large dataset on a fresh database, the main pages timed in process, then over HTTP.

Run: make bench   (that is: cd bench && ../.venv/bin/python run.py)
     DATABASE_URL unset: a new SQLite file bench/bench-large.sqlite3 (deleted first);
     DATABASE_URL=postgres://lms:lms@127.0.0.1:5432/lms: a fresh database `lms_bench` on that server (dropped first;
     the database named in the URL is never touched).

What it does, bounded in time (5 to 8 minutes on 2 cores, of which the build takes 2 to 3):
  1. migrate, seed_demo (the shipped curriculum and the demo accounts), then bulk-create 2,000 trainees, 300
     practices with their employers (one practice has 1,000 assistants), employments, enrolments in the two tracks,
     lesson completions, 20,000 submitted quiz attempts with their question outcomes, certificates for the completed
     enrolments and 200,000 sent xAPI statements;
  2. in process (django.test.Client, force_login, DEBUG off): median and p95 ms of each main page, over up to 200
     runs (fewer for slow pages: about 20 s per page), and the SQL queries of one request;
  3. over HTTP: gunicorn with 2 sync workers and lms.settings.production (STATIC_ROOT moved to a temporary
     directory), a logged-in trainee's lesson page under wrk at concurrency 10 and 50 for 10 s, and quiz submissions
     (a wrk Lua script POSTing prepared in-progress attempts of 400 trainees, CSRF cookie + token) at concurrency 10;
     then the submission again, on the other half of the prepared attempts, under the configuration a production
     node runs (lms/gunicorn_conf.py: threaded workers, one per core plus one);
  4. prints one table and writes bench/results.json (engine, dataset sizes, timestamps, every row, wrk outputs).

Targets:
  - the trainee's pages (home, Mon parcours, track outline, lesson, quiz): under 10 ms median, at most 10 queries;
  - the employer table of a practice with 1,000 assistants: under 150 ms median;
  - the lesson page over HTTP: above 200 requests/s at concurrency 10 with 2 sync gunicorn workers, and no error;
  - the quiz submission: at most 8 queries on the data whatever the number of questions (in process; the database
    cache table of the in-process settings and BEGIN/COMMIT counted apart), and over HTTP at least 100 requests/s at
    concurrency 10 under each of the two servers, with no error.
"""
import json
import math
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

SIZES = {
    "trainees": 2000,
    "practices": 300,
    "big_practice_assistants": 1000,
    "attempts": 20000,
    "statements": 200000,
}
BATCH = 1000
PAGE_BUDGET_S = 20.0  # in-process time per page, beyond which fewer runs are made
FAST_RUNS = 200
WRK_SECONDS = 10
HTTP_SUBMITTERS = 400  # trainees whose in-progress attempts wrk submits (up to one per module quiz each)
BENCH_DOMAIN = "bench.parcours-am.fr"

FIRST_NAMES = ["Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Jade", "Louise", "Nadia", "Fatou",
               "Julie", "Marie", "Lucas", "Hugo", "Karim", "Thomas", "Nathalie", "Sophie", "Aurélie", "Linh", "Thị"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
              "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
              "Benali", "Nguyễn", "Diallo", "Haddad", "Girard", "Bonnet", "Faure", "Mercier", "Blanc", "Guérin"]
CITIES = ["Lyon", "Paris", "Marseille", "Lille", "Nantes", "Rennes", "Dijon", "Tours", "Brest", "Pau", "Metz"]


def log(message):
    print(message, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# 1. A fresh database
# ---------------------------------------------------------------------------------------------------------------

def fresh_database():
    """Point DATABASE_URL at a new, empty database; return (engine label, URL without password)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        path = HERE / "bench-large.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return "sqlite", os.environ["DATABASE_URL"]
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
        raise SystemExit(f"bench: unsupported DATABASE_URL scheme {parsed.scheme!r} (SQLite or PostgreSQL)")
    if parsed.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("bench: only a PostgreSQL server on this machine (127.0.0.1) may be used")
    import psycopg
    from psycopg import sql

    source = parsed.path.lstrip("/") or "postgres"
    name = source if source.endswith("_bench") else f"{source}_bench"
    conninfo = dict(host=parsed.hostname, port=parsed.port or 5432, user=urllib.parse.unquote(parsed.username or ""),
                    password=urllib.parse.unquote(parsed.password or ""), connect_timeout=10)
    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, **conninfo)
    except psycopg.OperationalError:
        admin = psycopg.connect(dbname=source, autocommit=True, **conninfo)
    with admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    bench_url = urllib.parse.urlunsplit(parsed._replace(path=f"/{name}"))
    os.environ["DATABASE_URL"] = bench_url
    safe = urllib.parse.urlunsplit(parsed._replace(path=f"/{name}", netloc=f"{parsed.username}@{parsed.hostname}:{parsed.port or 5432}"))
    return "postgresql", safe


# ---------------------------------------------------------------------------------------------------------------
# 2. The large dataset
# ---------------------------------------------------------------------------------------------------------------

def post_fields(question):
    """The form fields that answer a question (snapshot) right, as the attempt page would post them."""
    from lms.quizzes.grading import MULTIPLE, ORDERING, right_response

    name = f"q-{question['id']}"
    response = right_response(question)
    if question["type"] == MULTIPLE:
        return [(name, choice) for choice in response]
    if question["type"] == ORDERING:
        return [(f"{name}-{item_id}", str(rank)) for rank, item_id in enumerate(response, start=1)]
    return [(name, str(response))]


def build_dataset(rng):
    """Bulk-create the large dataset around the demo training body; return the row counts and each phase's time."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.db.models import Value
    from django.utils import timezone

    from _setup import random_enrolment
    from lms.accounts.models import EntryProfile, TraineeProfile, User
    from lms.catalog.models import TrackPage
    from lms.certificates.codes import new_code
    from lms.certificates.models import Certificate
    from lms.demo import data as demo
    from lms.learning.models import Cohort, Enrolment, EnrolmentStatus, LessonCompletion, ModuleCompletion, QuizCompletion
    from lms.learning.selectors import track_structure
    from lms.learning.services import track_for_profile
    from lms.organisations.models import Employment, Practice, PracticeMembership, TrainingBody, WorkingTime
    from lms.quizzes.grading import grade, right_response
    from lms.quizzes.models import Attempt, AttemptStatus, QuestionOutcome, QuizPage
    from lms.quizzes.questions import draw, question_specs
    from lms.xapi import statements as xs
    from lms.xapi.models import OutboxStatus, Statement
    from lms.xapi.services import validate

    from decimal import Decimal

    now = timezone.now()
    today = timezone.localdate()
    body = TrainingBody.objects.get(slug=demo.TRAINING_BODY["slug"])
    tracks = list(TrackPage.objects.live().filter(training_body=body).order_by("path"))
    structures = {t.pk: track_structure(t.pk) for t in tracks}
    profiles = [p for p in EntryProfile.values]
    track_of_profile = {p: track_for_profile(tracks, p).pk for p in profiles}

    # One frozen snapshot per quiz (as attempt_start draws it), answered right and half right.
    quiz_ids = [m.quiz.id for s in structures.values() for m in s.modules if m.quiz] + \
               [s.final_assessment.id for s in structures.values() if s.final_assessment]
    quizzes = {q.pk: q for q in QuizPage.objects.filter(pk__in=quiz_ids)}
    material = {}
    for quiz_id, quiz in quizzes.items():
        snapshot = draw(question_specs(quiz), count=quiz.draw_count, shuffle_choices=quiz.shuffle_choices,
                        rng=random.Random(quiz_id))
        right = {q["id"]: right_response(q) for q in snapshot}
        half = dict(list(right.items())[: len(right) // 2])
        variants = {}
        for passed_wanted, answers in ((True, right), (False, half)):
            result = grade(snapshot, answers)
            assert result.passed(quiz.pass_mark) is passed_wanted, (quiz_id, passed_wanted)
            variants[passed_wanted] = (answers, result)
        material[quiz_id] = {"quiz": quiz, "snapshot": snapshot, "variants": variants,
                             "prompts": {q["id"]: (q["prompt"], q["type"]) for q in snapshot}}

    n = SIZES["trainees"]
    counts = {}
    phases = {}
    clock = [time.perf_counter()]

    def phase(name):
        now_ = time.perf_counter()
        phases[name] = round(now_ - clock[0], 1)
        clock[0] = now_

    with transaction.atomic():
        # Trainees, their email addresses and profiles
        trainees = User.objects.bulk_create([
            User(email=f"apprenant{i:05d}@{BENCH_DOMAIN}", first_name=rng.choice(FIRST_NAMES),
                 last_name=rng.choice(LAST_NAMES), password=make_password(None)) for i in range(n)], batch_size=BATCH)
        assert all(u.pk for u in trainees), "bulk_create did not return primary keys"
        EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                          for u in trainees], batch_size=BATCH)
        weights = [0.35, 0.30, 0.10, 0.15, 0.10]  # secretary, care assistant, childcare, nurse, other
        trainee_profile = [rng.choices(profiles, weights)[0] for _ in trainees]
        TraineeProfile.objects.bulk_create([TraineeProfile(user=u, entry_profile=p)
                                            for u, p in zip(trainees, trainee_profile)], batch_size=BATCH)

        # Practices and their employers; practice 0 employs 1,000 assistants
        practices = Practice.objects.bulk_create(
            [Practice(name="Maison de santé du Parc (1 000 assistants)", city="Lyon")] +
            [Practice(name=f"Cabinet médical {i:03d}", city=rng.choice(CITIES)) for i in range(1, SIZES["practices"])],
            batch_size=BATCH)
        employers = User.objects.bulk_create([
            User(email=f"medecin{i:03d}@{BENCH_DOMAIN}", first_name=rng.choice(FIRST_NAMES),
                 last_name=rng.choice(LAST_NAMES), password=make_password(None)) for i in range(len(practices))],
            batch_size=BATCH)
        EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                          for u in employers], batch_size=BATCH)
        PracticeMembership.objects.bulk_create([PracticeMembership(practice=p, user=u)
                                                for p, u in zip(practices, employers)], batch_size=BATCH)

        big = SIZES["big_practice_assistants"]
        employments = []
        hired = []
        for i, trainee in enumerate(trainees):
            practice = practices[0] if i < big else practices[1 + (i - big) % (len(practices) - 1)]
            hired_on = today - timedelta(days=rng.randint(20, 1400))
            ended_on = None
            if rng.random() < 0.03:
                ended_on = min(hired_on + timedelta(days=rng.randint(30, 600)), today)
            hired.append(hired_on)
            employments.append(Employment(trainee=trainee, practice=practice, hired_on=hired_on, ended_on=ended_on,
                                          working_time=rng.choice(WorkingTime.values)))
        Employment.objects.bulk_create(employments, batch_size=BATCH)
        phase("users, practices, employments")

        # Cohorts and enrolments
        cohorts = {}
        for track in tracks:
            cohorts[track.pk] = Cohort.objects.bulk_create([
                Cohort(training_body=body, track=track, name=f"Session {k + 1} — {track.title[:60]}",
                       starts_on=today - timedelta(days=60 * k), place=rng.choice(CITIES + [""]))
                for k in range(6)])
        enrolments, enrolled_index = [], []
        for i, trainee in enumerate(trainees):
            enrolment = random_enrolment(rng, trainee=trainee, track_id=track_of_profile[trainee_profile[i]], body=body,
                                         hired_on=hired[i], cohorts=cohorts, today=today, now=now, completed_hours=10)
            if enrolment is not None:
                enrolments.append(enrolment)
                enrolled_index.append(i)
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)

        # Lessons done (in order), quiz attempts, module completions
        done_lessons = {}
        completions = []
        pairs = []  # (enrolment, quiz id, is final, last attempt passes, module)
        for enrolment in enrolments:
            structure = structures[enrolment.track_id]
            lessons = structure.lessons
            k = len(lessons) if enrolment.status == EnrolmentStatus.COMPLETED else rng.randint(0, len(lessons))
            done = {item.id for item in lessons[:k]}
            done_lessons[enrolment.pk] = done
            completions.extend(LessonCompletion(enrolment=enrolment, lesson_id=lesson_id) for lesson_id in done)
            for module in structure.modules:
                if module.quiz and all(item.id in done for item in module.lessons):
                    passes = enrolment.status == EnrolmentStatus.COMPLETED or rng.random() < 0.9
                    pairs.append((enrolment, module.quiz.id, False, passes, module))
            if enrolment.status == EnrolmentStatus.COMPLETED and structure.final_assessment:
                pairs.append((enrolment, structure.final_assessment.id, True, True, None))
        LessonCompletion.objects.bulk_create(completions, batch_size=BATCH)
        phase("enrolments, lesson completions")

        pairs = pairs[: SIZES["attempts"]]
        per_pair = [1] * len(pairs)
        module_pairs = [i for i, p in enumerate(pairs) if not p[2]]
        for i in rng.choices(module_pairs, k=max(SIZES["attempts"] - len(pairs), 0)):
            per_pair[i] += 1
        attempts, attempt_meta = [], []
        module_done, quiz_done = [], []
        # On PostgreSQL an expression keeps Django 5.2 off its UNNEST insert, whose array escaping (in psycopg's
        # Python code) is slow for 10 kB JSON snapshots: 2.5 times faster this way.
        submitted_status = Value(AttemptStatus.SUBMITTED) if connection.vendor == "postgresql" else AttemptStatus.SUBMITTED
        for (enrolment, quiz_id, is_final, passes, module), m in zip(pairs, per_pair):
            item = material[quiz_id]
            start = datetime.combine(enrolment.starts_on, datetime.min.time(), dt_timezone.utc) + timedelta(hours=9)
            for number in range(1, m + 1):
                passed = passes if number == m else False
                answers, result = item["variants"][passed]
                started_at = min(start + timedelta(days=rng.randint(0, 60), minutes=number * 30), now - timedelta(hours=1))
                submitted_at = started_at + timedelta(minutes=rng.randint(4, 25))
                attempts.append(Attempt(
                    enrolment=enrolment, quiz_id=quiz_id, number=number, status=submitted_status,
                    started_at=started_at, submitted_at=submitted_at, answers_saved_at=submitted_at,
                    questions=item["snapshot"], answers=answers, score=Decimal(str(result.score)),
                    max_score=Decimal(str(result.max_score)), percent=Decimal(str(result.percent)), passed=passed))
                attempt_meta.append((enrolment, quiz_id, passed, module))
            if passes:  # learning's record of the pass, as quizzes.services.attempt_submit writes it
                quiz_done.append(QuizCompletion(enrolment=enrolment, quiz_id=quiz_id, completed_at=submitted_at))
            if module is not None and passes:
                module_done.append(ModuleCompletion(enrolment=enrolment, module_id=module.id, completed_at=submitted_at))
        Attempt.objects.bulk_create(attempts, batch_size=BATCH // 2)
        QuizCompletion.objects.bulk_create(quiz_done, batch_size=BATCH, ignore_conflicts=True)
        assert all(a.pk for a in attempts)
        for attempt in attempts:
            attempt.status = AttemptStatus.SUBMITTED
        phase("attempts")
        outcomes = []
        for attempt in attempts:
            for r in material[attempt.quiz_id]["variants"][attempt.passed][1].results:
                outcomes.append(QuestionOutcome(attempt=attempt, quiz_id=attempt.quiz_id, question_id=r.question_id,
                                                awarded=Decimal(str(r.awarded)), max_points=Decimal(str(r.max_points)),
                                                correct=r.correct))
            if len(outcomes) >= 20000:
                QuestionOutcome.objects.bulk_create(outcomes, batch_size=BATCH * 2)
                counts["question_outcomes"] = counts.get("question_outcomes", 0) + len(outcomes)
                outcomes = []
        QuestionOutcome.objects.bulk_create(outcomes, batch_size=BATCH * 2)
        counts["question_outcomes"] = counts.get("question_outcomes", 0) + len(outcomes)
        ModuleCompletion.objects.bulk_create(module_done, batch_size=BATCH)
        phase("question outcomes, module completions")

        # Certificates of the completed enrolments (facts frozen, no PDF: the demo holder has the real one)
        certificates = []
        finals = {e.pk: a for a, (e, q, p, m) in zip(attempts, attempt_meta) if m is None and p}
        for enrolment in enrolments:
            if enrolment.status != EnrolmentStatus.COMPLETED:
                continue
            structure = structures[enrolment.track_id]
            final = finals.get(enrolment.pk)
            certificates.append(Certificate(
                enrolment=enrolment, code=new_code(), issued_at=enrolment.completed_at,
                trainee_name=f"{enrolment.trainee.first_name} {enrolment.trainee.last_name}",
                track_title=structure.title, training_body_name=body.name,
                training_body_number=body.registration_number, objectives=list(structure.objectives),
                nominal_hours=Decimal(str(structure.nominal_hours)), starts_on=enrolment.starts_on,
                ends_on=enrolment.completed_at.date(), final_score=final.percent if final else None,
                final_pass_mark=material[final.quiz_id]["quiz"].pass_mark if final else None,
                place_of_issue=body.city))
        Certificate.objects.bulk_create(certificates, batch_size=BATCH)

        # xAPI statements: registered, experienced, attempted, passed/failed, completed — then answered to the total
        counts["statements"] = build_statements(rng, enrolments, done_lessons, attempts, attempt_meta, module_done,
                                                structures, material, now, xs, Statement, OutboxStatus, validate)
        phase("certificates, statements")

    counts.update({
        "trainees": len(trainees), "employers": len(employers), "practices": len(practices),
        "big_practice_assistants": big, "employments": len(employments), "enrolments": len(enrolments),
        "lesson_completions": len(completions), "attempts": len(attempts), "module_completions": len(module_done),
        "certificates": len(certificates),
    })
    phase("commit")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would do shortly after such a load
        phase("analyze")
    log("  build phases (s): " + ", ".join(f"{k} {v}" for k, v in phases.items()))
    return counts, phases


def build_statements(rng, enrolments, done_lessons, attempts, attempt_meta, module_done, structures, material, now,
                     xs, Statement, OutboxStatus, validate):
    target = SIZES["statements"]
    track_act = {tid: xs.track_activity(s.id, s.title) for tid, s in structures.items()}
    module_act, lesson_act, module_of = {}, {}, {}
    for s in structures.values():
        for m in s.modules:
            module_act[m.id] = xs.module_activity(m.id, m.title)
            for lesson in m.lessons:
                lesson_act[lesson.id] = xs.lesson_activity(lesson.id, lesson.title)
                module_of[lesson.id] = m.id
            if m.quiz:
                module_of[m.quiz.id] = m.id
    quiz_act = {qid: xs.quiz_activity(qid, item["quiz"].title) for qid, item in material.items()}
    question_act = {qid: {k: xs.question_activity(qid, k, prompt) for k, (prompt, _t) in item["prompts"].items()}
                    for qid, item in material.items()}
    by_enrolment = {}
    for index, (enrolment, *_rest) in enumerate(attempt_meta):
        by_enrolment.setdefault(enrolment.pk, []).append(index)
    modules_by_enrolment = {}
    for mc in module_done:
        modules_by_enrolment.setdefault(mc.enrolment_id, []).append(mc)

    base = len(enrolments) + sum(len(v) for v in done_lessons.values()) + 2 * len(attempts) + len(module_done) + \
        sum(1 for e in enrolments if e.completed_at)
    budget = max(target - base, 0)
    answered = {}
    order = list(range(len(attempts)))
    rng.shuffle(order)
    for index in order:
        if budget <= 0:
            break
        k = min(len(attempts[index].questions), budget)
        answered[index] = k
        budget -= k

    def statements():
        for enrolment in enrolments:
            actor_id, registration = enrolment.trainee.public_id, enrolment.registration
            track = track_act[enrolment.track_id]
            moment = datetime.combine(enrolment.starts_on, datetime.min.time(), dt_timezone.utc) + timedelta(hours=8)
            yield enrolment, xs.registered(actor_id=actor_id, registration=registration, track=track, timestamp=moment)
            for n, lesson_id in enumerate(sorted(done_lessons[enrolment.pk])):
                at = min(moment + timedelta(hours=2 * n + 1), now)
                yield enrolment, xs.lesson_experienced(
                    actor_id=actor_id, registration=registration, lesson=lesson_act[lesson_id],
                    module=module_act[module_of[lesson_id]], track=track, duration_seconds=rng.randint(300, 2400),
                    timestamp=at)
            for index in by_enrolment.get(enrolment.pk, []):
                attempt = attempts[index]
                quiz = quiz_act[attempt.quiz_id]
                parent = module_act[module_of[attempt.quiz_id]] if attempt.quiz_id in module_of else track
                yield enrolment, xs.quiz_attempted(actor_id=actor_id, registration=registration, quiz=quiz,
                                                   parent=parent, track=track, timestamp=attempt.started_at)
                results = material[attempt.quiz_id]["variants"][attempt.passed][1].results
                for r in results[: answered.get(index, 0)]:
                    yield enrolment, xs.question_answered(
                        actor_id=actor_id, registration=registration, question=question_act[attempt.quiz_id][r.question_id],
                        question_type=material[attempt.quiz_id]["prompts"][r.question_id][1],
                        response=attempt.answers.get(r.question_id), success=r.correct, raw=r.awarded,
                        max_points=r.max_points, quiz=quiz, track=track, timestamp=attempt.submitted_at)
                yield enrolment, xs.quiz_result(
                    actor_id=actor_id, registration=registration, quiz=quiz, parent=parent, track=track,
                    raw=attempt.score, max_score=attempt.max_score, passed=attempt.passed,
                    duration_seconds=(attempt.submitted_at - attempt.started_at).total_seconds(),
                    timestamp=attempt.submitted_at)
            for mc in modules_by_enrolment.get(enrolment.pk, []):
                yield enrolment, xs.module_completed(actor_id=actor_id, registration=registration,
                                                     module=module_act[mc.module_id], track=track, timestamp=mc.completed_at)
            if enrolment.completed_at:
                yield enrolment, xs.track_completed(actor_id=actor_id, registration=registration, track=track,
                                                    timestamp=enrolment.completed_at)

    rows, total, checked = [], 0, 0
    for enrolment, statement in statements():
        if total >= target:
            break
        if total % 10000 == 0 and checked < 20:  # a sample goes through the app's own validation (ralph's models)
            validate(statement)
            checked += 1
        moment = datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
        rows.append(Statement(id=uuid.UUID(statement["id"]), actor_id=enrolment.trainee_id,
                              registration=enrolment.registration, verb=statement["verb"]["id"],
                              object_id=statement["object"]["id"], timestamp=moment, data=statement,
                              status=OutboxStatus.SENT, attempts=1, sent_at=moment + timedelta(seconds=30)))
        total += 1
        if len(rows) >= 5000:
            Statement.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
    Statement.objects.bulk_create(rows, batch_size=BATCH)
    return total


# ---------------------------------------------------------------------------------------------------------------
# 3. In-process measures
# ---------------------------------------------------------------------------------------------------------------

def percentile(sorted_values, p):
    return sorted_values[max(math.ceil(len(sorted_values) * p / 100) - 1, 0)]


def measure(label, request, *, expect, prepare=None, max_runs=FAST_RUNS, budget=PAGE_BUDGET_S):
    """Time `request(prepared)` (prepare() untimed before each run): median/p95 ms and the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    row = {"page": label, "kind": "in-process", "runs": 0, "median_ms": None, "p95_ms": None, "queries": None,
           "errors": 0, "note": ""}
    single = []
    for _ in range(3):  # warm-up (caches, templates) and a first estimate
        arg = prepare() if prepare else None
        start = time.perf_counter()
        response = request(arg)
        single.append(time.perf_counter() - start)
        if response.status_code != expect:
            row["note"] = f"HTTP {response.status_code}, expected {expect}"
            row["errors"] = 1
            return row
    estimate = min(single)
    runs = max_runs if estimate * max_runs <= budget else max(10, int(budget / estimate))
    deadline = time.perf_counter() + 2 * budget
    timings, cpu = [], []
    for _ in range(runs):
        arg = prepare() if prepare else None
        start, start_cpu = time.perf_counter(), time.process_time()
        response = request(arg)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if response.status_code != expect:
            row["errors"] += 1
        if time.perf_counter() > deadline and len(timings) >= 10:
            break
    arg = prepare() if prepare else None
    with CaptureQueriesContext(connection) as ctx:
        request(arg)
    timings.sort()
    cpu.sort()
    row.update(runs=len(timings), median_ms=round(statistics.median(timings), 2), p95_ms=round(percentile(timings, 95), 2),
               queries=len(ctx.captured_queries), cpu_median_ms=round(statistics.median(cpu), 2))
    row.update(query_kinds(ctx.captured_queries))
    if row["cache_queries"] or row["transaction_queries"]:
        row["note"] = (f"{row['data_queries']} on the data; {row['cache_queries']} on the database cache table (Redis in "
                       f"production), {row['transaction_queries']} BEGIN/COMMIT/SAVEPOINT")
    return row


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def query_kinds(captured):
    """The queries of one request split three ways: those on the data, those on the database cache table (the
    in-process settings' cache: a Redis round trip in production, not SQL) and transaction control."""
    from django.conf import settings

    cache = settings.CACHES["default"]
    table = cache["LOCATION"] if cache["BACKEND"].endswith("DatabaseCache") else None
    kinds = {"data_queries": 0, "cache_queries": 0, "transaction_queries": 0}
    for query in captured:
        sql = query["sql"].strip()
        if sql.upper().startswith(TRANSACTION_CONTROL):
            kinds["transaction_queries"] += 1
        elif table and f'"{table}"' in sql:
            kinds["cache_queries"] += 1
        else:
            kinds["data_queries"] += 1
    return kinds


def in_process(actors):
    from django.test import Client
    from django.urls import reverse

    rows = []
    trainee, lesson_id, quiz_id, track_id = actors["trainee"], actors["lesson_id"], actors["quiz_id"], actors["track_id"]
    client = Client()
    client.force_login(trainee)
    employer = Client()
    employer.force_login(actors["employer"])
    manager = Client()
    manager.force_login(actors["manager"])
    holder = Client()
    holder.force_login(actors["certificate_holder"])
    anonymous = Client()

    def get(c, url):
        return lambda _arg: c.get(url)

    pages = [
        ("Home (trainee logged in)", get(client, "/"), 200),
        ("Mon parcours", get(client, reverse("my_track")), 200),
        ("Track outline", get(client, reverse("track_outline", args=[track_id])), 200),
        ("Lesson", get(client, reverse("lesson", args=[lesson_id])), 200),
        ("Quiz page", get(client, reverse("quiz", args=[quiz_id])), 200),
    ]
    for label, request, expect in pages:
        rows.append(measure(label, request, expect=expect))
        log(f"  {label}: {rows[-1]['median_ms']} ms median, {rows[-1]['queries']} queries {rows[-1]['note']}")

    # Quiz submission: a fresh attempt started (untimed) through the app before each run, then the form posted.
    from lms.quizzes.models import Attempt

    start_url = reverse("quiz_start", args=[quiz_id])

    def prepare_attempt():
        response = client.post(start_url)
        match = re.search(r"/apprendre/tentatives/(\d+)/", response.get("Location", ""))
        if not match:
            raise RuntimeError(f"quiz start answered {response.status_code} {response.get('Location')}")
        attempt = Attempt.objects.get(pk=int(match.group(1)))
        data = [("action", "submit")] + [f for q in attempt.questions for f in post_fields(q)]
        return reverse("attempt", args=[attempt.pk]), urllib.parse.urlencode(data)

    def submit(prepared):
        url, body = prepared
        return client.post(url, body, content_type="application/x-www-form-urlencoded")

    rows.append(measure("Quiz submission (POST, 10 questions)", submit, expect=302, prepare=prepare_attempt, max_runs=100))
    log(f"  quiz submission: {rows[-1]['median_ms']} ms median, {rows[-1]['queries']} queries {rows[-1]['note']}")

    others = [
        (f"Employer table ({SIZES['big_practice_assistants']} assistants)", get(employer, reverse("practice_home")), 200),
        ("Training body: deadlines report", get(manager, reverse("training_body_deadlines")), 200),
        ("Training body: learners list", get(manager, reverse("enrolment_list")), 200),
    ]
    for label, request, expect in others:
        rows.append(measure(label, request, expect=expect))
        log(f"  {label}: {rows[-1]['median_ms']} ms median, {rows[-1]['queries']} queries {rows[-1]['note']}")

    ip = iter(range(1, 10 ** 7))

    def verify(_arg):
        n = next(ip)
        return anonymous.get(reverse("certificate_verify", args=[actors["certificate_code"]]),
                             REMOTE_ADDR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")

    rows.append(measure("Certificate verification (public)", verify, expect=200))
    rows.append(measure("Certificate PDF download", get(holder, reverse("certificate_download",
                                                                       args=[actors["certificate_id"]])), expect=200))
    for row in rows[-2:]:
        log(f"  {row['page']}: {row['median_ms']} ms median, {row['queries']} queries {row['note']}")
    return rows


def pick_actors():
    """The trainee measured (long track, about half done, has attempts), the lesson and quiz, and the others."""
    from django.db.models import Count

    from lms.accounts.models import User
    from lms.certificates.models import Certificate
    from lms.demo import data as demo
    from lms.learning.models import Enrolment, EnrolmentStatus
    from lms.learning.selectors import done_items, track_structure
    from lms.organisations.models import Practice

    candidates = (Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, trainee__email__endswith=BENCH_DOMAIN,
                                           trainee__employments__practice__name__startswith="Maison de santé")
                  .annotate(done=Count("lesson_completions", distinct=True), tries=Count("attempts", distinct=True))
                  .filter(tries__gte=3).select_related("trainee").order_by("-done"))
    chosen = None
    for enrolment in candidates:
        structure = track_structure(enrolment.track_id)
        done = done_items(enrolment)[0]
        remaining = [item for item in structure.lessons if item.id not in done]
        if len(structure.lessons) >= 40 and 0.3 <= len(done) / len(structure.lessons) <= 0.7 and remaining:
            chosen = (enrolment, structure, remaining[0])
            break
    if chosen is None:
        raise SystemExit("bench: no suitable trainee in the dataset")
    enrolment, structure, next_lesson = chosen
    module = next(m for m in structure.modules if any(item.id == next_lesson.id for item in m.lessons))
    big_practice = Practice.objects.get(name__startswith="Maison de santé")
    certificate = Certificate.objects.filter(enrolment__trainee__email=demo.demo_email("nadia.benali")).exclude(pdf="").get()
    return {
        "trainee": enrolment.trainee, "enrolment": enrolment, "track_id": enrolment.track_id,
        "lesson_id": next_lesson.id, "lesson_title": next_lesson.title, "quiz_id": module.quiz.id,
        "employer": big_practice.memberships.get().user,
        "manager": User.objects.get(email=demo.demo_email("responsable")),
        "certificate_holder": certificate.enrolment.trainee, "certificate_id": certificate.pk,
        "certificate_code": certificate.code,
    }


# ---------------------------------------------------------------------------------------------------------------
# 4. Over HTTP: gunicorn + wrk
# ---------------------------------------------------------------------------------------------------------------

WRK_LUA = r"""
threads = {}
items = {}
idx, sent, wrapped, n2, n3, n4, n5 = 0, 0, 0, 0, 0, 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      local c, p, b = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      if c then table.insert(items, {c, p, b}) end
    end
  end
end

%(request)s

function response(status, headers, body)
  if status < 300 then n2 = n2 + 1 elseif status < 400 then n3 = n3 + 1
  elseif status < 500 then n4 = n4 + 1 else n5 = n5 + 1 end
end

function done(summary, latency, requests)
  local t = {0, 0, 0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    t[1] = t[1] + thread:get("n2"); t[2] = t[2] + thread:get("n3"); t[3] = t[3] + thread:get("n4")
    t[4] = t[4] + thread:get("n5"); t[5] = t[5] + thread:get("sent"); t[6] = math.max(t[6], thread:get("wrapped"))
  end
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %%d, "duration_us": %%d, "status_errors": %%d, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "timeout": %%d, "p50_us": %%d, "p75_us": %%d, "p90_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "mean_us": %%.1f, "s2xx": %%d, "s3xx": %%d, "s4xx": %%d, "s5xx": %%d, ' ..
    '"items_sent": %%d, "items_wrapped": %%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(75), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, t[1], t[2], t[3], t[4], t[5], t[6]))
end
"""

POST_REQUEST = r"""
function request()
  idx = idx + 1
  if idx > #items then idx = 1; wrapped = 1 end
  sent = sent + 1
  local it = items[idx]
  return wrk.format("POST", it[2], {["Cookie"] = it[1], ["Content-Type"] = "application/x-www-form-urlencoded"}, it[3])
end
"""

SHIM_SETTINGS = '''"""lms.settings.production for the bench: STATIC_ROOT moves to a temporary directory, and the PDF and
Open Badges signing keys are the development ones of this checkout (one machine: every worker reads the same files)."""
import os

from lms.settings.production import *  # noqa: F401,F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
PDF_SIGNING_GENERATE = True
OPEN_BADGES_GENERATE_KEY = True
'''


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_call(url, *, data=None, cookie="", timeout=10, headers=None):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=data.encode() if data else None,
                                     headers={**(headers or {}), **({"Cookie": cookie} if cookie else {})})
    if data:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def process_tree_cpu_seconds(root_pid):
    """User + system CPU seconds of a process and its children (gunicorn master and workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)  # ppid, utime+stime
    return sum(cpu for pid, (ppid, cpu) in stats.items() if pid == root_pid or ppid == root_pid)


def others_cpu_share(seconds=1.0):
    """Share of all CPUs busy during a short pause of this process: what other processes are using."""
    def sample():
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(values), values[3] + values[4]  # total, idle + iowait

    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return round(1 - (idle1 - idle0) / max(total1 - total0, 1), 2)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from importlib import import_module

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def submission_items(exclude_user_id):
    """In-progress attempts of HTTP_SUBMITTERS trainees on their module quizzes (unlimited attempts), each with its
    session cookie, CSRF cookie and the form that answers it right: one line per attempt for the wrk script."""
    from django.conf import settings
    from django.db.models import Max
    from django.urls import reverse
    from django.utils import timezone

    from lms.learning.models import Enrolment, EnrolmentStatus
    from lms.learning.selectors import track_structure
    from lms.quizzes.models import Attempt, AttemptStatus, QuizPage
    from lms.quizzes.questions import draw, question_specs

    enrolments = list(Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, trainee__email__endswith=BENCH_DOMAIN)
                      .exclude(trainee_id=exclude_user_id).select_related("trainee").order_by("pk")[:HTTP_SUBMITTERS])
    numbers = {(r["enrolment_id"], r["quiz_id"]): r["n"] for r in Attempt.objects.filter(enrolment__in=enrolments)
               .values("enrolment_id", "quiz_id").annotate(n=Max("number"))}
    quiz_cache = {}
    attempts, lines = [], []
    now = timezone.now()
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    for enrolment in enrolments:
        cookie = f"{session_cookie(enrolment.trainee)}; {settings.CSRF_COOKIE_NAME}={csrf}"
        for module in track_structure(enrolment.track_id).modules:
            if not module.quiz:
                continue
            if module.quiz.id not in quiz_cache:
                quiz = QuizPage.objects.get(pk=module.quiz.id)
                assert quiz.max_attempts is None and quiz.time_limit_minutes is None
                quiz_cache[quiz.pk] = question_specs(quiz), quiz
            specs, quiz = quiz_cache[module.quiz.id]
            attempts.append(Attempt(enrolment=enrolment, quiz=quiz, status=AttemptStatus.IN_PROGRESS, started_at=now,
                                    number=numbers.get((enrolment.pk, quiz.pk), 0) + 1,
                                    questions=draw(specs, count=quiz.draw_count, shuffle_choices=quiz.shuffle_choices)))
            lines.append(cookie)
    Attempt.objects.bulk_create(attempts, batch_size=BATCH // 2)
    items = []
    for attempt, cookie in zip(attempts, lines):
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", csrf), ("action", "submit")] +
                                      [f for q in attempt.questions for f in post_fields(q)])
        items.append((cookie, reverse("attempt", args=[attempt.pk]), body, attempt.pk))
    rng = random.Random(7)
    rng.shuffle(items)  # one trainee's attempts are not submitted back to back
    return items


def run_wrk(workdir, name, url, *, connections, header=None, items_file=None, server_pid=None):
    script = workdir / f"{name}.lua"
    script.write_text(WRK_LUA % {"request": POST_REQUEST if items_file else ""})
    command = ["wrk", "-t1", f"-c{connections}", f"-d{WRK_SECONDS}s", "--timeout", "5s", "--latency", "-s", str(script)]
    if header:
        command += ["-H", header]
    command.append(url)
    if items_file:
        command += ["--", str(items_file)]
    cpu_before = process_tree_cpu_seconds(server_pid) if server_pid else None
    result = subprocess.run(command, capture_output=True, text=True, timeout=WRK_SECONDS + 60)
    cpu_after = process_tree_cpu_seconds(server_pid) if server_pid else None
    match = re.search(r"^WRKJSON (.*)$", result.stdout, re.M)
    if result.returncode != 0 or not match:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout}\n{result.stderr}")
    stats = json.loads(match.group(1))
    stats["raw"] = result.stdout
    if server_pid and stats["requests"]:
        stats["server_cpu_ms_per_request"] = round((cpu_after - cpu_before) * 1000 / stats["requests"], 2)
    return stats


def http_row(label, connections, stats):
    seconds = stats["duration_us"] / 1e6
    errors = stats["status_errors"] + stats["connect"] + stats["read"] + stats["write"] + stats["timeout"]
    note = f"{stats['requests']} req; p50/p90/p99 {stats['p50_us'] / 1000:.1f}/{stats['p90_us'] / 1000:.1f}/" \
           f"{stats['p99_us'] / 1000:.1f} ms"
    if stats["items_wrapped"]:
        note += "; ran out of prepared attempts (replays)"
    return {"page": f"{label} — c{connections}", "kind": "http", "runs": stats["requests"],
            "median_ms": round(stats["p50_us"] / 1000, 2), "p95_ms": round(stats["p95_us"] / 1000, 2), "queries": None,
            "cpu_median_ms": stats.get("server_cpu_ms_per_request"),
            "rps": round(stats["requests"] / seconds, 1) if seconds else 0, "errors": errors,
            "non_2xx_3xx": stats["status_errors"], "socket_errors": {k: stats[k] for k in ("connect", "read", "write", "timeout")},
            "statuses": {k: stats[k] for k in ("s2xx", "s3xx", "s4xx", "s5xx")}, "note": note, "wrk": stats}


def own_cache_prefix():
    """The environment that gives this run's servers a cache of their own: the database is new each run, so is the
    cache (with REDIS_URL, a key prefix of this run's; what earlier runs left in that Redis is never read)."""
    return {"REDIS_KEY_PREFIX": f"bench-{secrets.token_hex(4)}"}


def production_env(workdir, secret_key, *, host="127.0.0.1", **extra):
    """The environment of a production node under test: lms.settings.production through SHIM_SETTINGS (written into
    `workdir`, its static files collected there), serving `host`, with this run's cache prefix; `extra` adds
    variables."""
    (workdir / "bench_production_settings.py").write_text(SHIM_SETTINGS)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench_production_settings", "PYTHONPATH": f"{workdir}:{ROOT}",
        "BENCH_STATIC_ROOT": str(workdir / "static"), "SECRET_KEY": secret_key, "ALLOWED_HOSTS": host,
        "LMS_BASE_URL": f"https://{host}", "SECURE_SSL_REDIRECT": "false", "LOG_LEVEL": "WARNING",
        **own_cache_prefix(), **extra,
    })
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                   timeout=600)
    return env


def gunicorn_bin():
    """The gunicorn of the Python running the bench (the project's .venv when it is run otherwise)."""
    beside = Path(sys.executable).parent / "gunicorn"
    return beside if beside.exists() else ROOT / ".venv" / "bin" / "gunicorn"


class gunicorn_server:
    """gunicorn on a free port with these arguments (its output in `log_path`), ready to answer (its home page
    answers 200 to a request with `headers`, within `start_timeout` seconds); stopped on exit."""

    def __init__(self, env, log_path, args, *, headers=None, start_timeout=60):
        self.command = [str(gunicorn_bin()), "lms.wsgi:application", *args]
        self.env, self.log_path, self.headers, self.start_timeout = env, log_path, headers, start_timeout

    def __enter__(self):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log(f"  gunicorn: {' '.join(self.command[1:])} -b 127.0.0.1:{port}")
        with open(self.log_path, "ab") as log_file:
            self.server = subprocess.Popen([*self.command, "-b", f"127.0.0.1:{port}"], cwd=ROOT, env=self.env,
                                           stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        while True:
            try:
                if http_call(base + "/", timeout=3, headers=self.headers)[0] == 200:
                    return self.server, base
            except OSError:
                pass
            if self.server.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"gunicorn did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.3)

    def __exit__(self, *exc):
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait(timeout=10)


def submissions_over_http(workdir, base, server, items, label, checks, key=""):
    """wrk at concurrency 10 posting the prepared attempts' answers; the row, and how many were graded."""
    from lms.quizzes.models import Attempt, AttemptStatus

    items_file = workdir / f"{key}submissions.tsv"
    items_file.write_text("".join(f"{c}\t{p}\t{b}\n" for c, p, b, _pk in items))
    started_at = time.time()
    stats = run_wrk(workdir, f"{key}submit-c10", base + items[0][1], connections=10, items_file=items_file,
                    server_pid=server.pid)
    row = http_row(label, 10, stats)
    submitted = Attempt.objects.filter(pk__in=[pk for *_x, pk in items], status=AttemptStatus.SUBMITTED).count()
    row["note"] += f"; {submitted} attempts graded in the database"
    checks[f"{key}submitted_by_wrk"] = submitted
    checks[f"{key}prepared_attempts"] = len(items)
    log(f"  {row['page']}: {row['rps']} req/s, p95 {row['p95_ms']} ms, errors {row['errors']} "
        f"({submitted} graded, {time.time() - started_at:.0f} s)")
    return row


def over_http(actors, workdir, secret_key):
    from django.urls import reverse

    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing (apt-get install -y wrk)")
    started = time.perf_counter()
    env = production_env(workdir, secret_key)
    log(f"  collectstatic (production storage, into a temporary STATIC_ROOT): {time.perf_counter() - started:.1f} s")

    lesson_url = reverse("lesson", args=[actors["lesson_id"]])
    cookie = session_cookie(actors["trainee"])
    items = submission_items(actors["trainee"].pk)  # the first checks the flow (CSRF, session); wrk gets the others,
    first_run, shipped_run = items[1::2], items[2::2]  # half under each server (they were shuffled)

    rows, checks = [], {}
    # The pages under the bench's historical server (2 sync workers, its targets' conditions), then the submission
    # again under the configuration a production node runs (lms/gunicorn_conf.py: threaded workers).
    with gunicorn_server(env, workdir / "gunicorn.log",
                         ["-w", "2", "--timeout", "30", "--graceful-timeout", "5"]) as (server, base):
        status, _headers, body = http_call(base + lesson_url, cookie=cookie)
        checks["lesson_status"] = status
        if status != 200 or actors["lesson_title"].encode() not in body.replace(b"&#x27;", b"'"):
            raise RuntimeError(f"the logged-in lesson page answered {status} over HTTP")
        cookie0, path0, body0, pk0 = items[0]
        status, headers, _body = http_call(base + path0, data=body0, cookie=cookie0)
        checks["submission_status"] = status
        checks["submission_location"] = headers.get("Location")
        if status != 302 or "/resultat/" not in headers.get("Location", ""):
            raise RuntimeError(f"the quiz submission answered {status} {headers.get('Location')} over HTTP")
        for _ in range(20):  # both workers warm
            http_call(base + lesson_url, cookie=cookie)
        for connections in (10, 50):
            stats = run_wrk(workdir, f"lesson-c{connections}", base + lesson_url, connections=connections,
                            header=f"Cookie: {cookie}", server_pid=server.pid)
            rows.append(http_row("HTTP lesson page (GET)", connections, stats))
            log(f"  {rows[-1]['page']}: {rows[-1]['rps']} req/s, p95 {rows[-1]['p95_ms']} ms, errors {rows[-1]['errors']}")
        rows.append(submissions_over_http(workdir, base, server, first_run, "HTTP quiz submission (POST)", checks))
    shipped = ROOT / "lms" / "gunicorn_conf.py"
    with gunicorn_server(env, workdir / "gunicorn-shipped.log",
                         ["-c", str(shipped)]) as (server, base):
        for _ in range(20):
            http_call(base + lesson_url, cookie=cookie)
        rows.append(submissions_over_http(workdir, base, server, shipped_run,
                                          "HTTP quiz submission (POST), lms/gunicorn_conf.py", checks, key="shipped_"))
    text = "".join(path.read_text(errors="replace") for path in sorted(workdir.glob("gunicorn*.log")))
    checks["gunicorn_tracebacks"] = text.count("Traceback")
    checks["gunicorn_log_tail"] = text[-4000:] if text.count("Traceback") or "ERROR" in text else ""
    return rows, checks


# ---------------------------------------------------------------------------------------------------------------

def main():
    run_started = time.perf_counter()
    started_at = datetime.now(dt_timezone.utc)
    engine, database = fresh_database()
    workdir = Path(tempfile.mkdtemp(prefix="parcours-bench-"))
    secret_key = secrets.token_urlsafe(50)
    os.environ["SECRET_KEY"] = secret_key  # the same key in process and in gunicorn: sessions made here work there
    os.environ["MEDIA_ROOT"] = str(workdir / "media")  # the demo certificate's PDF lands here, not in media/
    timings = {}
    try:
        log(f"bench: {engine} database {database}")
        sys.path.insert(0, str(HERE))
        from _setup import django_setup, print_table

        step = time.perf_counter()
        call_command = django_setup()  # DEBUG off, migrate
        import logging
        import warnings

        logging.getLogger("django.request").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collected static in dev
        timings["migrate_s"] = round(time.perf_counter() - step, 1)
        step = time.perf_counter()
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
        timings["seed_demo_s"] = round(time.perf_counter() - step, 1)
        log(f"migrate {timings['migrate_s']} s, seed_demo {timings['seed_demo_s']} s")

        step = time.perf_counter()
        counts, timings["build_phases_s"] = build_dataset(random.Random(2026))
        timings["build_s"] = round(time.perf_counter() - step, 1)
        log(f"dataset built in {timings['build_s']} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

        actors = pick_actors()
        log(f"measured trainee: {actors['trainee'].email} (lesson {actors['lesson_id']}, quiz {actors['quiz_id']})")
        load = {"before_in_process": os.getloadavg()}
        busy = {"before_in_process": others_cpu_share()}
        if busy["before_in_process"] > 0.25:
            log(f"warning: other processes keep {busy['before_in_process']:.0%} of the {os.cpu_count()} CPUs busy: "
                "timings include waiting for the CPU (compare median ms with cpu ms)")
        step = time.perf_counter()
        rows = in_process(actors)
        load["before_http"] = os.getloadavg()
        busy["before_http"] = others_cpu_share()
        timings["in_process_s"] = round(time.perf_counter() - step, 1)

        step = time.perf_counter()
        http_rows, checks = [], {}
        try:
            http_rows, checks = over_http(actors, workdir, secret_key)
        except Exception as error:  # report, keep the in-process results
            checks["error"] = f"{type(error).__name__}: {error}"
            log(f"HTTP part failed: {checks['error']}")
        timings["http_s"] = round(time.perf_counter() - step, 1)
        load["end"] = os.getloadavg()
        timings["total_s"] = round(time.perf_counter() - run_started, 1)

        def fmt(value):
            return "" if value is None else (f"{value:.1f}" if isinstance(value, float) else str(value))

        table = [(r["page"], fmt(r["median_ms"]), fmt(r["p95_ms"]), fmt(r["queries"]), fmt(r.get("cpu_median_ms")),
                  str(r["runs"]), fmt(r.get("rps")), str(r["errors"]), r["note"]) for r in rows + http_rows]
        print()
        print(f"Parcours AM bench — {engine}, {counts['trainees']:,} trainees, {counts['attempts']:,} attempts, "
              f"{counts['statements']:,} statements (build {timings['build_s']} s, whole run {timings['total_s']} s)")
        print_table(table, ("page", "median ms", "p95 ms", "queries", "cpu ms", "runs", "req/s", "errors", "note"))

        by_page = {r["page"]: r for r in rows + http_rows}
        trainee_pages = ["Home (trainee logged in)", "Mon parcours", "Track outline", "Lesson", "Quiz page"]
        verdicts = []
        for page in trainee_pages:
            r = by_page[page]
            ok = r["median_ms"] is not None and r["median_ms"] < 10 and r["queries"] <= 10 and not r["errors"]
            verdicts.append((f"{page}: < 10 ms median, <= 10 queries", ok, f"{r['median_ms']} ms, {r['queries']} queries"))
        r = by_page["Quiz submission (POST, 10 questions)"]
        verdicts.append(("Quiz submission: <= 8 queries on the data (the cache and BEGIN/COMMIT aside)",
                         r["errors"] == 0 and r.get("data_queries") is not None and r["data_queries"] <= 8,
                         f"{r.get('data_queries')} of {r['queries']} queries"))
        r = by_page[f"Employer table ({SIZES['big_practice_assistants']} assistants)"]
        verdicts.append(("Employer table of 1,000 assistants: < 150 ms median",
                         r["median_ms"] is not None and r["median_ms"] < 150, f"{r['median_ms']} ms"))
        r = by_page.get("HTTP lesson page (GET) — c10")
        verdicts.append(("Lesson over HTTP, c10, 2 sync workers: > 200 req/s, no error",
                         bool(r) and r["rps"] > 200 and r["errors"] == 0,
                         f"{r['rps']} req/s, {r['errors']} errors" if r else checks.get("error", "not run")))
        for page, server in (("HTTP quiz submission (POST) — c10", "2 sync workers"),
                             ("HTTP quiz submission (POST), lms/gunicorn_conf.py — c10", "lms/gunicorn_conf.py")):
            r = by_page.get(page)
            verdicts.append((f"Quiz submission over HTTP, c10, {server}: >= 100 req/s, no error",
                             bool(r) and r["rps"] >= 100 and r["errors"] == 0,
                             f"{r['rps']} req/s, {r['errors']} errors" if r else checks.get("error", "not run")))
        print()
        for label, ok, value in verdicts:
            print(f"  [{'PASS' if ok else 'FAIL'}] {label} — {value}")
        if checks.get("gunicorn_tracebacks"):
            print(f"  gunicorn logged {checks['gunicorn_tracebacks']} tracebacks; tail:\n{checks['gunicorn_log_tail']}")
        print("  in process: lms.settings.dev with DEBUG off (as bench/_setup.py); cpu ms = this process's CPU time "
              "(median; on SQLite it includes the database work)")
        print("  over HTTP: median and p95 are wrk's own percentiles (its Lua done() hook), errors = non-2xx/3xx + "
              "socket errors; cpu ms = gunicorn's CPU time per request (mean; without PostgreSQL's own)")
        print(f"  CPUs busy with other processes before in-process / before HTTP: {busy['before_in_process']:.0%} / "
              f"{busy['before_http']:.0%} of {os.cpu_count()}; load average (1 min) before in-process / before HTTP / "
              "end: " + " / ".join(f"{v[0]:.2f}" for v in load.values()))

        results = {
            "engine": engine, "database": database, "started_at": started_at.isoformat(),
            "finished_at": datetime.now(dt_timezone.utc).isoformat(), "timings": timings, "dataset": counts,
            "sizes_requested": SIZES, "measured": {"trainee": actors["trainee"].email, "lesson_id": actors["lesson_id"],
                                                   "quiz_id": actors["quiz_id"], "track_id": actors["track_id"]},
            "in_process": rows, "http": http_rows, "http_checks": checks,
            "targets": [{"target": label, "pass": ok, "value": value} for label, ok, value in verdicts],
            "python": sys.version.split()[0], "cpus": os.cpu_count(), "load_average": load,
            "cpu_share_used_by_other_processes": busy,
        }
        (HERE / "results.json").write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False))
        print(f"  results: {HERE / 'results.json'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
