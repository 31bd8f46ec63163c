"""Time the trainee's pages on the shipped curriculum: median and p95 over 200 in-process requests.

Run: make bench-pages   (or .venv/bin/python bench/trainee_pages.py; DATABASE_URL selects the database)
Target: under 10 ms median for the outline and the lesson page. Also times a quiz page and a quiz submission.
"Mon parcours" is timed twice: read again (kept in the shared cache), and built (after a change of the trainee's
rows, the case of a first visit of the day or of a visit after a lesson marked done; the row includes the write of
the trainee's scope token).
"""
import os
from pathlib import Path

# A fresh SQLite file each run (attempts of earlier runs would pile up on the measured quiz page).
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(__file__).resolve().parent / 'bench-pages.sqlite3'}")
if os.environ["DATABASE_URL"].startswith("sqlite:///"):
    Path(os.environ["DATABASE_URL"][len("sqlite:///"):]).unlink(missing_ok=True)

from _setup import django_setup, measure, print_table  # noqa: E402

call_command = django_setup()


def main():
    from django.test import Client
    from django.urls import reverse

    from lms.accounts.models import User
    from lms.catalog.models import LessonPage
    from lms.core.cache import trainees_changed
    from lms.demo import data as demo

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    user = User.objects.get(email=demo.demo_email("aide-soignante"))
    enrolment = user.enrolments.select_related("track").get()
    track = enrolment.track
    lesson = LessonPage.objects.live().descendant_of(track).order_by("path")[20]
    client = Client()
    client.force_login(user)
    pages = [("Mon parcours", "/mon-parcours/"), ("Track outline", reverse("track_outline", args=[track.pk])),
             ("Lesson", reverse("lesson", args=[lesson.pk])),
             ("Search in track", f"/mon-parcours/{enrolment.pk}/recherche/?q=tension")]
    from lms.quizzes.models import QuizPage

    quiz = QuizPage.objects.live().descendant_of(track).filter(depth=track.depth + 2).first()
    pages.append(("Quiz page", reverse("quiz", args=[quiz.pk])))
    rows = []
    for name, url in pages:
        assert client.get(url).status_code == 200, url
        median, p95, queries = measure(lambda url=url: client.get(url))
        rows.append((name, f"{median:.1f}", f"{p95:.1f}", queries))
        if url == "/mon-parcours/":
            median, p95, queries = measure(lambda: (trainees_changed([user.pk]), client.get(url)))
            rows.append(("Mon parcours, built", f"{median:.1f}", f"{p95:.1f}", queries))
    rows.append(submission_row(client, enrolment, quiz))
    print_table(rows, ("page", "median ms", "p95 ms", "queries"))


def submission_row(client, enrolment, quiz):
    """Start an attempt, then time the POST that grades it (a new attempt each run; unlimited attempts)."""
    from django.urls import reverse

    from lms.quizzes.grading import right_response
    from lms.quizzes.services import attempt_start

    state = {}

    def prepare():
        attempt = attempt_start(enrolment=enrolment, quiz=quiz)
        post = {f"q-{q['id']}": right_response(q) for q in attempt.questions if q["type"] != "ordering"}
        for q in attempt.questions:
            if q["type"] == "ordering":
                for rank, item_id in enumerate(right_response(q), start=1):
                    post[f"q-{q['id']}-{item_id}"] = str(rank)
        post["action"] = "submit"
        state["url"], state["post"] = reverse("attempt", args=[attempt.pk]), post

    def submit():
        return client.post(state["url"], state["post"])

    import statistics
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(60):
        prepare()
        start = time.perf_counter()
        assert submit().status_code == 302
        timings.append((time.perf_counter() - start) * 1000)
    prepare()
    with CaptureQueriesContext(connection) as ctx:
        submit()
    timings.sort()
    return ("Quiz submission (10 questions)", f"{statistics.median(timings):.1f}", f"{timings[int(len(timings) * .95) - 1]:.1f}",
            len(ctx.captured_queries))


if __name__ == "__main__":
    main()
