"""Permission matrix: every URL of our apps, requested by every kind of outsider, against a victim's objects.

The list of URLs is read from the URL resolver, so a view added later is checked without touching this file.
When a new view takes a URL argument this file cannot fill, `test_every_url_argument_can_be_filled` fails:
add the argument to KWARG_SOURCES.

Two worlds are built (once for the module; each test's writes are rolled back):

* the victim: a training body (manager, author) with a track (2 modules of 2 lessons, a module quiz, a final
  assessment) and a cohort; a practice (employer) employing a trainee enrolled in the track, who completed it
  (so a certificate was issued automatically), has an attempt in progress, a declared training, a pending
  invitation sent by the practice, and a private calendar address for the employer; a second assistant of the
  practice, enrolled and still in training;
* the attacker: another training body (author, manager) with its own track, another practice (employer) and
  another trainee employed there and enrolled in that track.

Every URL is requested (GET, then POST with a plausible body; each bare and with a hostile query string such as
?organisme=<the victim's body>) as anonymous, the other trainee, the other practice's employer, the other body's
author and manager. Outsiders must get a login redirect, 403, 404, 405 or 410 on URLs that point at a victim's
object, never a 5xx, never a page holding the victim's private data (names, emails, certificate code and PDF,
cohort, declared training, invitee), and they must change no row of the victim's world. Pages without URL
arguments are the outsider's own space: any non-5xx status is fine there, but the same leak and no-change checks
apply. Public pages (home, legal
pages, certificate verification, invitation link, calendar feed) may answer 200 to anyone, showing only what
they are meant to show. The legitimate owner of each URL is checked too, so a matrix of 404s cannot hide a
broken URL.
"""
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

pytestmark = pytest.mark.django_db

# --- The URLs, from the resolver ------------------------------------------------------------------------

# Third-party URL trees that are not ours (Wagtail admin, Django admin, allauth, Wagtail documents, set_language,
# static and media files); Wagtail's page-serving patterns under formations/ are skipped too. A view of ours
# (module lms.*) is never skipped, whatever its prefix.
THIRD_PARTY_PREFIXES = ("cms/", "django-admin/", "comptes/", "documents/", "i18n/", "static/", "media/",
                        "formations/")
LOGIN_PREFIX = "/comptes/login/"
ADMIN_LOGIN_PREFIX = "/cms/login/"  # Wagtail's, for the admin screens of ours in front of Wagtail's (lms.catalog)


@dataclass
class Entry:
    """One URL pattern of the project, flattened."""

    route: str  # the full route, prefixes included, for messages
    name: str  # namespaced URL name ("" if unnamed)
    module: str  # module of the view function or class
    callback: object
    levels: list  # the URLPattern/URLResolver patterns from the root, to build the path
    kwarg_names: list = field(default_factory=list)
    positional: bool = False  # the pattern has unnamed groups (cannot be filled by name)

    @property
    def label(self):
        return self.name or self.route

    @property
    def app(self):
        """'lms.certificates' for 'lms.certificates.views'."""
        return ".".join(self.module.split(".")[:2])


def _view_module(callback):
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    target = view_class or getattr(callback, "__wrapped__", None) or callback
    return getattr(target, "__module__", None) or getattr(callback, "__module__", "") or ""


def _walk(resolver, levels=(), namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, (*levels, pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield (*levels, pattern), namespace


def project_patterns():
    """Every URL pattern we must check: all of lms.*, and anything else not under a third-party prefix."""
    entries = []
    for levels, namespace in _walk(get_resolver()):
        route = "".join(str(level.pattern) for level in levels)
        pattern = levels[-1]
        module = _view_module(pattern.callback)
        ours = module.startswith("lms.")
        if not ours and route.lstrip("^").startswith(THIRD_PARTY_PREFIXES):
            continue
        kwarg_names, positional = [], False
        for level in levels:
            regex = level.pattern.regex
            kwarg_names += list(regex.groupindex)
            positional = positional or regex.groups > len(regex.groupindex)
        entries.append(Entry(route=route, name=f"{namespace}{pattern.name}" if pattern.name else "", module=module,
                             callback=pattern.callback, levels=list(levels), kwarg_names=kwarg_names,
                             positional=positional))
    return entries


PATTERNS = project_patterns()

# --- How to fill URL arguments with the victim's objects -----------------------------------------------

# URL kwarg name -> key of world.values; or, when the name means different objects in different apps,
# {app: key}. A new view whose argument is not here makes test_every_url_argument_can_be_filled fail.
KWARG_SOURCES = {
    "pk": {"lms.organisations": "invitation_pk", "lms.certificates": "certificate_pk"},
    "enrolment_id": "enrolment_pk",
    "employment_id": "employment_pk",
    "quiz_id": "module_quiz_pk",
    "attempt_id": "submitted_attempt_pk",
    "lesson_id": "lesson_pk",
    "track_id": "track_pk",
    "token": {"lms.organisations": "invitation_token", "lms.reports": "calendar_token"},
    "code": "certificate_code",
    "cohort_id": "cohort_pk",
    "fmt": "attendance_format",  # not an object: the file format of a download (CSV is greppable)
    "parent_page_id": "track_pk",  # the Wagtail page chooser opened on the victim's track
    "task_id": "task_pk",  # the victim body's review task
    "name": "lesson_file_name",  # a stored file (MEDIA_URL): the document the victim's lesson links to
}
# Where another victim object is the more telling target for one URL.
URL_KWARG_OVERRIDES = {
    "attempt": {"attempt_id": "open_attempt_pk"},  # the answering page of an attempt in progress
    "attempt_autosave": {"attempt_id": "open_attempt_pk"},
}


def kwarg_source(entry, kwarg):
    source = URL_KWARG_OVERRIDES.get(entry.name, {}).get(kwarg) or KWARG_SOURCES.get(kwarg)
    if isinstance(source, dict):
        source = source.get(entry.app)
    return source


def unfillable(entry):
    """Why the entry's arguments cannot be filled ('' if they can)."""
    if entry.positional:
        return f"{entry.route} has positional (unnamed) URL groups; name them"
    missing = [k for k in entry.kwarg_names if kwarg_source(entry, k) is None]
    if missing:
        return (f"{entry.label} ({entry.route}, view in {entry.module}) takes {missing}: add them to KWARG_SOURCES "
                f"(or URL_KWARG_OVERRIDES) in {__name__}")
    return ""


_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def build_path(entry, values):
    """The concrete path of an entry with the given kwargs, checked against the resolver."""
    parts = []
    for level in entry.levels:
        pattern = level.pattern
        if isinstance(pattern, RoutePattern):
            text = _ROUTE_PARAM.sub(lambda m: str(pattern.converters[m["parameter"]].to_url(values[m["parameter"]])),
                                    str(pattern))
        else:  # a regex without groups, e.g. "^api/" (patterns with groups of ours must use path())
            text = str(pattern)
            assert not level.pattern.regex.groups, f"cannot build {entry.route}: use path() with named arguments"
            text = text.lstrip("^").rstrip("$").replace("\\", "")
        parts.append(text)
    path = "/" + "".join(parts)
    match = resolve(path.split("?")[0])
    assert match.func is entry.callback, f"{path} resolves to {match.view_name}, not {entry.label}"
    return path


# --- Roles, public pages, owners, request bodies ----------------------------------------------------------

ATTACKERS = ["anonymous", "other_trainee", "other_employer", "other_author", "other_manager"]

# Pages anyone may open (the key of each is in its URL or it has none); what they may show of the victim.
PUBLIC = {
    "home": set(),
    "accessibility": set(),
    "privacy": set(),
    "legal_notice": set(),
    "certificate_verify_form": set(),
    "certificate_verify": {"trainee_name", "trainee_last_name", "certificate_code"},  # name, track, body, date
    "invitation_accept": {"invitee_email"},  # the invitation's own addressee
    # The employer's own calendar (the token is the key): assistants' names, nothing else.
    "calendar_feed": {"trainee_name", "trainee_last_name", "second_trainee_name"},
}

# The legitimate user of each URL: (role, method, expected status). A sanity check that the URL works.
OWNERS = {
    "home": ("anonymous", "get", 200),
    "accessibility": ("anonymous", "get", 200),
    "privacy": ("anonymous", "get", 200),
    "legal_notice": ("anonymous", "get", 200),
    "accounts_dashboard": ("victim_trainee", "get", 200),
    "practice_invite": ("victim_employer", "get", 200),
    "training_body_home": ("victim_manager", "get", 200),
    "training_body_invite": ("victim_manager", "get", 200),
    "invitation_revoke": ("victim_employer", "post", 302),
    "invitation_accept": ("anonymous", "get", 200),
    "my_track": ("victim_trainee", "get", 200),
    "track_search": ("victim_trainee", "get", 200),
    "track_outline": ("victim_trainee", "get", 200),
    "lesson": ("victim_trainee", "get", 200),
    "lesson_heartbeat": ("victim_trainee", "post", 200),
    "lesson_mark_done": ("victim_trainee", "post", 302),
    "enrolment_list": ("victim_manager", "get", 200),
    "enrolment_create": ("victim_manager", "get", 200),
    "enrolment_import": ("victim_manager", "get", 200),
    "cohort_list": ("victim_manager", "get", 200),
    "quiz": ("victim_trainee", "get", 200),
    "quiz_start": ("victim_trainee", "post", 302),
    "attempt": ("victim_trainee", "get", 200),
    "attempt_autosave": ("victim_trainee", "post", 200),
    "attempt_result": ("victim_trainee", "get", 200),
    "quiz_report": ("victim_author", "get", 200),
    "my_data": ("victim_trainee", "get", 200),
    "practice_home": ("victim_employer", "get", 200),
    "employer_csv": ("victim_employer", "get", 200),
    "reminder_settings": ("victim_employer", "get", 200),
    "calendar_settings": ("victim_employer", "get", 200),
    "calendar_feed": ("anonymous", "get", 200),
    "employment_detail": ("victim_employer", "get", 200),
    "declaration_create": ("victim_employer", "get", 200),
    "learner_detail": ("victim_manager", "get", 200),
    "attendance_download": ("victim_manager", "get", 200),
    "cohort_attendance_zip": ("victim_manager", "get", 200),
    "training_body_deadlines": ("victim_manager", "get", 200),
    "certificate_verify_form": ("anonymous", "get", 200),
    "certificate_verify": ("anonymous", "get", 200),
    "certificate_download": ("victim_trainee", "get", 200),
    "certificate_list": ("victim_manager", "get", 200),
    "certificate_detail": ("victim_manager", "get", 200),
    "certificate_revoke": ("victim_manager", "post", 302),
    "certificate_reissue": ("victim_manager", "post", 302),
    "certificate_issue": ("victim_manager", "post", 302),
    "media": ("victim_trainee", "get", 200),
}


def _evidence():
    return SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n% preuve\n", content_type="application/pdf")


# Plausible POST bodies: what an attacker would try (aiming at the victim's objects where a form takes ids).
POST_BODIES = {
    "practice_invite": lambda w: {"practice": w.practice.pk, "email": "pirate@attaquant.example", "first_name": "P",
                                  "last_name": "Pirate", "entry_profile": "secretary", "hired_on": "2025-01-15",
                                  "working_time": "full"},
    "training_body_invite": lambda w: {"training_body": w.body.pk, "kind": "staff", "role": "manager",
                                       "email": "pirate@attaquant.example", "first_name": "P", "last_name": "Pirate",
                                       "entry_profile": "secretary"},
    "enrolment_create": lambda w: {"email": "pirate@attaquant.example", "first_name": "P", "last_name": "Pirate",
                                   "entry_profile": "secretary", "track": w.track.pk, "cohort": w.cohort.pk,
                                   "starts_on": date.today().isoformat()},
    "enrolment_import": lambda w: {"confirm": "1"},
    "cohort_list": lambda w: {"track": w.track.pk, "name": "Session pirate", "starts_on": date.today().isoformat()},
    "lesson_mark_done": lambda w: {"next": "1"},
    "attempt": lambda w: {"action": "submit"},
    "certificate_revoke": lambda w: {"reason": "Révocation pirate"},
    "certificate_reissue": lambda w: {"reason": "Réémission pirate"},
    "certificate_issue": lambda w: {"reason": "Émission pirate"},
    "declaration_create": lambda w: {"kind": "qualification", "occurred_on": "2025-03-01",
                                     "organisation": "Organisme pirate", "evidence": _evidence()},
    "calendar_settings": lambda w: {"action": "create"},
    "reminder_settings": lambda w: {"thresholds": ["7"]},
    "my_data": lambda w: {"confirm": "1", "password": "pas-le-bon"},
}
# The hostile query string sent with a second copy of every request: staff pages pick their training body
# with ?organisme= (here the victim's), plus a few per-URL extras.
QUERY_EXTRAS = {
    "certificate_list": lambda w: f"&format=csv&q={w.trainee.last_name[:4]}",  # a search matching the victim
    "track_search": lambda w: "&q=tension",
    "enrolment_list": lambda w: f"&parcours={w.track.pk}&session={w.cohort.pk}",
    "my_data": lambda w: "&format=json",  # the outsider's own export must hold nothing of the victim
}


def query_string(entry, world):
    extra = QUERY_EXTRAS.get(entry.name)
    return f"?organisme={world.body.pk}" + (extra(world) if extra else "")


# --- The two worlds -------------------------------------------------------------------------------------

TRAINEE_FIRST, TRAINEE_LAST = "Victorine", "Secretissime"
TRAINEE_EMAIL = "victorine.secretissime@victime.example"


def build_world():
    from lms.catalog.models import LessonPage, ModulePage
    from lms.certificates.models import Certificate
    from lms.deadlines import services as deadline_services
    from lms.learning.services import cohort_create, lesson_complete
    from lms.organisations import services as org_services
    from lms.organisations.models import InvitationKind, StaffRole
    from lms.quizzes.models import Attempt
    from lms.quizzes.services import attempt_start, attempt_submit
    from tests.factories import (
        make_employer,
        make_enrolment,
        make_practice,
        make_quiz,
        make_staff,
        make_track,
        make_trainee,
        make_training_body,
        perfect_answers,
    )

    w = SimpleNamespace()
    # The victim
    w.body = make_training_body(name="Institut Victime")
    w.manager = make_staff(training_body=w.body, role=StaffRole.MANAGER, email="manon.responsable@victime.example",
                           first_name="Manon", last_name="Responsablevictime")
    w.author = make_staff(training_body=w.body, role=StaffRole.AUTHOR, email="aurele.auteur@victime.example",
                          first_name="Aurèle", last_name="Auteurvictime")
    w.track = make_track(training_body=w.body, modules=2, lessons=2, title="Parcours Victime")
    modules = list(ModulePage.objects.child_of(w.track).order_by("path"))
    w.module_quiz = make_quiz(parent=modules[0], title="Quiz du module 1")
    w.final_quiz = make_quiz(parent=w.track, title="Évaluation finale")
    w.cohort = cohort_create(training_body=w.body, track=w.track, name="Session Confidentielle Printemps",
                             starts_on=timezone.localdate() - timedelta(days=30))
    w.practice = make_practice(name="Cabinet Victime des Lilas")
    w.employer = make_employer(practice=w.practice, email="docteur.employeur@victime.example",
                               first_name="Denis", last_name="Employeurvictime")
    w.trainee = make_trainee(practice=w.practice, email=TRAINEE_EMAIL, first_name=TRAINEE_FIRST,
                             last_name=TRAINEE_LAST)
    w.employment = w.trainee.employments.get()
    # A second assistant of the practice, still in training (so the calendar feed has her deadlines).
    w.second_trainee = make_trainee(practice=w.practice, email="berenice.discretissime@victime.example",
                                    first_name="Berenice", last_name="Discretissime")
    make_enrolment(trainee=w.second_trainee, track=w.track, cohort=w.cohort)
    w.enrolment = make_enrolment(trainee=w.trainee, track=w.track, cohort=w.cohort,
                                 starts_on=timezone.localdate() - timedelta(days=20))
    for lesson in LessonPage.objects.descendant_of(w.track).order_by("path"):
        lesson_complete(enrolment=w.enrolment, lesson=lesson)
    for quiz in (w.module_quiz, w.final_quiz):
        attempt = attempt_start(enrolment=w.enrolment, quiz=quiz)
        attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    w.enrolment.refresh_from_db()
    assert w.enrolment.status == "completed"
    w.certificate = Certificate.objects.get(enrolment=w.enrolment)
    with w.certificate.pdf.open("rb") as handle:
        w.pdf_bytes = handle.read()
    assert w.pdf_bytes.startswith(b"%PDF")
    w.submitted_attempt = Attempt.objects.get(enrolment=w.enrolment, quiz=w.module_quiz, status="submitted")
    w.open_attempt = attempt_start(enrolment=w.enrolment, quiz=w.module_quiz)  # a second try, in progress
    assert w.open_attempt.status == "in_progress"
    w.lesson = LessonPage.objects.descendant_of(w.track).order_by("path").first()
    w.declaration = deadline_services.declared_training_create(
        trainee=w.trainee, kind="start", occurred_on=date(2025, 2, 1), organisation="Organisme Externe Discret",
        evidence=_evidence(), declared_by=w.employer)
    w.invitation, w.invitation_token = org_services.invitation_create(
        kind=InvitationKind.ASSISTANT, email="ines.invitee@victime.example", invited_by=w.employer,
        base_url="http://testserver/", practice=w.practice, entry_profile="secretary", hired_on=date(2025, 6, 1),
        working_time="full", first_name="Inès", last_name="Inviteevictime")
    w.calendar_token = deadline_services.calendar_token_create(user=w.employer)
    w.lesson_file = _lesson_document(w.body, w.lesson)

    # The attacker
    w.other_body = make_training_body(name="Organisme Attaquant")
    w.other_manager = make_staff(training_body=w.other_body, role=StaffRole.MANAGER, first_name="Omar",
                                 last_name="Manager")
    w.other_author = make_staff(training_body=w.other_body, role=StaffRole.AUTHOR, first_name="Olga",
                                last_name="Auteur")
    w.other_track = make_track(training_body=w.other_body, modules=1, lessons=1, title="Parcours Attaquant")
    make_quiz(parent=ModulePage.objects.child_of(w.other_track).get(), title="Quiz attaquant")
    w.other_practice = make_practice(name="Cabinet Attaquant")
    w.other_employer = make_employer(practice=w.other_practice, first_name="Octave", last_name="Employeur")
    w.other_trainee = make_trainee(practice=w.other_practice, first_name="Odile", last_name="Apprenante")
    make_enrolment(trainee=w.other_trainee, track=w.other_track)

    w.values = {
        "invitation_pk": w.invitation.pk, "certificate_pk": w.certificate.pk, "enrolment_pk": w.enrolment.pk,
        "employment_pk": w.employment.pk, "module_quiz_pk": w.module_quiz.pk,
        "submitted_attempt_pk": w.submitted_attempt.pk, "open_attempt_pk": w.open_attempt.pk,
        "lesson_pk": w.lesson.pk, "track_pk": w.track.pk, "invitation_token": w.invitation_token,
        "calendar_token": w.calendar_token, "certificate_code": w.certificate.code, "cohort_pk": w.cohort.pk,
        "attendance_format": "csv", "task_pk": _review_task(w.body).pk, "lesson_file_name": w.lesson_file.file.name,
    }
    w.users = {"anonymous": None, "victim_trainee": w.trainee, "victim_employer": w.employer,
               "victim_manager": w.manager, "victim_author": w.author, "other_trainee": w.other_trainee,
               "other_employer": w.other_employer, "other_author": w.other_author,
               "other_manager": w.other_manager}
    # What no outsider may see (text markers, checked in the body and the headers).
    w.private = {
        "trainee_email": TRAINEE_EMAIL,
        "trainee_name": f"{TRAINEE_FIRST} {TRAINEE_LAST}",
        "trainee_last_name": TRAINEE_LAST,
        "certificate_code": w.certificate.code,
        "certificate_sha256": w.certificate.pdf_sha256,
        "invitee_email": w.invitation.email,
        "second_trainee_email": w.second_trainee.email,
        "second_trainee_name": w.second_trainee.get_full_name(),
        "employer_email": w.employer.email,
        "manager_email": w.manager.email,
        "cohort_name": w.cohort.name,
        "declared_organisation": w.declaration.organisation,
        "lesson_file": LESSON_FILE_MARKER,
    }
    w.graph = _victim_graph(w)
    w.state_queries = _state_queries(w.graph)
    w.baseline = victim_state(w)
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at the end; each test runs in a savepoint
    of it (pytest-django's django_db), so whatever a request writes is undone before the next test."""
    from django.db import transaction
    from django.utils import translation

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            with translation.override("fr"):
                built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


LESSON_FILE_MARKER = "Protocole-interne-confidentiel-victime"


def _lesson_document(body, lesson):
    """A document of the body's collection that the victim's lesson links to (private to the lesson's readers)."""
    import json

    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.models import Collection

    document = Document.objects.create(
        title="Protocole interne", collection=Collection.objects.get(name=body.name),
        file=ContentFile(f"{LESSON_FILE_MARKER}\n".encode(), name="protocole-interne.txt"))
    lesson.body = json.dumps([{"type": "document", "value": {"document": document.pk, "label": "Protocole"}}])
    lesson.save()
    return document


def _review_task(body):
    from wagtail.models import WorkflowPage

    return WorkflowPage.objects.get(page=body.catalog_page).workflow.tasks.get()


def _concrete(model):
    return model._meta.concrete_model


def _victim_graph(w):
    """{model: pks} of every row that belongs to the victim: the victim's people, training body, practice and
    enrolments, then, transitively, every row with a foreign key to one of them (certificates and their log,
    attempts and their outcomes, invitations, cohorts, declarations, calendar tokens, attendance records and
    whatever model is added later)."""
    from lms.accounts.models import User
    from lms.learning.models import Enrolment
    from lms.organisations.models import Practice, TrainingBody

    people = [w.trainee.pk, w.second_trainee.pk, w.employer.pk, w.manager.pk, w.author.pk]
    graph = {
        _concrete(User): set(people),
        _concrete(TrainingBody): {w.body.pk},
        _concrete(Practice): {w.practice.pk},
        _concrete(Enrolment): set(Enrolment.objects.filter(Q(training_body=w.body) | Q(trainee_id__in=people))
                                  .values_list("pk", flat=True)),
    }
    models = _watched_models()
    for _ in range(6):  # to a fixed point (the chains are short)
        grew = False
        for model in models:
            q = _pointing_at(model, graph)
            if q is None:
                continue
            pks = set(model._base_manager.filter(q).values_list("pk", flat=True))
            known = graph.setdefault(_concrete(model), set())
            if not pks <= known:
                known |= pks
                grew = True
        if not grew:
            break
    return {model: frozenset(pks) for model, pks in graph.items()}


def _watched_models():
    """Our models, and the account models of allauth and Django (emails, MFA, groups). Wagtail's and the Django
    admin's are left out: only their admin (not checked here) writes them."""
    from django.apps import apps

    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
            and (m.__module__.startswith("lms.") or m._meta.app_label in {"account", "mfa", "auth"})]


def _pointing_at(model, graph):
    """A filter on `model` for rows with a foreign key to a victim row (None if no such key)."""
    q = None
    for field_ in model._meta.concrete_fields:
        if field_.is_relation and field_.related_model is not None:
            pks = graph.get(_concrete(field_.related_model))
            if pks:
                condition = Q(**{f"{field_.attname}__in": list(pks)})
                q = condition if q is None else q | condition
    return q


def _state_queries(graph):
    """The SQL reading every victim row (and every row pointing at one), compiled once: see victim_state."""
    queries = []
    for model in _watched_models():
        pks = graph.get(_concrete(model))
        own = Q(pk__in=sorted(pks)) if pks else None
        pointing = _pointing_at(model, graph)
        q = own if pointing is None else (pointing if own is None else own | pointing)
        if q is None:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        sql, params = model._base_manager.filter(q).values_list(*fields).query.sql_with_params()
        queries.append((model._meta.label_lower, sql, params))
    return queries


def victim_state(w):
    """Every row that belongs to the victim, field by field: an outsider's request must leave it untouched
    (nothing changed, nothing added that points at the victim)."""
    from django.db import connection

    state = {}
    with connection.cursor() as cursor:
        for label, sql, params in w.state_queries:
            cursor.execute(sql, params)
            state[label] = sorted(map(repr, cursor.fetchall()))
    return state


# --- Requests and checks --------------------------------------------------------------------------------

def client_for(world, role):
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def request(client, method, path, data=None):
    if method == "get":
        return client.get(path)
    return client.post(path, data or {})


def response_bytes(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.items()).encode()
    return body + b"\n" + headers


def is_login_redirect(response):
    return response.status_code == 302 and response.get("Location", "").startswith((LOGIN_PREFIX, ADMIN_LOGIN_PREFIX))


def leaks(world, response, allowed=frozenset()):
    """The names of the victim's private markers found in the response."""
    content = response_bytes(response)
    found = [name for name, marker in world.private.items()
             if name not in allowed and marker and marker.encode() in content]
    if world.pdf_bytes in content:
        found.append("certificate PDF bytes")
    return found


def describe(response):
    location = f" -> {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{location}"


ENTRY_IDS = [e.label for e in PATTERNS]


def _matrix():
    return [pytest.param(entry, role, id=f"{entry.label}-{role}") for entry in PATTERNS for role in ATTACKERS]


def _path_for(entry, world, query=True):
    problem = unfillable(entry)
    assert not problem, problem
    values = {k: world.values[kwarg_source(entry, k)] for k in entry.kwarg_names}
    return build_path(entry, values) + (query_string(entry, world) if query else "")


@pytest.mark.parametrize(("entry", "role"), _matrix())
def test_outsider_gets_nothing_of_the_victim(world, entry, role):
    """GET and POST, on the bare URL and with a hostile query string: no 5xx, an allowed status, none of the
    victim's private data in the response, nothing of the victim's changed."""
    bare = _path_for(entry, world, query=False)
    hostile = _path_for(entry, world)
    state = victim_state(world)
    assert state == world.baseline, "an earlier test's writes were not rolled back"
    public = entry.name in PUBLIC
    object_url = bool(entry.kwarg_names)
    problems = []
    for method in ("get", "post"):
        for path in dict.fromkeys((bare, hostile)):
            data = POST_BODIES[entry.name](world) if method == "post" and entry.name in POST_BODIES else {}
            response = request(client_for(world, role), method, path, data)
            where = f"{method.upper()} {path} ({entry.label}, view {entry.module}) as {role}: {describe(response)}"
            status = response.status_code
            if status >= 500:
                problems.append(f"{where}: server error")
            elif public:
                pass  # anyone may open it; what it shows is checked below
            elif role == "anonymous" or object_url:
                if not (is_login_redirect(response) or status in (403, 404, 405, 410)):
                    problems.append(f"{where}: expected a login redirect, 403, 404, 405 or 410")
            found = leaks(world, response, allowed=PUBLIC.get(entry.name, frozenset()))
            if found:
                problems.append(f"{where}: the response holds the victim's {', '.join(found)}")
            after = victim_state(world)
            changed = [key for key in sorted(set(state) | set(after)) if state.get(key) != after.get(key)]
            if changed:
                problems.append(f"{where}: changed the victim's rows in {', '.join(changed)}")
            state = after
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("entry", [e for e in PATTERNS if e.name in OWNERS], ids=lambda e: e.label)
def test_owner_reaches_the_url(world, entry):
    """The legitimate user gets the page: the matrix's refusals are not a broken URL's 404s."""
    role, method, expected = OWNERS[entry.name]
    path = _path_for(entry, world)
    data = POST_BODIES[entry.name](world) if method == "post" and entry.name in POST_BODIES else {}
    response = request(client_for(world, role), method, path, data)
    assert response.status_code == expected, f"{method.upper()} {path} as {role}: {describe(response)}"
    assert not is_login_redirect(response), f"{method.upper()} {path} as {role}: sent to the login page"
    if entry.name == "certificate_download":
        assert response_bytes(response).startswith(world.pdf_bytes)
    if entry.name == "calendar_feed":
        assert response["Content-Type"].startswith("text/calendar")
        assert world.private["second_trainee_name"].encode() in response.content


# --- Coverage of the matrix itself ----------------------------------------------------------------------

@pytest.mark.parametrize(("name", "role", "expected"), [
    ("learner_detail", "victim_manager", {"trainee_name", "certificate_code"}),
    ("employer_csv", "victim_employer", {"trainee_email", "second_trainee_email"}),
    ("employment_detail", "victim_employer", {"declared_organisation"}),
    ("certificate_download", "victim_trainee", {"certificate PDF bytes", "certificate_sha256"}),
    ("practice_home", "victim_employer", {"invitee_email"}),
    ("cohort_list", "victim_manager", {"cohort_name"}),
    ("media", "victim_trainee", {"lesson_file"}),
])
def test_the_leak_detector_sees_the_victims_data_where_it_belongs(world, name, role, expected):
    """The markers are really on the owners' pages, so their absence from outsiders' pages means something."""
    entry = next(e for e in PATTERNS if e.name == name)
    response = request(client_for(world, role), "get", _path_for(entry, world))
    assert response.status_code == 200
    found = set(leaks(world, response))
    assert expected <= found, f"{name} as {role}: found only {found}"


def test_the_matrix_covers_every_view_of_ours():
    ours = [e for e in PATTERNS if e.module.startswith("lms.")]
    names = {e.name for e in ours}
    # The views known when this file was written must all be there (the resolver walk did not lose any).
    expected = set(OWNERS)
    assert expected <= names, f"missing from the resolver walk: {sorted(expected - names)}"
    skipped_ours = [route for levels, _ns in _walk(get_resolver())
                    for route in ["".join(str(level.pattern) for level in levels)]
                    if _view_module(levels[-1].callback).startswith("lms.")
                    and route not in {e.route for e in PATTERNS}]
    assert not skipped_ours, skipped_ours
    assert not any(e.route.startswith(THIRD_PARTY_PREFIXES) for e in PATTERNS if not e.module.startswith("lms."))


@pytest.mark.parametrize("entry", PATTERNS, ids=ENTRY_IDS)
def test_every_url_argument_can_be_filled(entry):
    problem = unfillable(entry)
    assert not problem, problem


# --- Public pages: only what they are meant to show -----------------------------------------------------

@pytest.mark.parametrize("role", [*ATTACKERS, "victim_employer"])
def test_calendar_feed_with_a_wrong_or_revoked_token_is_404(world, role):
    from lms.deadlines import services as deadline_services

    client = client_for(world, role)
    wrong = world.calendar_token[:-4] + ("AAAA" if not world.calendar_token.endswith("AAAA") else "BBBB")
    for token in (wrong, "x"):
        response = client.get(reverse("calendar_feed", args=[token]))
        assert response.status_code == 404, f"token {token!r} as {role}: {describe(response)}"
        assert not leaks(world, response)
    deadline_services.calendar_token_revoke(user=world.employer)
    response = client.get(reverse("calendar_feed", args=[world.calendar_token]))
    assert response.status_code == 404, f"revoked token as {role}: {describe(response)}"
    assert not leaks(world, response)


@pytest.mark.parametrize("role", ATTACKERS)
def test_verification_page_shows_only_name_track_body_and_date(world, role):
    certificate = world.certificate
    response = client_for(world, role).get(reverse("certificate_verify", args=[certificate.code]))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (certificate.trainee_name, certificate.track_title, certificate.training_body_name):
        assert expected in html, expected
    leaked = leaks(world, response, allowed=PUBLIC["certificate_verify"])
    assert not leaked, leaked
    download = reverse("certificate_download", args=[certificate.pk])
    for private in (world.practice.name, "Mesurer la pression artérielle", download,
                    world.enrolment.starts_on.strftime("%d/%m/%Y")):
        assert private not in html, private


@pytest.mark.parametrize("role", ATTACKERS)
def test_unknown_verification_code_and_invitation_token_are_404(world, role):
    client = client_for(world, role)
    for path in (reverse("certificate_verify", args=["AAAAA-AAAAA-AAAAA-AAAAA"]),
                 reverse("invitation_accept", args=["pas-un-jeton"])):
        response = client.get(path)
        assert response.status_code == 404, f"{path} as {role}: {describe(response)}"
        assert not leaks(world, response)


@pytest.mark.parametrize("role", ATTACKERS)
def test_dead_invitation_link_is_410_and_accepts_nothing(world, role):
    from lms.organisations import services as org_services

    org_services.invitation_revoke(invitation=world.invitation)
    client = client_for(world, role)
    for method in ("get", "post"):
        before = victim_state(world)
        response = request(client, method, reverse("invitation_accept", args=[world.invitation_token]))
        assert response.status_code == 410, f"{method} as {role}: {describe(response)}"
        assert not leaks(world, response, allowed=PUBLIC["invitation_accept"])
        assert victim_state(world) == before


@pytest.mark.parametrize("role", ["victim_trainee", "victim_employer", "victim_manager"])
def test_unknown_objects_are_404_not_500(world, role):
    """Every URL with arguments, filled with ids and tokens that match nothing."""
    client = client_for(world, role)
    problems = []
    for entry in PATTERNS:
        if not entry.kwarg_names or unfillable(entry):
            continue
        values = {k: (999999 if isinstance(world.values[kwarg_source(entry, k)], int) else "inconnu")
                  for k in entry.kwarg_names}
        path = build_path(entry, values)
        for method in ("get", "post"):
            response = request(client, method, path)
            if response.status_code >= 500 or response.status_code == 200:
                problems.append(f"{method.upper()} {path} as {role}: {describe(response)}")
    assert not problems, "\n".join(problems)
