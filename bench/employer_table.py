"""Time the employer table of a practice with 1,000 assistants, its CSV export, and the training body's learners
at risk and learners list (the demo body: the assistants' enrolments and 500 more learners, about 1,300 in all).

Run: make bench-employer   (or cd bench && ../.venv/bin/python employer_table.py)
     DATABASE_URL unset: a fresh SQLite file bench/bench-employer.sqlite3 (deleted first; --reuse keeps it);
     DATABASE_URL set: that database, built once (the data are reused when the big practice already exists).
Target: under 150 ms median for the first page of the employer table of a practice with 1,000 assistants, in a
number of queries that does not depend on the number of assistants.

Besides the pages, rows say what the whole table costs: the CSV export (every row, not a page) and building the rows
of all 1,000 assistants, light (what the table sorts, filters and counts) and with model instances (the calendar).
The CPU column is this process's time: on a shared machine the wall time also counts waits for a core.
"""
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
if not os.environ.get("DATABASE_URL"):
    DB = HERE / "bench-employer.sqlite3"
    if "--reuse" not in sys.argv:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

from _setup import django_setup, print_table, random_enrolment  # noqa: E402

call_command = django_setup()

ASSISTANTS = 1000  # in the big practice
OTHER_LEARNERS = 500  # trainees of the training body employed elsewhere (small practices)
PRACTICE_NAME = "Maison de santé du Parc (1 000 assistants)"
DOMAIN = "bench-employeur.parcours-am.fr"
RUNS = 60
PAGE_BUDGET_S = 10.0  # in-process time per page, beyond which fewer runs are made (at least 10)
FIRST_NAMES = ["Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Jade", "Louise", "Nadia", "Fatou",
               "Julie", "Marie", "Lucas", "Hugo", "Karim", "Thomas", "Nathalie", "Sophie", "Aurélie", "Linh"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
              "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Benali",
              "Nguyễn", "Diallo", "Haddad", "Girard", "Bonnet", "Faure", "Mercier", "Blanc", "Guérin"]


def log(message):
    print(message, file=sys.stderr, flush=True)


def measure(fn, n, warmup=2):
    """Run fn n times; return (median wall ms, p95 wall ms, median CPU ms of this process, queries of one run).

    The CPU time is what the page costs when the machine is shared: the wall time also counts the waits for a
    core that other processes hold (on SQLite the database work is in this process, so it is in the CPU time).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    wall.sort()
    return (f"{statistics.median(wall):.1f}", f"{wall[max(int(len(wall) * 0.95) - 1, 0)]:.1f}",
            f"{statistics.median(cpu):.1f}", len(ctx.captured_queries))


def build(rng):
    """Bulk-create the practice, its employer, the assistants, their enrolments, lessons done and quizzes passed."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from lms.accounts.models import EntryProfile, TraineeProfile, User
    from lms.catalog.models import TrackPage
    from lms.certificates.codes import new_code
    from lms.certificates.models import Certificate
    from lms.demo import data as demo
    from lms.learning.models import Cohort, Enrolment, EnrolmentStatus, LessonCompletion, QuizCompletion
    from lms.learning.selectors import track_structure
    from lms.learning.services import track_for_profile
    from lms.organisations.models import Employment, Practice, PracticeMembership, TrainingBody, WorkingTime
    from lms.quizzes.models import Attempt, AttemptStatus

    today, now = timezone.localdate(), timezone.now()
    body = TrainingBody.objects.get(slug=demo.TRAINING_BODY["slug"])
    tracks = list(TrackPage.objects.live().filter(training_body=body).order_by("path"))
    structures = {t.pk: track_structure(t.pk) for t in tracks}
    profiles = list(EntryProfile.values)
    track_of_profile = {p: track_for_profile(tracks, p).pk for p in profiles}
    password = make_password(None)
    n = ASSISTANTS + OTHER_LEARNERS
    with transaction.atomic():
        trainees = User.objects.bulk_create([
            User(email=f"assistant{i:05d}@{DOMAIN}", first_name=rng.choice(FIRST_NAMES),
                 last_name=rng.choice(LAST_NAMES), password=password) for i in range(n)], batch_size=500)
        trainee_profile = [rng.choices(profiles, [0.35, 0.30, 0.10, 0.15, 0.10])[0] for _ in trainees]
        TraineeProfile.objects.bulk_create([TraineeProfile(user=u, entry_profile=p)
                                            for u, p in zip(trainees, trainee_profile)], batch_size=500)
        big = Practice.objects.create(name=PRACTICE_NAME, city="Lyon")
        small = Practice.objects.bulk_create([Practice(name=f"Cabinet {i:02d}", city="Dijon") for i in range(50)])
        employer = User.objects.create(email=f"medecin@{DOMAIN}", first_name="Anne", last_name="Médecin",
                                       password=password)
        PracticeMembership.objects.create(practice=big, user=employer)
        hired = [today - timedelta(days=rng.randint(20, 1400)) for _ in trainees]
        Employment.objects.bulk_create([
            Employment(trainee=u, practice=big if i < ASSISTANTS else small[i % len(small)], hired_on=hired[i],
                       working_time=rng.choice(WorkingTime.values),
                       ended_on=(min(hired[i] + timedelta(days=rng.randint(30, 600)), today)
                                 if rng.random() < 0.03 else None))
            for i, u in enumerate(trainees)], batch_size=500)
        cohorts = {t.pk: Cohort.objects.bulk_create([
            Cohort(training_body=body, track=t, name=f"Session {k + 1}", starts_on=today - timedelta(days=60 * k))
            for k in range(4)]) for t in tracks}
        enrolments = [e for e in (random_enrolment(rng, trainee=trainee, track_id=track_of_profile[trainee_profile[i]],
                                                   body=body, hired_on=hired[i], cohorts=cohorts, today=today, now=now)
                                  for i, trainee in enumerate(trainees)) if e is not None]
        Enrolment.objects.bulk_create(enrolments, batch_size=500)
        completions, attempts, certificates, quiz_done = [], [], [], []
        for enrolment in enrolments:
            structure = structures[enrolment.track_id]
            lessons = structure.lessons
            k = len(lessons) if enrolment.status == EnrolmentStatus.COMPLETED else rng.randint(0, len(lessons))
            done = {item.id for item in lessons[:k]}
            completions.extend(LessonCompletion(enrolment=enrolment, lesson_id=lesson_id) for lesson_id in done)
            passed = [m.quiz.id for m in structure.modules if m.quiz and all(x.id in done for x in m.lessons)]
            if enrolment.status == EnrolmentStatus.COMPLETED and structure.final_assessment:
                passed.append(structure.final_assessment.id)
                certificates.append(Certificate(
                    enrolment=enrolment, code=new_code(), issued_at=enrolment.completed_at,
                    trainee_name=f"{enrolment.trainee.first_name} {enrolment.trainee.last_name}",
                    track_title=structure.title, training_body_name=body.name, objectives=[],
                    nominal_hours=Decimal(str(structure.nominal_hours)), starts_on=enrolment.starts_on,
                    ends_on=enrolment.completed_at.date()))
            attempts.extend(Attempt(enrolment=enrolment, quiz_id=quiz_id, number=1, status=AttemptStatus.SUBMITTED,
                                    started_at=now, submitted_at=now, passed=True) for quiz_id in passed)
            quiz_done.extend(QuizCompletion(enrolment=enrolment, quiz_id=quiz_id, completed_at=now) for quiz_id in passed)
        LessonCompletion.objects.bulk_create(completions, batch_size=1000)
        Attempt.objects.bulk_create(attempts, batch_size=1000)
        QuizCompletion.objects.bulk_create(quiz_done, batch_size=1000)
        Certificate.objects.bulk_create(certificates, batch_size=500)
    return {"assistants": ASSISTANTS, "training body learners": Enrolment.objects.filter(training_body=body).count(),
            "lesson completions": len(completions), "quiz passes": len(attempts), "certificates": len(certificates)}


def main():
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from lms.accounts.models import User
    from lms.demo import data as demo
    from lms.deadlines import selectors
    from lms.deadlines.selectors import employment_rows
    from lms.organisations.models import Employment, Practice

    deadline_rows = getattr(selectors, "deadline_rows", None)  # None in the code before the table was paged

    started = time.perf_counter()
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    if not Practice.objects.filter(name=PRACTICE_NAME).exists():
        sizes = build(random.Random(20240607))
        log(f"built in {time.perf_counter() - started:.0f} s: " + ", ".join(f"{v} {k}" for k, v in sizes.items()))
    practice = Practice.objects.get(name=PRACTICE_NAME)
    employer = Client()
    employer.force_login(practice.memberships.get().user)
    manager = Client()
    manager.force_login(User.objects.get(email=demo.demo_email("responsable")))
    practice_home, csv_url = reverse("practice_home"), reverse("employer_csv")
    deadlines, learners = reverse("training_body_deadlines"), reverse("enrolment_list")
    pages = [
        (f"Employer table, page 1 ({ASSISTANTS} assistants)", employer, practice_home),
        ("Employer table, sorted by name, page 10", employer, f"{practice_home}?tri=nom&ordre=desc&page=10"),
        ("Employer table, status 'to enrol'", employer, f"{practice_home}?statut=to_enrol"),
        (f"Employer CSV export (all {ASSISTANTS} rows)", employer, csv_url),
        ("Training body: learners at risk", manager, deadlines),
        ("Training body: learners list", manager, learners),
        ("Training body: learners list, search", manager, f"{learners}?q=martin"),
    ]
    rows = []
    before = f"{os.getloadavg()[0]:.2f}"
    for name, client, url in pages:
        start = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        runs = max(10, min(RUNS, int(PAGE_BUDGET_S / (time.perf_counter() - start))))
        rows.append((name, *measure(lambda client=client, url=url: client.get(url), n=runs)))
    employments = (Employment.objects.filter(practice=practice)
                   .order_by("trainee__last_name", "trainee__first_name", "pk")
                   .select_related("trainee", "trainee__trainee_profile", "practice"))
    today = timezone.localdate()
    try:
        from lms.reports.tables import FIELDS as fields  # what the employer table reads of each assistant
    except ImportError:  # the code before the table was paged
        fields = ()
    if deadline_rows is not None:
        rows.append((f"All {ASSISTANTS} rows built, light (deadline_rows)",
                     *measure(lambda: deadline_rows(employments.all(), today, fields=fields), n=RUNS)))
    rows.append((f"All {ASSISTANTS} rows built, with instances (employment_rows)",
                 *measure(lambda: employment_rows(employments.all(), today), n=RUNS // 2)))
    from django.db import connection

    print(f"engine: {connection.vendor}; up to {RUNS} in-process runs each (django.test.Client, DEBUG off)")
    print(f"load average before: {before}, after: {os.getloadavg()[0]:.2f} "
          "(2 cores: above ~1, wall times include waits for a core)")
    print_table(rows, ("page", "median ms", "p95 ms", "CPU median ms", "queries"))


if __name__ == "__main__":
    main()
