"""Time the trainee's pages on the shipped curriculum: median and p95 over 200 in-process requests.

Run: make bench-pages   (or .venv/bin/python bench/trainee_pages.py; DATABASE_URL selects the database)
Target: under 10 ms median for the outline and the lesson page.
"""
from _setup import django_setup, measure, print_table

call_command = django_setup()


def main():
    from django.test import Client
    from django.urls import reverse

    from lms.accounts.models import User
    from lms.catalog.models import LessonPage
    from lms.core import demo

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
    rows = []
    for name, url in pages:
        assert client.get(url).status_code == 200, url
        median, p95, queries = measure(lambda url=url: client.get(url))
        rows.append((name, f"{median:.1f}", f"{p95:.1f}", queries))
    print_table(rows, ("page", "median ms", "p95 ms", "queries"))


if __name__ == "__main__":
    main()
