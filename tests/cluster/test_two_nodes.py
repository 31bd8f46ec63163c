"""Two gunicorn nodes behind a load balancer share one PostgreSQL, one Redis and one S3 bucket, and nothing else.

Each node runs the production settings with lms/gunicorn_conf.py (2 workers of 4 threads each here), and this
test plays the load balancer: it sends a person's requests to either node, with the proxy's headers. It shows
that a session opened on A carries on at B, that a publication is served by B at the next request, that a
certificate issued through A downloads through B from the bucket, that the daily jobs run on both nodes at once
without sending anything twice, and that B keeps answering when A is killed under load.

Needs PostgreSQL (`DATABASE_URL=postgres://…`, as .ci/run sets it): the nodes are other processes, and SQLite's
test database lives in this one.
"""
import json
import os
import re
import signal
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import requests
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from joserfc.jwk import RSAKey

from lms.catalog.models import LessonPage
from lms.certificates.models import Certificate
from lms.core.signing import generate_self_signed_pem
from lms.core.dates import add_days, add_years
from lms.deadlines.models import DeadlineRuleSet, ReminderSent
from lms.deadlines.rules import default_rule
from lms.learning.models import LessonCompletion
from lms.settings import base
from lms.xapi.models import OutboxStatus, Statement
from tests.cluster.conftest import BUCKET, free_port, wait_for_port
from tests.factories import PASSWORD, make_employer, make_enrolment, make_practice, make_track, make_trainee

ROOT = Path(__file__).resolve().parents[2]
SITE = "parcours-am.example.org"  # the address the load balancer answers to
LRS_AUTH = ("lms", "lrs-secret")
SIGNING_PEM = generate_self_signed_pem().decode()  # key and certificate in one PEM, given inline as production may
BADGES_PEM = RSAKey.generate_key(2048, private=True).as_pem(private=True).decode()
pytestmark = pytest.mark.django_db(transaction=True)  # the nodes read what this process commits


# --- the pieces: a fake LRS, the nodes, a browser -------------------------------------------------------------

class FakeLRS(ThreadingHTTPServer):
    """An xAPI endpoint that counts each statement id it receives, a little slow as a remote LRS is.

    Its first answer waits (up to 30 s) until a second request is in flight: a forwarder sends one request at a
    time, so from then on two forwarders are known to hold batches at once.
    """

    daemon_threads = True

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()
        super().__init__(("127.0.0.1", free_port()), LRSHandler)

    def reset(self):
        with self.lock:
            self.received, self.posts, self.in_flight = Counter(), 0, 0
            self.overlapping = threading.Event()


class LRSHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        statements = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.in_flight += 1
            if self.server.in_flight >= 2:
                self.server.overlapping.set()
        self.server.overlapping.wait(timeout=30)
        time.sleep(0.02)
        with self.server.lock:
            self.server.in_flight -= 1
            self.server.posts += 1
            self.server.received.update(statement["id"] for statement in statements)
        body = json.dumps([statement["id"] for statement in statements]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class FakeSMTP(socketserver.ThreadingTCPServer):
    """A mail server that keeps each message with its envelope recipients.

    Once gated, its first message is acknowledged only when a second client has connected (up to 30 s): the reminders
    job opens its connection before reading what is due, so a second run is known to be under way while the first
    holds its records uncommitted, which is the race the unique constraint on ReminderSent must decide.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()
        super().__init__(("127.0.0.1", free_port()), SMTPHandler)

    def reset(self, *, gated=False):
        with self.lock:
            self.messages, self.connections, self.overlapping = [], 0, threading.Event()
            if not gated:
                self.overlapping.set()


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        with self.server.lock:
            self.server.connections += 1
            if self.server.connections >= 2:
                self.server.overlapping.set()
        self.reply("220 parcours-am.test ESMTP")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb == "MAIL":
                recipients = []
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                body = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                self.server.overlapping.wait(timeout=30)
                with self.server.lock:
                    self.server.messages.append((tuple(recipients), body))
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            self.reply("250 OK")  # EHLO, HELO, MAIL, RCPT, RSET, NOOP; and the end of DATA


class Node:
    """One gunicorn node: production settings, the shipped gunicorn configuration, its own port."""

    def __init__(self, name, env, log_dir):
        self.name, self.env, self.port = name, env, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"node-{name}.log"
        self.process = None

    def launch(self):
        command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:lms.gunicorn_conf",
                   "-b", f"127.0.0.1:{self.port}", "-w", "2", "--threads", "4", "lms.wsgi:application"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)  # its own process group: master and workers

    def wait_ready(self):
        wait_for_port(self.port, self.process, f"node {self.name}", seconds=120)
        deadline = time.monotonic() + 120
        while True:  # the port opens before the workers have imported Django
            try:
                if requests.get(self.url + reverse("account_login"), headers=proxy_headers(), timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"node {self.name} does not answer:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    @property
    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """What a crashed machine does: every process of the node gone at once, no graceful shutdown."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.alive:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def tracebacks(self):
        return self.log.read_text(errors="replace").count("Traceback")


def start_all(nodes):
    """Start the nodes side by side (each takes seconds to import the project), then wait until each answers."""
    for node in nodes:
        node.launch()
    for node in nodes:
        node.wait_ready()


def proxy_headers():
    """What the load balancer adds: the public host, and that the client spoke https."""
    return {"Host": SITE, "X-Forwarded-Proto": "https"}


class Browser:
    """A person's browser: cookies kept whichever node answers (they are Secure, so kept by hand over plain http)."""

    def __init__(self):
        self.cookies = {}

    def request(self, node, method, path, data=None, timeout=15):
        headers = {**proxy_headers(), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers.update({"Origin": f"https://{SITE}", "Referer": f"https://{SITE}{path}"})
        response = requests.request(method, node.url + path, data=data, headers=headers, allow_redirects=False,
                                    timeout=timeout)
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        return response

    def get(self, node, path, **kwargs):
        return self.request(node, "GET", path, **kwargs)

    def submit(self, node, form_path, action, data):
        """Post a form the way a browser does: read its CSRF token from the page, then send."""
        page = self.get(node, form_path)
        assert page.status_code == 200, (form_path, page.status_code)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request(node, "POST", action, data={"csrfmiddlewaretoken": token, **data})

    def log_in(self, node, email):
        response = self.submit(node, reverse("account_login"), reverse("account_login"),
                               {"login": email, "password": PASSWORD})
        assert response.status_code == 302 and response.headers["Location"] == reverse("accounts_dashboard"), (
            response.status_code, response.text[:500])
        assert "sessionid" in self.cookies


def manage(cluster, *args):
    """A management command started as a node's cron would start it."""
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=cluster.env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process, timeout=120):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return out


# --- fixtures -------------------------------------------------------------------------------------------------

def postgres_url():
    db = connection.settings_dict
    return (f"postgres://{quote(db['USER'], safe='')}:{quote(db['PASSWORD'] or '', safe='')}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")


@pytest.fixture(scope="module")
def cluster(django_db_setup, redis_server, s3_server, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.fail("tests/cluster/test_two_nodes.py needs PostgreSQL, which every node shares: run it with "
                    "DATABASE_URL=postgres://lms:lms@127.0.0.1:5432/lms (as .ci/run does; README, 'Two commands').")
    work = tmp_path_factory.mktemp("cluster")
    lrs, smtp = FakeLRS(), FakeSMTP()
    for server in (lrs, smtp):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("DJANGO_", "PYTEST_", "LMS_", "LRS_"))}
    env = {**environment, **s3_server.env,
           "DJANGO_SETTINGS_MODULE": "lms.settings.production",
           "SECRET_KEY": "cluster-test-" + uuid.uuid4().hex + uuid.uuid4().hex,
           "ALLOWED_HOSTS": SITE, "LMS_BASE_URL": f"https://{SITE}",
           "DATABASE_URL": postgres_url(), "REDIS_URL": redis_server,
           "STATIC_ROOT": str(work / "static"), "EMAIL_URL": f"smtp://127.0.0.1:{smtp.server_address[1]}",
           "LRS_ENDPOINT": f"http://127.0.0.1:{lrs.server_address[1]}/xAPI",
           "LRS_USERNAME": LRS_AUTH[0], "LRS_PASSWORD": LRS_AUTH[1],
           "LMS_REQUIRE_STAFF_MFA": "false", "GUNICORN_ACCESS_LOG": "", "LOG_LEVEL": "WARNING",
           # the signing keys every node is given, as in production: the same PDF pair and Open Badges key on both
           "PDF_SIGNING_KEY": SIGNING_PEM, "PDF_SIGNING_CERT": SIGNING_PEM, "OPEN_BADGES_SIGNING_KEY": BADGES_PEM}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                   timeout=300)
    nodes = {name: Node(name, env, work) for name in ("A", "B")}
    try:
        start_all(nodes.values())
        yield SimpleNamespace(env=env, a=nodes["A"], b=nodes["B"], nodes=nodes, lrs=lrs, smtp=smtp,
                              s3=s3_server)
    finally:
        for node in nodes.values():
            node.stop()
        lrs.shutdown()
        smtp.shutdown()


@pytest.fixture
def nodes(cluster, shared_stores, settings):
    """Both nodes up (a test may have killed one), Redis, the LRS and the mail server empty, the platform's rule set;
    passwords hashed here as the nodes check them (the test settings' MD5 is not among the production hashers)."""
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    start_all([node for node in cluster.nodes.values() if not node.alive])
    cluster.lrs.reset()
    cluster.smtp.reset()
    if not DeadlineRuleSet.objects.exists():  # a data migration's row; a transactional test before flushed it
        default_rule().save()
    tracebacks = {name: node.tracebacks() for name, node in cluster.nodes.items()}
    yield cluster
    for name, node in cluster.nodes.items():
        assert node.tracebacks() == tracebacks[name], node.log.read_text(errors="replace")[-4000:]


def enrolled_trainee(**track_kwargs):
    return make_enrolment(trainee=make_trainee(email=f"stagiaire-{uuid.uuid4().hex[:8]}@example.org"),
                          track=make_track(**track_kwargs))


# --- what the nodes show --------------------------------------------------------------------------------------

def test_a_trainee_logged_in_through_a_continues_through_b(nodes):
    enrolment = enrolled_trainee(modules=1, lessons=2)
    lessons = list(LessonPage.objects.descendant_of(enrolment.track).order_by("path"))
    browser = Browser()

    browser.log_in(nodes.a, enrolment.trainee.email)

    my_track = browser.get(nodes.b, reverse("my_track"))
    assert my_track.status_code == 200 and enrolment.track.title in my_track.text
    lesson_url = reverse("lesson", args=[lessons[0].pk])
    done = browser.submit(nodes.b, lesson_url, reverse("lesson_mark_done", args=[lessons[0].pk]), {})
    assert done.status_code == 302
    assert browser.get(nodes.a, lesson_url).status_code == 200  # and back to A, same cookie
    assert list(LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)) == [
        lessons[0].pk]


def test_a_lesson_published_elsewhere_is_served_by_b_at_the_next_request(nodes):
    """Both nodes have served (and cached) the lesson and the outline; an author publishes a new version from
    another process; the next request to B shows it."""
    enrolment = enrolled_trainee(modules=1, lessons=1)
    lesson = LessonPage.objects.descendant_of(enrolment.track).get()
    browser = Browser()
    browser.log_in(nodes.a, enrolment.trainee.email)
    lesson_url, outline_url = reverse("lesson", args=[lesson.pk]), reverse("track_outline", args=[enrolment.track_id])
    for node in (nodes.a, nodes.b, nodes.a, nodes.b):
        assert "Texte de la leçon 1.1" in browser.get(node, lesson_url).text
        assert "Leçon 1.1" in browser.get(node, outline_url).text

    lesson.title = "Prise de la tension, version revue"
    lesson.body = [("text", "<p>Version publiée après relecture.</p>")]
    lesson.save_revision().publish()

    page = browser.get(nodes.b, lesson_url).text
    assert "Version publiée après relecture." in page and "Texte de la leçon 1.1" not in page
    assert "Prise de la tension, version revue" in browser.get(nodes.b, outline_url).text
    assert "Version publiée après relecture." in browser.get(nodes.a, lesson_url).text


def test_a_certificate_issued_through_a_downloads_through_b(nodes):
    enrolment = enrolled_trainee(modules=1, lessons=1)
    lesson = LessonPage.objects.descendant_of(enrolment.track).get()
    browser = Browser()
    browser.log_in(nodes.a, enrolment.trainee.email)

    lesson_url = reverse("lesson", args=[lesson.pk])
    assert browser.submit(nodes.a, lesson_url, reverse("lesson_mark_done", args=[lesson.pk]), {}).status_code == 302

    certificate = Certificate.objects.get(enrolment=enrolment)
    stored = nodes.s3.client.get_object(Bucket=BUCKET, Key=certificate.pdf.name)["Body"].read()
    download = browser.get(nodes.b, reverse("certificate_download", args=[certificate.pk]))
    assert download.status_code == 200 and download.content == stored and stored.startswith(b"%PDF")
    assert download.headers["X-Content-SHA256"] == certificate.pdf_sha256
    assert reverse("certificate_download", args=[certificate.pk]) in browser.get(nodes.b, reverse("my_track")).text


# --- the daily jobs on both nodes at once ---------------------------------------------------------------------

def test_reminders_run_on_both_nodes_at_once_go_out_once_each(nodes):
    practice = make_practice()
    make_employer(practice=practice, email="medecin@example.org")
    today = timezone.localdate()
    hired_on = add_years(add_days(today, 25), -2)  # enrolment deadline in 25 days: the 30-day reminder is due
    trainees = [make_trainee(practice=practice, hired_on=hired_on, email=f"assistante{n}@example.org")
                for n in range(60)]

    nodes.smtp.reset(gated=True)
    runs = [manage(nodes, "send_deadline_reminders") for _node in (nodes.a, nodes.b)]
    outputs = [finish(run) for run in runs]

    said = [int(re.search(r"(\d+) reminder\(s\) sent", output).group(1)) for output in outputs]
    assert sum(said) == 60, outputs
    records = list(ReminderSent.objects.values_list("employment__trainee__email", "deadline", "threshold"))
    assert sorted(records) == sorted((t.email, "enrolment", 30) for t in trainees)
    assert nodes.smtp.overlapping.is_set() and nodes.smtp.connections == 2  # both runs were connected at once
    messages = nodes.smtp.messages
    recipients = Counter(address for envelope, _body in messages for address in envelope)
    assert len(messages) == 60
    assert all(recipients[t.email] == 1 for t in trainees) and recipients["medecin@example.org"] == 60
    print(f"\nreminders: {len(trainees)} due, runs said {said}, {len(messages)} messages, "
          f"{len(records)} records, duplicates {sum(recipients.values()) - 120}")


def test_statement_forwarders_on_both_nodes_at_once_send_each_statement_once(nodes):
    enrolment = enrolled_trainee(modules=1, lessons=1)
    now = timezone.now()
    pending = []
    for n in range(400):
        statement_id = uuid.uuid4()
        data = {"id": str(statement_id), "actor": {"account": {"homePage": f"https://{SITE}", "name": "1"}},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                "object": {"id": f"https://{SITE}/lecons/{n}"}, "timestamp": now.isoformat()}
        pending.append(Statement(id=statement_id, actor=enrolment.trainee, registration=enrolment.registration,
                                 verb=data["verb"]["id"], object_id=data["object"]["id"],
                                 timestamp=now - timedelta(seconds=400 - n), data=data, next_attempt_at=now))
    Statement.objects.bulk_create(pending)
    ids = {str(s.id) for s in Statement.objects.all()}  # with the enrolment's own statement(s)

    runs = [manage(nodes, "forward_statements", "--batch-size", "10") for _node in (nodes.a, nodes.b)]
    outputs = [finish(run) for run in runs]

    assert set(nodes.lrs.received) == ids
    assert max(nodes.lrs.received.values()) == 1, [i for i, n in nodes.lrs.received.items() if n > 1][:5]
    assert not Statement.objects.exclude(status=OutboxStatus.SENT).exists()
    sent = [int(re.search(r"sent (\d+)", output).group(1)) for output in outputs]
    assert sum(sent) == len(ids) and all(sent), outputs  # both forwarders took part
    print(f"\nstatements: {len(ids)} pending, forwarders sent {sent}, LRS received {sum(nodes.lrs.received.values())}"
          f" in {nodes.lrs.posts} posts, duplicates {sum(nodes.lrs.received.values()) - len(ids)}")


# --- a node lost under load -----------------------------------------------------------------------------------

def test_with_a_killed_under_load_b_keeps_answering(nodes):
    """Six clients behind a balancer that spreads requests over the nodes and, as a load balancer's passive health
    check does, retries an idempotent request on the other node when a connection fails. A is killed mid-run."""
    enrolment = enrolled_trainee(modules=1, lessons=3)
    browser = Browser()
    browser.log_in(nodes.a, enrolment.trainee.email)
    cookie = browser.cookies
    paths = [reverse("my_track"), reverse("track_outline", args=[enrolment.track_id])] + [
        reverse("lesson", args=[pk]) for pk in
        LessonPage.objects.descendant_of(enrolment.track).values_list("pk", flat=True)]
    up = {"A": True, "B": True}
    stats, lock = Counter(), threading.Lock()
    killed_at, stop_at, killed = time.monotonic() + 2.0, time.monotonic() + 5.0, threading.Event()

    def client(number):
        me, turn = Browser(), number
        me.cookies = dict(cookie)
        while time.monotonic() < stop_at:
            turn += 1
            order = ["A", "B"] if turn % 2 else ["B", "A"]
            answered = None
            for name in [n for n in order if up[n]] or order:
                try:
                    response = me.get(nodes.nodes[name], paths[turn % len(paths)], timeout=10)
                except requests.RequestException:  # refused, reset, or timed out: the balancer tries the other
                    with lock:
                        up[name] = False
                        stats[f"connection errors on {name}"] += 1
                    continue
                with lock:
                    stats[f"{response.status_code} from {name}" + (" after the kill" if killed.is_set() else "")] += 1
                answered = response.status_code
                break
            with lock:
                stats["requests"] += 1
                stats["answered 200"] += answered == 200
                stats["failed"] += answered != 200

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, killed_at - time.monotonic()))
    nodes.a.kill()
    killed.set()
    for thread in threads:
        thread.join()

    print(f"\nkill under load: {dict(stats)}")
    assert stats["failed"] == 0 and stats["answered 200"] == stats["requests"]
    assert stats["200 from A"] > 0 and stats["200 from B"] > 0  # both served before the kill
    assert stats["200 from B after the kill"] > 0 and stats["connection errors on A"] > 0
