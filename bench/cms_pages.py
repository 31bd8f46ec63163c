"""Time the Wagtail pages that authors use most, in process and in a real browser (issue 16, point 9).

Run: make bench-cms   (or .venv/bin/python bench/cms_pages.py; CHROMIUM= selects the browser)

The demo's author (auteur@…) opens, as an author would:
  - the page explorer of the 4-month track (its modules),
  - the page explorer of one module (its lessons and quiz),
  - the editor of a lesson,
  - the editor of the module quiz with the most questions, and of the module bank for the final with the most,
  - the editor of the final assessment (the shipped one draws more than 60 questions from its modules' banks:
    before the question bank it held copies of them all, and its editor took 3 s to be ready).

Two tables:
  1. in process (Django's test client): server time of the view, median/p95 over 20 runs, and its queries;
  2. in Chromium against gunicorn (2 workers, DEBUG off, static files collected and served compressed by
     WhiteNoise, as in production): the navigation timings of the page, median over 7 loads in a warm browser
     cache — time to first byte (server), DOMContentLoaded and the load event (what the author waits for), and
     "ready": the moment the editor's form (or the explorer's listing) is on the screen and usable, and "text
     editor": the moment the rich text on the screen can be typed in (BENCH_EAGER_RICH_TEXT=1 compares with
     Wagtail's widget, which starts every rich text field before the page is usable).
Target: every page ready under 1,000 ms on this machine.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(__file__).resolve().parent / 'bench-cms.sqlite3'}")
REUSE = os.environ.get("BENCH_REUSE_DB") == "1"  # a second run on the same seeded database (saves minutes)
if os.environ["DATABASE_URL"].startswith("sqlite:///") and not REUSE:
    Path(os.environ["DATABASE_URL"][len("sqlite:///"):]).unlink(missing_ok=True)

from _setup import ROOT, django_setup, measure, print_table  # noqa: E402

call_command = django_setup()

SHIM_SETTINGS = '''"""The base settings for the bench: DEBUG off, static files collected and served compressed by WhiteNoise."""
import os

from lms.settings.base import *  # noqa: F401,F403

DEBUG = False
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
if os.environ.get("BENCH_EAGER_RICH_TEXT") == "1":  # for comparison: Wagtail's Draftail started for every field
    WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea"}}
'''

# What says the page is usable: the editor's form with its fields drawn by Wagtail's scripts, or the listing.
READY = {"explorer": "table.listing tbody tr", "editor": "form[data-edit-form] [data-contentpath='title'] input"}
BROWSER_LOADS = 7
FIRST_TEXT_EDITOR = """() => !document.querySelector('[data-lazy-rich-text]') || !!document.querySelector('.DraftEditor-root')"""


def author_pages():
    from lms.catalog.models import LessonPage, ModulePage, TrackPage
    from lms.quizzes.models import QuestionBankPage, QuizPage

    track = TrackPage.objects.live().order_by("-nominal_hours").first()
    module = ModulePage.objects.child_of(track).live().first()
    lesson = LessonPage.objects.descendant_of(module).live().first()
    quizzes = list(QuizPage.objects.descendant_of(track))
    final = next(page for page in quizzes if page.depth == track.depth + 1)
    module_quiz = max((page for page in quizzes if page.depth > track.depth + 1 and page.slug != "bench-large-quiz"),
                      key=lambda page: len(page.questions))
    bank = max(QuestionBankPage.objects.descendant_of(track), key=lambda page: len(page.questions))
    large = large_quiz(track)
    return [
        ("Explorer of a track", f"/cms/pages/{track.pk}/", "explorer"),
        ("Explorer of a module", f"/cms/pages/{module.pk}/", "explorer"),
        ("Edit a lesson", f"/cms/pages/{lesson.pk}/edit/", "editor"),
        (f"Edit a module quiz ({len(module_quiz.questions)} questions)", f"/cms/pages/{module_quiz.pk}/edit/", "editor"),
        (f"Edit a module's bank for the final ({len(bank.questions)} questions)", f"/cms/pages/{bank.pk}/edit/",
         "editor"),
        (f"Edit the final assessment ({len(final.questions)} own, {final.question_count} in its pool)",
         f"/cms/pages/{final.pk}/edit/", "editor"),
        (f"Edit a quiz of {len(large.questions)} questions (written by hand)", f"/cms/pages/{large.pk}/edit/",
         "editor"),
    ]


def large_quiz(track):
    """A module quiz into which an author copied every question of the track's modules: the largest page an author
    could edit (issue 16, point 9 names a 60-question quiz). Made once in the bench database, under the last module."""
    from lms.catalog.models import ModulePage
    from lms.quizzes.models import QuestionBankPage, QuizPage

    module = ModulePage.objects.child_of(track).live().last()
    existing = QuizPage.objects.child_of(module).filter(slug="bench-large-quiz").first()
    if existing:
        return existing
    questions = [(block.block_type, block.value)
                 for bank in QuestionBankPage.objects.descendant_of(track).specific() for block in bank.questions]
    quiz = module.add_child(instance=QuizPage(title=f"Quiz de {len(questions)} questions", slug="bench-large-quiz",
                                              questions=questions))
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


def in_process(author, pages):
    from django.test import Client

    client = Client()
    client.force_login(author)
    rows = []
    for name, url, _kind in pages:
        assert client.get(url).status_code == 200, url
        median, p95, queries = measure(lambda url=url: client.get(url), n=20, warmup=2)
        rows.append((name, f"{median:.0f}", f"{p95:.0f}", queries))
    return rows


def session_cookie(user):
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(workdir):
    (workdir / "bench_cms_settings.py").write_text(SHIM_SETTINGS)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({"DJANGO_SETTINGS_MODULE": "bench_cms_settings", "PYTHONPATH": f"{workdir}:{ROOT}",
                "BENCH_STATIC_ROOT": str(workdir / "static"), "ALLOWED_HOSTS": "127.0.0.1",
                "LMS_BASE_URL": "http://127.0.0.1"})
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                   timeout=600)
    port = free_port()
    log = open(workdir / "gunicorn.log", "wb")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "lms.wsgi:application", "-w", "2",
                               "-b", f"127.0.0.1:{port}", "--timeout", "60"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    return server, f"http://127.0.0.1:{port}"


def chromium_path():
    return os.environ.get("CHROMIUM") or subprocess.run(["bash", ".ci/ensure-chromium"], cwd=ROOT, check=True,
                                                          capture_output=True, text=True).stdout.strip()


def in_browser(author, pages, base):
    from playwright.sync_api import sync_playwright

    name, key = session_cookie(author)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
        context.add_cookies([{"name": name, "value": key, "url": base}])
        page = context.new_page()
        for label, url, kind in pages:
            deadline = time.monotonic() + 60
            while True:  # gunicorn may still be starting
                try:
                    page.goto(base + url, wait_until="load")
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            samples = []
            for _ in range(BROWSER_LOADS):
                started = time.perf_counter()
                page.goto(base + url, wait_until="commit")
                page.wait_for_selector(READY[kind], state="visible", timeout=120_000)
                ready = (time.perf_counter() - started) * 1000
                # The rich text on the screen can be typed in: Draftail started (at once, or near the screen with
                # lms.catalog.widgets' lazy widget); pages without rich text are usable when ready.
                page.wait_for_function(FIRST_TEXT_EDITOR, timeout=120_000)
                text_ready = (time.perf_counter() - started) * 1000
                page.wait_for_load_state("load")
                nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                    return {ttfb: n.responseStart - n.startTime, dcl: n.domContentLoadedEventEnd - n.startTime,
                            load: n.loadEventEnd - n.startTime, size: n.encodedBodySize}; }""")
                resources = page.evaluate("performance.getEntriesByType('resource').length")
                samples.append((nav["ttfb"], nav["dcl"], nav["load"], ready, text_ready, nav["size"], resources,
                                open_question(page)))
            med = [statistics.median(s[i] for s in samples) for i in range(5)]
            opened = [s[7] for s in samples if s[7] is not None]
            rows.append((label, *(f"{m:.0f}" for m in med), f"{statistics.median(opened):.0f}" if opened else "–",
                         f"{samples[-1][5] / 1024:.0f}", samples[-1][6]))
        browser.close()
    return rows


def open_question(page):
    """On a quiz editor: ms from the click on the first (collapsed) question to its first field on the screen; its
    fields are built then (lms/quizzes/static/quizzes/lazy-question.js). None on other pages."""
    toggles = page.locator("[data-contentpath='questions'] [data-panel-toggle]")
    if not toggles.count():
        return None
    started = time.perf_counter()
    toggles.first.click()
    page.locator("[data-contentpath='questions'] [data-streamfield-child]").first.locator("textarea").first.wait_for(
        state="visible", timeout=60_000)
    return (time.perf_counter() - started) * 1000


def main():
    from lms.accounts.models import User
    from lms.demo import data as demo

    if not REUSE:
        call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    author = User.objects.get(email=demo.demo_email("auteur"))
    pages = author_pages()
    print("In process (server time of the view):")
    print_table(in_process(author, pages), ("page", "median ms", "p95 ms", "queries"))
    with tempfile.TemporaryDirectory(prefix="bench-cms-") as tmp:
        server, base = start_gunicorn(Path(tmp))
        try:
            print(f"\nIn Chromium, gunicorn 2 workers, median of {BROWSER_LOADS} loads (warm cache):")
            print_table(in_browser(author, pages, base),
                        ("page", "TTFB ms", "DOMContentLoaded ms", "load ms", "ready ms", "text editor ms",
                         "open a question ms", "HTML KiB", "resources"))
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
