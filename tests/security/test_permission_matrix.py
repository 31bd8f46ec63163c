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

Then, inside the victim's own organisations: each role of the training body (author, tutor, manager, its trainee,
and an author of it who manages the attacker's body) and of the practice (its doctor, the assistant it employs)
against an explicit table of who may do what (TRAINING_BODY_RULES, PRACTICE_RULES).

And the two admins: every URL of the Django admin (refused to all but platform admins) and of the Wagtail admin
(no access for trainees, employers and tutors; nothing of the victim body's pages, documents, images,
collection, workflow, groups or users for another body's staff; publishing and the like for the body's managers
only, not its authors). The victim's world holds for them a lesson in review, a document and an image.
`test_matrix_size` prints the size of the whole (URL patterns × roles × cases).
"""
import re
import uuid
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

from lms.core.display import long_date

pytestmark = pytest.mark.django_db

# --- The URLs, from the resolver ------------------------------------------------------------------------

# Third-party URL trees that are not ours (Wagtail admin, Django admin, allauth, Wagtail documents, set_language,
# static and media files); Wagtail's page-serving patterns under formations/ are skipped too. A view of ours
# (module lms.*) is never skipped, whatever its prefix, except in the two admins: every URL there, ours (put in
# front of Wagtail's) or not, is walked by the sections of their own at the end of this file.
THIRD_PARTY_PREFIXES = ("cms/", "django-admin/", "comptes/", "documents/", "i18n/", "static/", "media/",
                        "formations/")
ADMIN_AREAS = ("cms/", "django-admin/")
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


def url_entries(keep):
    """Every URL pattern of the project for which keep(route, module) is true, flattened."""
    entries = []
    for levels, namespace in _walk(get_resolver()):
        route = "".join(str(level.pattern) for level in levels)
        pattern = levels[-1]
        module = _view_module(pattern.callback)
        if not keep(route, module):
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


def project_patterns():
    """Every URL pattern we must check: all of lms.*, and anything else not under a third-party prefix."""
    return url_entries(lambda route, module: not route.startswith(ADMIN_AREAS) and (
        module.startswith("lms.") or not route.lstrip("^").startswith(THIRD_PARTY_PREFIXES)))


PATTERNS = project_patterns()

# --- How to fill URL arguments with the victim's objects -----------------------------------------------

# URL kwarg name -> key of world.values; or, when the name means different objects in different apps,
# {app: key}. A new view whose argument is not here makes test_every_url_argument_can_be_filled fail.
KWARG_SOURCES = {
    "pk": {"lms.organisations": "invitation_pk", "lms.certificates": "certificate_pk",
           "lms.learning": "qualification_result_pk"},
    "enrolment_id": "enrolment_pk",
    "employment_id": "employment_pk",
    "quiz_id": "module_quiz_pk",
    "attempt_id": "submitted_attempt_pk",
    "lesson_id": "lesson_pk",
    "track_id": "track_pk",
    "token": {"lms.organisations": "invitation_token", "lms.reports": "calendar_token", "lms.accounts": "welcome_token"},
    "code": "certificate_code",
    "cohort_id": "cohort_pk",
    "body_id": "body_pk",
    "offer_id": "enrolment_offer_pk",
    "fmt": "attendance_format",  # not an object: the file format of a download (CSV is greppable)
    "parent_page_id": "track_pk",  # the Wagtail page chooser opened on the victim's track
    "task_id": "task_pk",  # the victim body's review task
    "name": "lesson_file_name",  # a stored file (MEDIA_URL): the document the victim's lesson links to
    "thread_id": "thread_pk",  # the victim trainee's question to her tutor (lms.support)
    "kind_slug": "survey_slug",  # the end-of-training survey of the victim's enrolment (lms.surveys)
    "complaint_id": "complaint_pk",  # the victim trainee's complaint to her training body (lms.complaints)
    "seance_id": "class_session_pk",  # a séance of the victim's cohort, open for signing now (lms.classroom)
    "trainee_id": "trainee_pk",  # the victim trainee, whose accommodation the body's referent sets (lms.accommodations)
    "exemption_id": "exemption_pk",  # a module exemption proposed to the victim trainee after positioning
    "package_id": "scorm_package_pk",  # the SCORM package the victim's SCORM lesson plays (lms.scorm)
    "path": "scorm_path",  # a file of that package (its launch page)
}
# Where another victim object is the more telling target for one URL.
URL_KWARG_OVERRIDES = {
    "attempt": {"attempt_id": "open_attempt_pk"},  # the answering page of an attempt in progress
    "attempt_autosave": {"attempt_id": "open_attempt_pk"},
    "attempt_heartbeat": {"attempt_id": "open_attempt_pk"},
    "open_badges_issuer": {"pk": "body_pk"},  # a training body's Open Badges issuer profile
    "open_badges_status_list": {"pk": "body_pk"},  # and its status list
    "scorm_launch": {"lesson_id": "scorm_lesson_pk"},  # the victim trainee's SCORM lesson (lms.scorm)
    "scorm_commit": {"lesson_id": "scorm_lesson_pk"},
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
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^()]*\)")


def _view_identity(func):
    """What names a view whatever the resolver instance: a test that swaps the URLconf makes the admin sites build
    new bound methods and wrappers, so the same view is not always the same object."""
    return (getattr(func, "__module__", None), getattr(func, "__qualname__", None),
            getattr(func, "view_class", None), getattr(getattr(func, "__self__", None), "name", None))


def build_path(entry, values):
    """The concrete path of an entry with the given kwargs, checked against the resolver."""
    path = _path_of(entry, values)
    match = resolve(path.split("?")[0])
    same = match.func is entry.callback or (_view_identity(match.func) == _view_identity(entry.callback)
                                            and (not entry.name or match.view_name == entry.name))
    assert same, f"{path} resolves to {match.view_name}, not {entry.label}"
    return path


def _path_of(entry, values):
    parts = []
    for level in entry.levels:
        pattern = level.pattern
        if isinstance(pattern, RoutePattern):
            text = _ROUTE_PARAM.sub(lambda m: str(pattern.converters[m["parameter"]].to_url(values[m["parameter"]])),
                                    str(pattern))
        else:  # a regex: "^api/", the admin's "^(?P<app_label>auth|…)/$", a catch-all "^.*/$" (ours use path())
            regex = level.pattern.regex
            assert regex.groups == len(regex.groupindex), f"cannot build {entry.route}: use named arguments"
            text = _REGEX_GROUP.sub(lambda m: str(values[m["name"]]), str(pattern)).replace(".*", "inexistant")
            text = text.lstrip("^").rstrip("$").replace("\\", "")
        parts.append(text)
    return "/" + "".join(parts)


# --- Roles, public pages, owners, request bodies ----------------------------------------------------------

ATTACKERS = ["anonymous", "other_trainee", "other_employer", "other_author", "other_manager"]

# Pages anyone may open (the key of each is in its URL or it has none); what they may show of the victim.
PUBLIC = {
    "home": set(),
    "favicon": set(),
    "accessibility": set(),
    "privacy": set(),
    "legal_notice": set(),
    "certificate_verify_form": set(),
    "certificate_verify": {"trainee_name", "trainee_last_name", "certificate_code"},  # name, track, body, date
    "invitation_accept": {"invitee_email"},  # the invitation's own addressee
    "account_welcome": {"newcomer_email"},  # the welcome link names the account it opens (the link is the key)
    "account_welcome_renew": set(),
    # The employer's own calendar (the token is the key): assistants' names, nothing else.
    "calendar_feed": {"trainee_name", "trainee_last_name", "second_trainee_name"},
    # Open Badges 3.0 (issue 18): for any verifier or wallet. The key, a body's profile, its status list (bits only)
    "open_badges_jwks": set(),
    "open_badges_issuer": set(),
    "open_badges_status_list": set(),
    # the credential, linked from the verification page (the code is the key): the email only as a salted hash
    "open_badges_public": {"certificate_code"},
}

# The legitimate user of each URL: (role, method, expected status). A sanity check that the URL works.
OWNERS = {
    "home": ("anonymous", "get", 200),
    "favicon": ("anonymous", "get", 301),
    "accessibility": ("anonymous", "get", 200),
    "privacy": ("anonymous", "get", 200),
    "legal_notice": ("anonymous", "get", 200),
    "accounts_dashboard": ("victim_trainee", "get", 200),
    "practice_invite": ("victim_employer", "get", 200),
    "training_body_home": ("victim_manager", "get", 200),
    "training_body_invite": ("victim_manager", "get", 200),
    "training_body_identity": ("victim_manager", "get", 200),
    "invitation_revoke": ("victim_employer", "post", 302),
    "invitation_accept": ("anonymous", "get", 200),
    "account_welcome": ("anonymous", "get", 200),
    "account_welcome_renew": ("anonymous", "post", 410),  # a link still valid needs no new one
    "my_track": ("victim_trainee", "get", 200),
    "track_search": ("victim_trainee", "get", 200),
    "track_outline": ("victim_trainee", "get", 200),
    "lesson": ("victim_trainee", "get", 200),
    "lesson_heartbeat": ("victim_trainee", "post", 200),
    "lesson_mark_done": ("victim_trainee", "post", 302),
    "enrolment_list": ("victim_manager", "get", 200),
    "enrolment_create": ("victim_manager", "get", 200),
    "enrolment_import": ("victim_manager", "get", 200),
    "enrolment_withdraw": ("victim_manager", "get", 200),
    "qualification_result": ("victim_manager", "get", 200),
    "enrolment_offer_cancel": ("victim_manager", "post", 302),
    "enrolment_offer_accept": ("victim_employer", "post", 302),
    "enrolment_offer_refuse": ("victim_employer", "post", 302),
    "cohort_list": ("victim_manager", "get", 200),
    "quiz": ("victim_trainee", "get", 200),
    "quiz_start": ("victim_trainee", "post", 302),
    "attempt": ("victim_trainee", "get", 200),
    "attempt_autosave": ("victim_trainee", "post", 200),
    "attempt_heartbeat": ("victim_trainee", "post", 200),
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
    "cohort_detail": ("victim_manager", "get", 200),
    "cohort_attendance_zip": ("victim_manager", "get", 200),
    "cohort_attendance_summary": ("victim_manager", "get", 200),
    "realisation_certificate": ("victim_trainee", "get", 200),
    "training_body_deadlines": ("victim_manager", "get", 200),
    "certificate_verify_form": ("anonymous", "get", 200),
    "certificate_verify": ("anonymous", "get", 200),
    "certificate_download": ("victim_trainee", "get", 200),
    "qualification_document": ("victim_trainee", "get", 200),
    "certificate_list": ("victim_manager", "get", 200),
    "certificate_detail": ("victim_manager", "get", 200),
    "certificate_revoke": ("victim_manager", "post", 302),
    "certificate_reissue": ("victim_manager", "post", 302),
    "certificate_issue": ("victim_manager", "post", 302),
    "open_badges_jwks": ("anonymous", "get", 200),
    "open_badges_issuer": ("anonymous", "get", 200),
    "open_badges_status_list": ("anonymous", "get", 200),
    "open_badges_public": ("anonymous", "get", 200),
    "open_badges_download": ("victim_trainee", "get", 200),
    "open_badges_json": ("victim_trainee", "get", 200),
    "media": ("victim_trainee", "get", 200),
    # lms.support (issue 15, point 6)
    "support_ask_lesson": ("victim_trainee", "get", 200),
    "support_ask_attempt": ("victim_trainee", "get", 200),
    "my_questions": ("victim_trainee", "get", 200),
    "my_question": ("victim_trainee", "get", 200),
    "my_question_close": ("victim_trainee", "post", 302),
    "support_inbox": ("victim_tutor", "get", 200),
    "support_thread": ("victim_tutor", "get", 200),
    "support_thread_close": ("victim_tutor", "post", 302),
    "my_complaints": ("victim_trainee", "get", 200),
    "complaint_new": ("victim_trainee", "get", 200),
    "complaint_mine": ("victim_trainee", "get", 200),
    "complaint_register": ("victim_manager", "get", 200),
    "complaint_register_csv": ("victim_manager", "get", 200),
    "complaint_staff": ("victim_manager", "get", 200),
    "survey": ("victim_trainee", "get", 200),
    "survey_results": ("victim_manager", "get", 200),
    "survey_results_csv": ("victim_manager", "get", 200),
    # the employer's evidence pack (issue 17, point 7)
    "evidence_dossier": ("victim_employer", "get", 200),
    "evidence_zip": ("victim_employer", "get", 200),
    "entry_attestation_download": ("victim_manager", "get", 200),
    # lms.classroom (issue 17, point 3)
    "my_class_sessions": ("victim_trainee", "get", 200),
    "class_session_sign": ("victim_trainee", "post", 302),
    "class_session_list": ("victim_tutor", "get", 200),
    "class_session_sheet": ("victim_tutor", "get", 200),
    "class_session_edit": ("victim_manager", "get", 200),
    "class_session_delete": ("victim_manager", "post", 302),
    "class_session_pdf": ("victim_manager", "get", 200),
    # lms.scorm (issue 18, point 1): the victim trainee plays the SCORM lesson of her track
    "scorm_content": ("victim_trainee", "get", 200),
    "scorm_launch": ("victim_trainee", "post", 200),
    "scorm_commit": ("victim_trainee", "post", 200),
    # lms.accommodations (issue 17, point 2): the victim body's referent is its tutor
    "my_accommodations": ("victim_trainee", "get", 200),
    "accommodation_home": ("victim_manager", "get", 200),
    "accommodation_edit": ("victim_tutor", "get", 200),
    # issue 17, point 1: the positioning test and the exemptions it proposes
    "positioning": ("victim_trainee", "get", 200),
    "exemption_list": ("victim_tutor", "get", 200),
    "exemption_decide": ("victim_tutor", "get", 200),
}


def _scorm_session(w):
    from lms.scorm.models import ScormAttempt

    return str(ScormAttempt.objects.get(enrolment=w.enrolment, lesson=w.scorm_lesson).session_key)


def _evidence():
    return SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n% preuve\n", content_type="application/pdf")


# Plausible POST bodies: what an attacker would try (aiming at the victim's objects where a form takes ids).
POST_BODIES = {
    "training_body_identity": lambda w: {"name": "Organisme Pirate", "legal_name": "Pirate SAS",
                                         "siret": "73282932000074", "registration_number": "11999999999"},
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
    "qualification_result": lambda w: {"action": "record", "obtained_on": date.today().isoformat(),
                                       "jury_reference": "Jury pirate", "document": _evidence()},
    "declaration_create": lambda w: {"kind": "qualification", "occurred_on": "2025-03-01",
                                     "organisation": "Organisme pirate", "evidence": _evidence()},
    "calendar_settings": lambda w: {"action": "create"},
    "invitation_revoke": lambda w: {"confirmed": "yes"},  # past the confirmation step
    "enrolment_offer_cancel": lambda w: {"confirmed": "yes"},
    "reminder_settings": lambda w: {"thresholds": ["7"]},
    "my_data": lambda w: {"confirm": "1", "password": "pas-le-bon"},
    # lms.support: a question aimed at the victim's lesson or attempt, a message in the victim's thread
    "support_ask_lesson": lambda w: {"subject": "Question pirate", "body": "Message pirate",
                                     "submission_key": "6f1c2a3e-0000-4000-8000-000000000001"},
    "support_ask_attempt": lambda w: {"subject": "Question pirate", "body": "Message pirate",
                                      "submission_key": "6f1c2a3e-0000-4000-8000-000000000002"},
    "my_question": lambda w: {"body": "Message pirate", "submission_key": "6f1c2a3e-0000-4000-8000-000000000003"},
    "support_thread": lambda w: {"body": "Réponse pirate", "submission_key": "6f1c2a3e-0000-4000-8000-000000000004"},
    # lms.complaints: a complaint filed with the victim's body, an answer to the victim's complaint
    "complaint_new": lambda w: {"training_body": w.body.pk, "category": "other", "subject": "Réclamation pirate",
                                "text": "Texte pirate", "submission_key": "6f1c2a3e-0000-4000-8000-000000000005"},
    "complaint_staff": lambda w: {"answer": "Réponse pirate"},
    # lms.classroom: a séance planned in the victim's cohort, an absence marked on its sheet, a change of place
    "class_session_list": lambda w: {"title": "Séance pirate", "date": date.today().isoformat(),
                                     "half_day": "afternoon", "kind": "in_person", "place": "Repaire pirate",
                                     "trainer": w.tutor.pk, "hours": "3"},
    "class_session_edit": lambda w: {"title": "Séance pirate", "date": date.today().isoformat(),
                                     "half_day": "morning", "kind": "in_person", "place": "Repaire pirate",
                                     "trainer": w.tutor.pk, "hours": "3"},
    "class_session_sheet": lambda w: {"enrolment": w.enrolment.pk, "excused": "1", "reason": "Absence pirate"},
    # lms.accommodations: a referent named in the victim's body, an accommodation set for the victim trainee
    "accommodation_home": lambda w: {"training_body": w.body.pk, f"b{w.body.pk}-user": w.author.pk,
                                     f"b{w.body.pk}-contact": "Contact pirate"},
    "accommodation_edit": lambda w: {"extra_time_percent": "100", "extra_duration_percent": "100",
                                     "note": "Note pirate"},
    "exemption_decide": lambda w: {"decision": "confirm", "reason": "Dispense pirate"},
    # lms.scorm: the victim's SCO session (its current key) with a completion aimed at her lesson
    "scorm_commit": lambda w: {"session": _scorm_session(w), "finished": "0",
                               "data": '{"cmi.core.lesson_status": "passed", "cmi.core.lesson_location": "pirate"}'},
    "survey": lambda w: {"overall": "1", "content": "1", "support": "1", "platform": "1", "comment": "Avis pirate"},
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
# The certification result of the victim's trainee: the jury's reference and a word inside its document.
JURY_REFERENCE, RESULT_DOCUMENT_MARKER = "JURY-VICTIME-2026-117", "Deliberation-du-jury-victime"
# The victim's authoring material in the Wagtail admin: a lesson never published (in review), a document and an
# image of the body's collection. One made-up word is in each title, so that a search can aim at all of them.
CMS_WORD = "Zorglub"
DRAFT_TITLE, DRAFT_TEXT = f"Leçon {CMS_WORD} en brouillon", "Texte-inédit-du-brouillon-victime"
DOCUMENT_TITLE, IMAGE_TITLE = f"Protocole {CMS_WORD} interne", f"Photo {CMS_WORD} du cabinet"


def _png():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def _cms_material(w):
    """The victim body's draft lesson (submitted to its review workflow, with an editing session), a document,
    an image and pending uploads of each, in the body's collection; the attacker's pages to aim moves at."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from wagtail.admin.models import EditingSession
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection, Page, Site, UploadedFile

    from lms.catalog.authoring import group_names
    from lms.catalog.models import LessonPage, ModulePage, TrainingBodyPage

    w.body_page = TrainingBodyPage.objects.get(training_body=w.body)
    w.module = ModulePage.objects.child_of(w.track).order_by("path").last()
    w.draft = w.module.add_child(instance=LessonPage(title=DRAFT_TITLE, slug="brouillon", live=False,
                                                     body=[("text", f"<p>{DRAFT_TEXT}</p>")]))
    w.draft_revision = w.draft.save_revision(user=w.author)
    w.workflow_state = w.draft.get_workflow().start(w.draft, w.author)
    w.task_state = w.workflow_state.current_task_state
    w.collection = Collection.objects.get(name=w.body.name)
    w.document = get_document_model().objects.create(
        title=DOCUMENT_TITLE, collection=w.collection, uploaded_by_user=w.author,
        file=ContentFile(b"Protocole interne", name="protocole.txt"))
    w.document.tags.add(CMS_WORD.lower())
    png = _png()
    w.image = get_image_model().objects.create(
        title=IMAGE_TITLE, collection=w.collection, uploaded_by_user=w.author, width=8, height=8,
        file=ContentFile(png, name="photo.png"))
    w.uploaded_document = UploadedFile.objects.create(
        file=ContentFile(b"brouillon", name="envoi.txt"), uploaded_by_user=w.author,
        for_content_type=ContentType.objects.get_for_model(get_document_model()))
    w.uploaded_image = UploadedFile.objects.create(
        file=ContentFile(png, name="envoi.png"), uploaded_by_user=w.author,
        for_content_type=ContentType.objects.get_for_model(get_image_model()))
    w.editing_session = EditingSession.objects.create(
        user=w.author, content_type=ContentType.objects.get_for_model(Page), object_id=str(w.draft.pk),
        last_seen_at=timezone.now())
    w.groups = list(Group.objects.filter(name__in=group_names(w.body)))
    w.managers_group = Group.objects.get(name=group_names(w.body)[1])
    w.other_body_page = TrainingBodyPage.objects.get(training_body=w.other_body)
    w.other_module = ModulePage.objects.child_of(w.other_track).get()
    w.site = Site.objects.get(is_default_site=True)
    w.other_collection = Collection.objects.get(name=w.other_body.name)


def build_world():
    from allauth.mfa.models import Authenticator
    from wagtail.models import Collection, Page

    from lms.catalog.models import LessonPage, ModulePage
    from lms.certificates.models import Certificate
    from lms.deadlines.models import ReminderSent
    from lms.deadlines import services as deadline_services
    from lms.accounts.welcome import welcome_token
    from lms.learning.services import cohort_create, enrolment_request, lesson_complete, qualification_result_record
    from lms.organisations import services as org_services
    from lms.organisations.models import InvitationKind, StaffRole, TrainingBodyMembership
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
        make_user,
        pdf_upload,
        perfect_answers,
    )

    w = SimpleNamespace()
    # The platform's rule set, installed by a data migration (a transactional test run earlier flushes it)
    from lms.deadlines.models import DeadlineRuleSet
    from lms.deadlines.rules import default_rule

    if not DeadlineRuleSet.objects.exists():
        default_rule().save()
    # The victim
    w.body = make_training_body(name="Institut Victime")
    w.manager = make_staff(training_body=w.body, role=StaffRole.MANAGER, email="manon.responsable@victime.example",
                           first_name="Manon", last_name="Responsablevictime")
    w.author = make_staff(training_body=w.body, role=StaffRole.AUTHOR, email="aurele.auteur@victime.example",
                          first_name="Aurèle", last_name="Auteurvictime")
    w.tutor = make_staff(training_body=w.body, role=StaffRole.TUTOR, email="theo.tuteur@victime.example",
                         first_name="Théo", last_name="Tuteurvictime")
    # A track that leads to a certification: the body may record the result of its learner.
    w.track = make_track(training_body=w.body, modules=2, lessons=2, title="Parcours Victime", certification=True)
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
    # The jury's result of the completed certification track, with its document (issue 15, point 1).
    w.result = qualification_result_record(
        enrolment=w.enrolment, obtained_on=timezone.localdate(), jury_reference=JURY_REFERENCE,
        document=pdf_upload(data=b"%PDF-1.4\n% " + RESULT_DOCUMENT_MARKER.encode() + b"\n"), recorded_by=w.manager)
    w.submitted_attempt = Attempt.objects.get(enrolment=w.enrolment, quiz=w.module_quiz, status="submitted")
    w.open_attempt = attempt_start(enrolment=w.enrolment, quiz=w.module_quiz)  # a second try, in progress
    assert w.open_attempt.status == "in_progress"
    w.lesson = LessonPage.objects.descendant_of(w.track).order_by("path").first()
    # A SCORM lesson of the track (lms.scorm) and the victim trainee's session in it, launched.
    from lms.scorm.services import attempt_launch
    from tests.scorm.packages import make_scorm_lesson

    w.scorm_lesson = make_scorm_lesson(track=w.track)
    attempt_launch(enrolment=w.enrolment, lesson=w.scorm_lesson)
    # The track's positioning test and an exemption it proposed to the trainee (issue 17, point 1), waiting for
    # the tutor's decision (written directly: she has started the training, the test is no longer offered).
    from lms.learning.models import ModuleExemption

    make_quiz(parent=w.track, title="Test de positionnement", purpose="positioning",
              questions=[{"type": "truefalse", "prompt": "Le secret professionnel s'impose.", "answer": True,
                          "module_id": modules[1].pk}])
    w.exemption = ModuleExemption.objects.create(enrolment=w.enrolment, module=modules[1], score=100, threshold=80,
                                                 proposed_at=timezone.now())
    w.declaration = deadline_services.declared_training_create(
        trainee=w.trainee, kind="start", occurred_on=date(2025, 2, 1), organisation="Organisme Externe Discret",
        evidence=_evidence(), declared_by=w.employer)
    w.invitation, w.invitation_token = org_services.invitation_create(
        kind=InvitationKind.ASSISTANT, email="ines.invitee@victime.example", invited_by=w.employer,
        base_url="http://testserver/", practice=w.practice, entry_profile="secretary", hired_on=date(2025, 6, 1),
        working_time="full", first_name="Inès", last_name="Inviteevictime")
    w.calendar_token = deadline_services.calendar_token_create(user=w.employer)
    # The body offers its track to an existing account (the practice's doctor): an offer only he may answer.
    w.offer = enrolment_request(
        email=w.employer.email, first_name="Denis", last_name="Saisivictime", entry_profile="secretary",
        track=w.track, cohort=w.cohort, training_body=w.body, starts_on=timezone.localdate(), requested_by=w.manager,
        base_url="http://testserver/").offer
    # A new address the body enrolled: an account without password, and the welcome link emailed to it.
    w.newcomer = enrolment_request(
        email="nadege.nouvelle@victime.example", first_name="Nadège", last_name="Nouvellevictime",
        entry_profile="secretary", track=w.track, cohort=w.cohort, training_body=w.body,
        starts_on=timezone.localdate(), requested_by=w.manager, base_url="http://testserver/").enrolment.trainee
    w.welcome_token = welcome_token(w.newcomer)
    # A row for each model of the Django admin: a reminder sent, the manager's TOTP, a tag.
    ReminderSent.objects.create(employment=w.employment, deadline="enrolment", threshold=90,
                                deadline_date=date(2027, 1, 15), recipients=w.employer.email)
    Authenticator.objects.create(user=w.manager, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    w.lesson_file = _lesson_document(w.body, w.lesson)
    # The trainee's question to the tutor of her cohort (lms.support), written from a lesson.
    from lms.support.services import thread_create

    w.cohort.tutors.add(w.tutor)
    w.thread = thread_create(enrolment=w.enrolment, author=w.trainee, subject="Question sur le brassard",
                             body=SUPPORT_TEXT, submission_key=uuid.uuid4(), lesson=w.lesson,
                             base_url="http://testserver")
    # The trainee's complaint to her training body (lms.complaints).
    from lms.complaints.services import complaint_file

    w.complaint = complaint_file(author=w.trainee, training_body_id=w.body.pk, category="training",
                                 subject="Réclamation de la victime", text=COMPLAINT_TEXT,
                                 submission_key=uuid.uuid4(), base_url="http://testserver")
    # A séance of the cohort, open for signing all day today, its tutor as trainer (lms.classroom).
    from datetime import time as clock

    from lms.classroom.models import ClassSession
    from lms.classroom.services import class_session_save

    w.class_session = class_session_save(session=ClassSession(
        cohort=w.cohort, title="Séance Confidentielle", date=timezone.localdate(), half_day="morning",
        starts_at=clock(0, 0), ends_at=clock(23, 59), kind="in_person", place="Salle Victime", trainer=w.tutor,
        hours=3), base_url="http://testserver")
    # The trainee's accommodation, set by the body's disability referent (its tutor) (lms.accommodations).
    from lms.accommodations.services import accommodation_set, referent_name

    referent_name(training_body=w.body, user=w.tutor, by=w.manager, contact="Le mardi matin")
    w.accommodation = accommodation_set(training_body=w.body, trainee=w.trainee, by=w.tutor, extra_time_percent=33,
                                        extra_duration_percent=25, note=ACCOMMODATION_NOTE,
                                        base_url="http://testserver")

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
    # Between the two: an author of the victim's body who manages the attacker's (a manager somewhere is not a
    # manager everywhere); and the platform admin.
    w.dual = make_staff(training_body=w.body, role=StaffRole.AUTHOR, first_name="Dora", last_name="Doublecasquette")
    TrainingBodyMembership.objects.create(training_body=w.other_body, user=w.dual, role=StaffRole.MANAGER)
    w.admin = make_user(email="admin@plateforme.example", is_staff=True, is_superuser=True)
    # A staff invitation of the victim's body (the practice's is above), and its Wagtail material.
    w.body_invitation, _token = org_services.invitation_create(
        kind=InvitationKind.STAFF, email="tiphaine.recrue@victime.example", invited_by=w.manager,
        base_url="http://testserver/", training_body=w.body, role=StaffRole.TUTOR, first_name="Tiphaine",
        last_name="Recrue")
    _cms_material(w)

    w.values = {
        "invitation_pk": w.invitation.pk, "certificate_pk": w.certificate.pk, "enrolment_pk": w.enrolment.pk,
        "employment_pk": w.employment.pk, "module_quiz_pk": w.module_quiz.pk,
        "submitted_attempt_pk": w.submitted_attempt.pk, "open_attempt_pk": w.open_attempt.pk,
        "lesson_pk": w.lesson.pk, "track_pk": w.track.pk, "invitation_token": w.invitation_token,
        "calendar_token": w.calendar_token, "welcome_token": w.welcome_token, "certificate_code": w.certificate.code, "cohort_pk": w.cohort.pk,
        "attendance_format": "csv", "enrolment_offer_pk": w.offer.pk, "body_pk": w.body.pk,
        "body_invitation_pk": w.body_invitation.pk, "qualification_result_pk": w.result.pk,
        # Wagtail admin targets
        "draft_pk": w.draft.pk, "module_pk": w.module.pk, "body_page_pk": w.body_page.pk,
        "draft_revision_pk": w.draft_revision.pk, "workflow_pk": w.workflow_state.workflow_id,
        "task_pk": w.task_state.task_id, "workflow_state_pk": w.workflow_state.pk, "task_state_pk": w.task_state.pk,
        "document_pk": w.document.pk, "image_pk": w.image.pk, "collection_pk": w.collection.pk,
        "uploaded_document_pk": w.uploaded_document.pk, "uploaded_image_pk": w.uploaded_image.pk,
        "editing_session_pk": w.editing_session.pk, "site_pk": w.site.pk, "manager_pk": w.manager.pk,
        "managers_group_pk": w.managers_group.pk, "other_body_page_pk": w.other_body_page.pk,
        "other_module_pk": w.other_module.pk,
        "lesson_file_name": w.lesson_file.file.name,
        "thread_pk": w.thread.pk,
        "complaint_pk": w.complaint.pk,
        "class_session_pk": w.class_session.pk,
        "scorm_lesson_pk": w.scorm_lesson.pk, "scorm_package_pk": w.scorm_lesson.package_id, "scorm_path": "index.html",
        "trainee_pk": w.trainee.pk,
        "survey_slug": "fin",
        "exemption_pk": w.exemption.pk,
    }
    w.users = {"anonymous": None, "victim_trainee": w.trainee, "victim_employer": w.employer,
               "victim_manager": w.manager, "victim_author": w.author, "other_trainee": w.other_trainee,
               "other_employer": w.other_employer, "other_author": w.other_author,
               "other_manager": w.other_manager, "victim_tutor": w.tutor,
               "victim_author_managing_elsewhere": w.dual, "platform_admin": w.admin}
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
        "offer_typed_name": w.offer.last_name,
        "staff_invitee_email": w.body_invitation.email,
        "newcomer_email": w.newcomer.email,
        "draft_title": DRAFT_TITLE,
        "draft_text": DRAFT_TEXT,
        "document_title": DOCUMENT_TITLE,
        "image_title": IMAGE_TITLE,
        "lesson_file": LESSON_FILE_MARKER,
        "jury_reference": JURY_REFERENCE,
        "result_document": RESULT_DOCUMENT_MARKER,
        "support_text": SUPPORT_TEXT,
        "complaint_text": COMPLAINT_TEXT,
        "accommodation_note": ACCOMMODATION_NOTE,
    }
    w.graph = _victim_graph(w)
    w.admin_targets = {"accounts.user": w.trainee.pk, "auth.group": w.managers_group.pk,
                       "wagtaildocs.document": w.document.pk, "wagtailimages.image": w.image.pk}
    w.state_queries = _state_queries(w.graph, {Page: w.body_page.path, Collection: w.collection.path})
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
SUPPORT_TEXT = "Question-confidentielle-de-la-victime-au-tuteur"
COMPLAINT_TEXT = "Reclamation-confidentielle-de-la-victime"
ACCOMMODATION_NOTE = "Amenagement-confidentiel-de-la-victime"


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
    enrolments, the body's Wagtail pages, collection, groups and review workflow (and the site, which only
    platform admins may change), then, transitively, every row with a foreign key to one of them (certificates
    and their log, attempts and their outcomes, invitations, cohorts, declarations, calendar tokens, attendance
    records, documents, images, page permissions, and whatever model is added later)."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, Page, Site, Task, Workflow

    from lms.accounts.models import User
    from lms.learning.models import Enrolment
    from lms.organisations.models import Practice, TrainingBody

    people = [w.trainee.pk, w.second_trainee.pk, w.employer.pk, w.manager.pk, w.author.pk, w.tutor.pk]
    graph = {
        _concrete(User): set(people),
        _concrete(TrainingBody): {w.body.pk},
        _concrete(Practice): {w.practice.pk},
        _concrete(Enrolment): set(Enrolment.objects.filter(Q(training_body=w.body) | Q(trainee_id__in=people))
                                  .values_list("pk", flat=True)),
        Page: set(Page.objects.filter(path__startswith=w.body_page.path).values_list("pk", flat=True)),
        Collection: set(Collection.objects.filter(path__startswith=w.collection.path).values_list("pk", flat=True)),
        Group: {group.pk for group in w.groups},
        Workflow: {w.workflow_state.workflow_id},
        Task: {w.task_state.task_id},
        Site: set(Site.objects.values_list("pk", flat=True)),
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
    """Our models, the account models of allauth and Django (emails, MFA, groups), Wagtail's (pages, revisions,
    documents, images, workflows...), tags and the Django admin's log."""
    from django.apps import apps

    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
            and (m.__module__.startswith("lms.") or m._meta.app_label.startswith("wagtail")
                 or m._meta.app_label in {"account", "mfa", "auth", "taggit", "admin"})]


def _subtree(model, subtrees):
    """Rows of a tree model (Wagtail's pages and collections) at or below the victim's: a page added under
    the victim's track is the victim's too."""
    paths = subtrees.get(model)
    return Q(path__startswith=paths) if paths else None


def _generic_pointing(model, graph):
    """A filter for rows that name a victim row by content type and object id (revisions, workflow states,
    editing sessions, tags, log entries, references); None for other models."""
    from django.contrib.contenttypes.models import ContentType

    names = {f.name for f in model._meta.concrete_fields}
    ct_field = next((name for name in ("base_content_type", "content_type") if name in names), None)
    if ct_field is None or "object_id" not in names:
        return None
    numeric = model._meta.get_field("object_id").get_internal_type().endswith("IntegerField")
    targets = [m for m, pks in graph.items() if pks and not m._meta.auto_created
               and (not numeric or m._meta.pk.get_internal_type().endswith(("AutoField", "IntegerField")))]
    content_types = ContentType.objects.get_for_models(*targets, for_concrete_models=False)
    q = None
    for target in targets:
        keys = sorted(graph[target]) if numeric else sorted(str(pk) for pk in graph[target])
        condition = Q(**{ct_field: content_types[target], "object_id__in": keys})
        q = condition if q is None else q | condition
    return q


def _pointing_at(model, graph):
    """A filter on `model` for rows with a foreign key to a victim row, or naming one by content type and
    object id (None if there is no such key)."""
    q = _generic_pointing(model, graph)
    for field_ in model._meta.concrete_fields:
        if field_.is_relation and field_.related_model is not None:
            pks = graph.get(_concrete(field_.related_model))
            if pks:
                condition = Q(**{f"{field_.attname}__in": list(pks)})
                q = condition if q is None else q | condition
    return q


def _state_queries(graph, subtrees):
    """The SQL reading every victim row (and every row pointing at one), compiled once: see victim_state."""
    queries = []
    for model in _watched_models():
        pks = graph.get(_concrete(model))
        own = Q(pk__in=sorted(pks)) if pks else None
        below = _subtree(model, subtrees)
        own = below if own is None else (own if below is None else own | below)
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


def _path_for(entry, world, query=True, sources=None):
    """The entry's path aimed at the victim's objects (`sources`: {kwarg: world.values key} to aim elsewhere)."""
    problem = unfillable(entry)
    assert not problem, problem
    sources = sources or {}
    values = {k: world.values[sources.get(k) or kwarg_source(entry, k)] for k in entry.kwarg_names}
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
    ("employment_detail", "victim_employer", {"declared_organisation", "jury_reference"}),
    ("qualification_document", "victim_trainee", {"result_document"}),
    ("qualification_document", "victim_employer", {"result_document"}),
    ("qualification_document", "victim_manager", {"result_document"}),
    ("learner_detail", "victim_tutor", {"jury_reference"}),
    ("my_track", "victim_trainee", {"jury_reference"}),
    ("certificate_download", "victim_trainee", {"certificate PDF bytes", "certificate_sha256"}),
    ("practice_home", "victim_employer", {"invitee_email"}),
    ("cohort_list", "victim_manager", {"cohort_name"}),
    ("cohort_detail", "victim_manager", {"cohort_name", "trainee_name"}),
    ("enrolment_list", "victim_manager", {"offer_typed_name"}),
    ("media", "victim_trainee", {"lesson_file"}),
    ("support_thread", "victim_tutor", {"support_text", "trainee_name"}),
    ("my_question", "victim_trainee", {"support_text"}),
    ("complaint_mine", "victim_trainee", {"complaint_text"}),
    ("complaint_staff", "victim_manager", {"complaint_text", "trainee_name"}),
    ("complaint_register_csv", "victim_manager", {"complaint_text"}),
    ("my_accommodations", "victim_trainee", {"accommodation_note"}),
    ("learner_detail", "victim_tutor", {"accommodation_note"}),
    ("accommodation_edit", "victim_tutor", {"accommodation_note", "trainee_name"}),
])
def test_the_leak_detector_sees_the_victims_data_where_it_belongs(world, name, role, expected):
    """The markers are really on the owners' pages, so their absence from outsiders' pages means something."""
    entry = next(e for e in PATTERNS if e.name == name)
    response = request(client_for(world, role), "get", _path_for(entry, world))
    assert response.status_code == 200
    found = set(leaks(world, response))
    assert expected <= found, f"{name} as {role}: found only {found}"


@pytest.mark.parametrize("role", ["victim_manager", "victim_author", "victim_employer", "victim_author_managing_elsewhere"])
def test_the_accommodation_is_read_by_its_trainee_the_referent_and_the_tutors_only(world, role):
    """Issue 17, points 2 and 8: every page and download of ours, opened on the victim's objects by the body's
    manager (not a tutor), author, or the trainee's employer, holds nothing of the trainee's accommodation."""
    client, problems = client_for(world, role), []
    for entry in PATTERNS:
        if not entry.module.startswith("lms.") or unfillable(entry) or entry.name in ("media",):
            continue
        response = request(client, "get", _path_for(entry, world), {})
        if "accommodation_note" in leaks(world, response):
            problems.append(f"{entry.label} as {role}")
    assert not problems, problems


def test_the_matrix_covers_every_view_of_ours():
    ours = [e for e in PATTERNS if e.module.startswith("lms.")]
    names = {e.name for e in ours}
    # The views known when this file was written must all be there (the resolver walk did not lose any).
    expected = set(OWNERS)
    assert expected <= names, f"missing from the resolver walk: {sorted(expected - names)}"
    skipped_ours = [route for levels, _ns in _walk(get_resolver())
                    for route in ["".join(str(level.pattern) for level in levels)]
                    if _view_module(levels[-1].callback).startswith("lms.")
                    and route not in {e.route for e in PATTERNS} and not route.startswith(ADMIN_AREAS)]
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
                    world.enrolment.starts_on.strftime("%d/%m/%Y"), long_date(world.enrolment.starts_on)):
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


# --- Inside one organisation: each role does only what its role allows ------------------------------------

# The victim's own people. DUAL is an author of the victim's body who manages the attacker's: a manager
# somewhere must not be taken for a manager here.
AUTHOR, TUTOR, MANAGER = "victim_author", "victim_tutor", "victim_manager"
TRAINEE, EMPLOYER, DUAL = "victim_trainee", "victim_employer", "victim_author_managing_elsewhere"
STAFF = frozenset({AUTHOR, TUTOR, MANAGER})
ENROLLERS = frozenset({TUTOR, MANAGER})
MANAGERS = frozenset({MANAGER})
MEMBERS = frozenset({EMPLOYER})
ANSWERERS = frozenset({TUTOR, MANAGER})  # the tutor of the trainee's cohort, the body's managers (lms.support)


@dataclass(frozen=True)
class Rule:
    """Who may GET and who may POST a URL; None: nobody (the method is not served, 405)."""

    get: frozenset | None
    post: frozenset | None


# Every URL of a training body's space (organisme/...), and the body's other actions: who of the body may.
# A view whose rule changes, or a new staff view, makes test_every_organisation_url_has_a_rule or the role
# tests fail: write the new rule here.
TRAINING_BODY_RULES = {
    # lms.organisations
    "training_body_home": Rule(STAFF, STAFF),
    "training_body_invite": Rule(MANAGERS, MANAGERS),
    "training_body_identity": Rule(MANAGERS, MANAGERS),
    "invitation_revoke": Rule(None, MANAGERS),  # a staff invitation of the body (see VERTICAL_SOURCES)
    # lms.learning
    "enrolment_list": Rule(STAFF, STAFF),
    "enrolment_create": Rule(ENROLLERS, ENROLLERS),
    "enrolment_import": Rule(ENROLLERS, ENROLLERS),
    "cohort_list": Rule(STAFF, MANAGERS),  # every staff member reads the cohorts; managers open one
    "enrolment_offer_cancel": Rule(None, ENROLLERS),
    "enrolment_withdraw": Rule(ENROLLERS, ENROLLERS),  # GET: the confirmation page
    "qualification_result": Rule(ENROLLERS, ENROLLERS),  # the certification result of a learner (issue 15)
    # lms.reports
    "learner_detail": Rule(STAFF, STAFF),
    "attendance_download": Rule(STAFF, STAFF),
    "cohort_detail": Rule(STAFF, STAFF),  # the cohort's progress chart and table (issue 16, point 3)
    "cohort_attendance_zip": Rule(STAFF, STAFF),
    "cohort_attendance_summary": Rule(STAFF, STAFF),
    "training_body_deadlines": Rule(STAFF, STAFF),
    # lms.certificates
    "certificate_list": Rule(STAFF, STAFF),
    "certificate_detail": Rule(STAFF, STAFF),
    "certificate_revoke": Rule(MANAGERS, MANAGERS),  # GET: the confirmation page
    "certificate_reissue": Rule(None, MANAGERS),
    "certificate_issue": Rule(None, MANAGERS),
    # The certificat de réalisation of an enrolment (issue 15): its trainee and the body's staff; GET only.
    "realisation_certificate": Rule(STAFF | {TRAINEE}, None),
    # The Open Badges credential of a certificate (issue 18): its trainee and the body's staff; GET only.
    "open_badges_download": Rule(STAFF | {TRAINEE}, None),
    "open_badges_json": Rule(STAFF | {TRAINEE}, None),
    # lms.quizzes
    "quiz_report": Rule(STAFF, STAFF),
    # lms.support (issue 15, point 6): the learners' questions, for the cohort's tutor and the managers
    "support_inbox": Rule(ANSWERERS, None),
    "support_thread": Rule(ANSWERERS, ANSWERERS),  # POST: an answer
    "support_thread_close": Rule(None, ANSWERERS),
    # lms.complaints (issue 17, point 5): the register is the managers'
    "complaint_register": Rule(MANAGERS, None),
    "complaint_register_csv": Rule(MANAGERS, None),
    "complaint_staff": Rule(MANAGERS, MANAGERS),  # POST: take in hand, answer
    # lms.classroom (issue 17, point 3): the séances of a cohort, for its body's tutors and managers
    "class_session_list": Rule(ENROLLERS, ENROLLERS),  # POST: plan a séance
    "class_session_sheet": Rule(ENROLLERS, ENROLLERS),  # POST: the trainer signs, an absence is marked
    "class_session_edit": Rule(ENROLLERS, ENROLLERS),
    "class_session_delete": Rule(None, ENROLLERS),
    "class_session_pdf": Rule(ENROLLERS, None),
    # lms.surveys (issue 17, point 4): every staff member reads the satisfaction of the body's tracks
    "survey_results": Rule(STAFF, None),
    "survey_results_csv": Rule(STAFF, None),
    # the attestation d'entrée en formation of a learner (issue 17, point 7): every staff member, as the relevé
    "entry_attestation_download": Rule(STAFF, STAFF),
    # lms.accommodations (issue 17, point 2): every staff member sees who the referent is, managers name them;
    # the referent alone (here the body's tutor) sets a learner's accommodation
    "accommodation_home": Rule(STAFF, MANAGERS),
    "accommodation_edit": Rule(frozenset({TUTOR}), frozenset({TUTOR})),
    # issue 17, point 1: the exemptions proposed after positioning, decided by the body's tutors and managers
    "exemption_list": Rule(ENROLLERS, None),
    "exemption_decide": Rule(ENROLLERS, ENROLLERS),  # POST: confirm or refuse, with a reason
}
TRAINING_BODY_ROLES = [AUTHOR, TUTOR, MANAGER, TRAINEE, DUAL]

# Every URL of a practice's space (cabinet/..., assistants/...): its members, not the assistant it employs.
PRACTICE_RULES = {
    "practice_home": Rule(MEMBERS, MEMBERS),
    "employer_csv": Rule(MEMBERS, MEMBERS),
    "reminder_settings": Rule(MEMBERS, MEMBERS),
    "calendar_settings": Rule(MEMBERS, MEMBERS),
    "practice_invite": Rule(MEMBERS, MEMBERS),
    "invitation_revoke": Rule(None, MEMBERS),  # the practice's invitation
    "employment_detail": Rule(MEMBERS, MEMBERS),
    "declaration_create": Rule(MEMBERS, MEMBERS),
    "evidence_dossier": Rule(MEMBERS, MEMBERS),  # the assistant's dossier for the CPAM (issue 17, point 7)
    "evidence_zip": Rule(MEMBERS, MEMBERS),
}
PRACTICE_ROLES = [EMPLOYER, TRAINEE]

ORGANISATION_PREFIXES = {"training body": ("organisme/",), "practice": ("cabinet/", "assistants/")}
# Where the object aimed at is not the one of the outsiders' matrix: {url name: {kwarg: world.values key}}.
VERTICAL_SOURCES = {"training body": {"invitation_revoke": {"pk": "body_invitation_pk"}}, "practice": {}}
# What the victim's trainee may see of herself in any response.
TRAINEE_OWN = frozenset({"trainee_email", "trainee_name", "trainee_last_name", "certificate_code",
                         "certificate_sha256", "jury_reference", "result_document", "accommodation_note"})
REFUSED = (403, 404)


def _vertical_cases(space, rules, roles):
    return [pytest.param(space, rules, entry, role, id=f"{entry.label}-{role}")
            for name in rules for entry in PATTERNS if entry.name == name for role in roles]


def _expect(rule_roles, role, entry):
    """'allowed', 'refused', 'not served' or 'own space' (the dual role on a URL without the victim's ids)."""
    if rule_roles is None:
        return "not served"
    if (AUTHOR if role == DUAL else role) in rule_roles:
        return "allowed"
    if role == DUAL and not entry.kwarg_names and MANAGER in rule_roles:
        return "own space"  # a manager of the attacker's body: its own pages, nothing of the victim's
    return "refused"


@pytest.mark.parametrize(("space", "rules", "entry", "role"), [
    *_vertical_cases("training body", TRAINING_BODY_RULES, TRAINING_BODY_ROLES),
    *_vertical_cases("practice", PRACTICE_RULES, PRACTICE_ROLES),
])
def test_each_role_of_the_organisation_does_only_what_its_role_allows(world, space, rules, entry, role):
    """GET and POST (the plausible body of the outsiders' matrix, ?organisme= the victim's body) by each role of
    the victim's own organisation: the allowed get a page or a redirect (not to the login), the others 403 or
    404 and change nothing; a method a view does not serve is 405 for all; the trainee reads nothing of others."""
    path = _path_for(entry, world, sources=VERTICAL_SOURCES[space].get(entry.name))
    rule, problems = rules[entry.name], []
    client = client_for(world, role)  # logging in writes the victim's own rows (last login, session)
    for method in ("get", "post"):
        expected = _expect(getattr(rule, method), role, entry)
        before = victim_state(world)
        data = POST_BODIES[entry.name](world) if method == "post" and entry.name in POST_BODIES else {}
        response = request(client, method, path, data)
        status, where = response.status_code, f"{method.upper()} {path} ({entry.label}) as {role}: {describe(response)}"
        if status >= 500:
            problems.append(f"{where}: server error")
        elif expected == "allowed" and not (200 <= status < 400 and not is_login_redirect(response)):
            problems.append(f"{where}: the {space}'s rule allows {role}")
        elif expected == "refused" and status not in REFUSED:
            problems.append(f"{where}: the {space}'s rule refuses {role} (403 or 404 expected)")
        elif expected == "not served" and status != 405:
            problems.append(f"{where}: {method.upper()} is not served (405 expected)")
        if expected != "allowed" and victim_state(world) != before:
            problems.append(f"{where}: changed the victim's rows")
        if role == TRAINEE:
            found = leaks(world, response, allowed=TRAINEE_OWN)
            if found:
                problems.append(f"{where}: the response holds {', '.join(found)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("space", sorted(ORGANISATION_PREFIXES))
def test_every_organisation_url_has_a_rule(space):
    """A new view in a training body's or a practice's space needs its line in the rule table."""
    rules = TRAINING_BODY_RULES if space == "training body" else PRACTICE_RULES
    routes = {e.name: e.route for e in PATTERNS}
    missing = sorted(f"{e.label} ({e.route})" for e in PATTERNS
                     if e.route.startswith(ORGANISATION_PREFIXES[space]) and e.name not in rules)
    assert not missing, f"no rule for {missing}: add them to the {space}'s rules in {__name__}"
    unknown = sorted(set(rules) - set(routes))
    assert not unknown, f"rules for URLs that no longer exist: {unknown}"


# --- Alternatives: one URL pattern, several targets -----------------------------------------------------

def own_markers(world, role):
    """The private markers that are the role's own identity (their name, their email)."""
    user = world.users.get(role)
    if user is None:
        return frozenset()
    own = {name for name, marker in world.private.items()
           if marker in (user.email, user.get_full_name(), user.last_name)}
    return frozenset(own | (TRAINEE_OWN if role == TRAINEE else set()))


def _alternatives(entry, sources):
    """Every combination of the kwarg values given by `sources` ({kwarg: value or list of values}); a list of
    complete kwarg dicts may be given instead, under the entry's name."""
    if entry.name in sources and isinstance(sources[entry.name], list):
        return sources[entry.name]
    combos = [{}]
    for kwarg in entry.kwarg_names:
        values = sources[kwarg]
        values = values if isinstance(values, list) else [values]
        combos = [{**combo, kwarg: value} for combo in combos for value in values]
    return combos


def _try(client, method, path, data=None):
    """The response, or the exception a view let through (reported with the URL, not as a crashed test)."""
    try:
        return request(client, method, path, data), None
    except Exception as error:  # noqa: BLE001 - any exception is a finding here
        return None, f"raised {error!r}"


# --- /django-admin/: platform admins only ------------------------------------------------------------------

ADMIN_PREFIX = "django-admin/"
ADMIN_PATTERNS = url_entries(lambda route, module: route.startswith(ADMIN_PREFIX))
NOT_PLATFORM_ADMINS = ["anonymous", TRAINEE, EMPLOYER, AUTHOR, TUTOR, MANAGER, "other_author", "other_manager"]
ADMIN_PUBLIC = {"admin:login"}  # the login form itself


def admin_models():
    """The models registered with the Django admin."""
    from django.apps import apps
    from django.contrib import admin

    return [model for model in apps.get_models() if admin.site.is_registered(model)]


def admin_model(entry):
    """The model whose ModelAdmin serves the entry (None for the site's own views)."""
    for model in admin_models():
        if entry.route.startswith(f"{ADMIN_PREFIX}{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def admin_object_pk(world, model):
    """The victim's row of the model (her account, body, practice, employment...), else the first row (the
    platform's rule set...), else an id that matches nothing."""
    if model._meta.label_lower in world.admin_targets:
        return world.admin_targets[model._meta.label_lower]
    pks = world.graph.get(_concrete(model))
    if pks:
        return min(pks)
    first = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
    return first if first is not None else 999999


def admin_sources(world, entry):
    """The values of the admin's URL kwargs: {kwarg: value or list of values}. A kwarg missing here makes
    test_every_admin_url_argument_can_be_filled fail: add it."""
    from django.contrib.contenttypes.models import ContentType

    from lms.organisations.models import Employment

    model = admin_model(entry)
    sources = {"app_label": sorted({m._meta.app_label for m in admin_models()}), "url": "inexistant/"}
    if model is not None:
        sources.update(object_id=admin_object_pk(world, model), id=admin_object_pk(world, model))
    else:  # the "view on site" shortcut
        sources.update(content_type_id=ContentType.objects.get_for_model(Employment).pk,
                       object_id=world.employment.pk)
    return sources


def admin_paths(world, entry):
    sources = admin_sources(world, entry)
    missing = [k for k in entry.kwarg_names if k not in sources]
    assert not missing, f"{entry.label} ({entry.route}) takes {missing}: add them to admin_sources in {__name__}"
    return [build_path(entry, values) for values in _alternatives(entry, sources)]


def admin_post_data(world, entry):
    """A deletion: confirmed on a delete page, the bulk action on a changelist."""
    model = admin_model(entry)
    pk = admin_object_pk(world, model) if model is not None else ""
    return {"post": "yes", "action": "delete_selected", "_selected_action": [pk], "index": "0",
            "select_across": "0"}


def is_admin_refusal(response):
    """403, 404, 405, or a redirect to the admin's login page (or to its index, which sends there)."""
    location = response.get("Location", "")
    return (response.status_code in (403, 404, 405) or response.status_code == 302 and (
        location.startswith(f"/{ADMIN_PREFIX}login/") or location == f"/{ADMIN_PREFIX}"))


@pytest.mark.parametrize("entry", ADMIN_PATTERNS, ids=lambda e: e.label if e.name else e.route)
def test_django_admin_is_for_platform_admins_only(world, entry):
    """Every URL of the Django admin (changelists, add, change, delete, history of each registered model, aimed
    at the victim's rows), GET and a deletion POST, by everyone who is not a platform admin: the admin's login
    page, 403 or 404; nothing of the victim shown, nothing changed."""
    problems = []
    for role in NOT_PLATFORM_ADMINS:
        client = client_for(world, role)
        before = victim_state(world)
        for path in admin_paths(world, entry):
            for method in ("get", "post"):
                response, error = _try(client, method, path, admin_post_data(world, entry) if method == "post" else None)
                where = f"{method.upper()} {path} as {role}"
                if error:
                    problems.append(f"{where}: {error}")
                    continue
                where += f": {describe(response)}"
                if response.status_code >= 500:
                    problems.append(f"{where}: server error")
                elif entry.name not in ADMIN_PUBLIC and not is_admin_refusal(response):
                    problems.append(f"{where}: the Django admin is for platform admins only")
                found = leaks(world, response, allowed=own_markers(world, role))
                if found:
                    problems.append(f"{where}: the response holds the victim's {', '.join(found)}")
        if victim_state(world) != before:
            problems.append(f"{entry.route} as {role}: changed the victim's rows")
    assert not problems, "\n".join(problems)


# Evidence kept under legal obligation: the platform admin reads it in the Django admin but cannot delete it there.
READ_ONLY_IN_ADMIN = {"learning_enrolment", "learning_cohort", "learning_qualificationresult",
                      "certificates_certificate"}


@pytest.mark.parametrize("entry", ADMIN_PATTERNS, ids=lambda e: e.label if e.name else e.route)
def test_platform_admin_reaches_the_django_admin(world, entry):
    """The refusals above are not broken URLs: the platform admin gets each page (the change page of the
    victim's account shows her email, so the URLs do aim at her rows)."""
    client = client_for(world, "platform_admin")
    for path in admin_paths(world, entry):
        response = client.get(path)
        assert response.status_code < 500, f"GET {path}: {describe(response)}"
        if entry.name.endswith("_delete") and entry.name.split(":")[1].rsplit("_", 1)[0] in READ_ONLY_IN_ADMIN:
            assert response.status_code == 403, f"GET {path}: {describe(response)}"  # evidence: never deleted here
        elif entry.name.endswith(("_changelist", "_change", "_history", "_delete")) or entry.name in (
                "admin:index", "admin:app_list"):
            assert response.status_code == 200, f"GET {path}: {describe(response)}"
        if entry.name == "admin:accounts_user_change":
            assert "trainee_email" in leaks(world, response)



# --- /cms/: the Wagtail admin shows a body nothing of another body -----------------------------------------

CMS_PREFIX = "cms/"
CMS_CATCH_ALL = "cms/^.*/$"  # Wagtail's 404 page for unknown admin URLs


def _shadowing(entry):
    """The view of a pattern in front (one of ours, checking what Wagtail's does not) that takes the entry's
    paths, or None."""
    if entry.positional or any(not isinstance(level.pattern, RoutePattern) and level.pattern.regex.groups
                               for level in entry.levels):
        return None
    values = {}
    for level in entry.levels:
        if isinstance(level.pattern, RoutePattern):
            values.update({name: 1 if type(converter).__name__ == "IntConverter" else "x"
                           for name, converter in level.pattern.converters.items()})
    func = resolve(_path_of(entry, values)).func
    return None if func is entry.callback else func


CMS_ALL = url_entries(lambda route, module: route.startswith(CMS_PREFIX)
                      and route != "cms/failwhale/")  # Wagtail's deliberate 500, to test error reports
CMS_PATTERNS = [e for e in CMS_ALL if _shadowing(e) is None]
# People without a Wagtail group: the login page for every URL. Staff of another body: nothing of the victim's.
NO_CMS_ROLES = ["anonymous", TRAINEE, EMPLOYER, TUTOR]
OTHER_BODY_STAFF = ["other_author", "other_manager"]
# Pages anyone may open: sprite, login, password reset, translations, the 404 of unknown admin URLs.
CMS_PUBLIC = {"wagtailadmin_sprite", "wagtailadmin_login", "wagtailadmin_password_reset",
              "wagtailadmin_password_reset_done", "wagtailadmin_password_reset_confirm",
              "wagtailadmin_password_reset_complete", "wagtailadmin_javascript_catalog"}
# URL kwargs naming a kind of thing, not an object of the victim's.
CMS_TYPE_KWARGS = {"app_label", "model_name", "app_name", "content_type_app_name", "content_type_model_name",
                   "action", "action_name", "filter_spec", "uidb64", "token"}
# URLs aimed at the victim's objects that answer the same for any id, showing and changing nothing.
CMS_SAME_FOR_ANY_ID = {
    "wagtailadmin_editing_sessions:release": "ends the caller's own editing session with that id, if any",
    "wagtail_bulk_action": "the confirmation lists only the items the user may see (lms.catalog.admin_isolation)",
}
# What main shows other bodies' staff and the fix of issue 13, point 15 (branch h5: per-body report filters,
# choosers and bulk-action confirmations) removes: here the matrix checks that it is still so, and fails once it
# is fixed, to have these lines deleted (the matrix then holds point 15 too).
POINT_15_ON_MAIN = {}
PAGE_ACTIONS = ["copy", "delete", "publish", "unpublish", "move", "create_alias", "revert_to_page_revision",
                "convert_alias", "copy_for_translation"]


def cms_sources(w, entry):
    """The values of the Wagtail admin's URL kwargs, aimed at the victim body's material: {kwarg: value or list},
    or, under the URL's name, the list of complete kwarg dicts (with a query string under "?"). A kwarg missing
    here makes test_every_cms_url_argument_can_be_filled fail: add it."""
    v = w.values
    pages = [v["draft_pk"], v["track_pk"]]  # the lesson in review, and the live track with everything below it
    namespace = entry.name.rpartition(":")[0]
    pk = {"wagtailadmin_api:pages": pages, "wagtailadmin_api:documents": v["document_pk"],
          "wagtailadmin_api:images": v["image_pk"], "wagtailadmin_collections": v["collection_pk"],
          "wagtailadmin_workflows": v["task_pk"] if entry.name.endswith("_task") else v["workflow_pk"],
          "wagtailsites": v["site_pk"], "wagtailusers_users": v["manager_pk"],
          "wagtailusers_groups": v["managers_group_pk"], "wagtaildocs_chooser": v["document_pk"],
          "wagtailimages_chooser": v["image_pk"], "wagtailsettings": v["site_pk"]}.get(namespace)
    draft, revision = v["draft_pk"], v["draft_revision_pk"]
    bulk_pages = f"?id={draft}&id={v['lesson_pk']}"
    return {
        "page_id": pages, "page_to_move_id": pages, "parent_page_id": [v["track_pk"], v["module_pk"]],
        "page_pk": v["body_page_pk"], "workflow_pk": v["workflow_pk"], "revision_id": revision,
        "task_state_id": v["task_state_pk"], "task_id": v["task_pk"], "workflow_state_id": v["workflow_state_pk"],
        "document_id": v["document_pk"], "doc_id": v["document_pk"], "image_id": v["image_pk"],
        "collection_id": v["collection_pk"], "session_id": v["editing_session_pk"], "filter_spec": "original",
        "uploaded_file_id": v["uploaded_image_pk"] if "image" in entry.name else v["uploaded_document_pk"],
        **({"pk": pk} if pk is not None else {}),
        # URLs whose kwargs go together
        "wagtailadmin_pages:revisions_view": [{"page_id": draft, "revision_id": revision}],
        "wagtailadmin_pages:revisions_revert": [{"page_id": draft, "revision_id": revision}],
        "wagtailadmin_pages:revisions_unschedule": [{"page_id": draft, "revision_id": revision}],
        "wagtailadmin_pages:workflow_history_detail": [{"page_id": draft, "workflow_state_id": v["workflow_state_pk"]}],
        "wagtailadmin_pages:workflow_preview": [{"page_id": draft, "task_id": v["task_pk"]}],
        "wagtailadmin_pages:workflow_action": [{"page_id": draft, "action_name": action, "task_state_id":
                                                v["task_state_pk"]} for action in ("approve", "reject")],
        "wagtailadmin_pages:collect_workflow_action_data": [
            {"page_id": draft, "action_name": action, "task_state_id": v["task_state_pk"]}
            for action in ("approve", "reject")],
        "wagtailadmin_pages:move_confirm": [{"page_to_move_id": draft, "destination_id": v["other_module_pk"]},
                                            {"page_to_move_id": v["track_pk"],
                                             "destination_id": v["other_body_page_pk"]}],
        "wagtailadmin_pages:add": [{"content_type_app_name": "catalog", "content_type_model_name": "lessonpage",
                                    "parent_page_id": v["module_pk"]},
                                   {"content_type_app_name": "catalog", "content_type_model_name": "modulepage",
                                    "parent_page_id": v["track_pk"]}],
        "wagtailadmin_pages:preview_on_add": [{"content_type_app_name": "catalog",
                                               "content_type_model_name": "lessonpage",
                                               "parent_page_id": v["module_pk"]}],
        "wagtailadmin_pages:type_use": [{"content_type_app_name": "catalog", "content_type_model_name": "lessonpage"}],
        "wagtailadmin_pages:type_use_results": [{"content_type_app_name": "catalog",
                                                 "content_type_model_name": "lessonpage"}],
        "wagtailadmin_pages:choose_parent": [{"app_label": "catalog", "model_name": "lessonpage"}],
        "wagtailadmin_api:pages:action": [{"pk": page, "action_name": action} for page in pages
                                          for action in PAGE_ACTIONS],
        "wagtailadmin_workflows:remove": [{"page_pk": v["body_page_pk"]},
                                          {"page_pk": v["body_page_pk"], "workflow_pk": v["workflow_pk"]}],
        "wagtailadmin_workflows:add_task": [{"app_label": "wagtailcore", "model_name": "groupapprovaltask"}],
        "wagtailadmin_tag_model_autocomplete": [{"app_name": "wagtaildocs", "model_name": "document"}],
        "wagtailadmin_editing_sessions:ping": [{"app_label": "wagtailcore", "model_name": "page",
                                               "object_id": draft, "session_id": v["editing_session_pk"]}],
        "wagtailsettings:edit": [{"app_name": "wagtailcore", "model_name": "site"},
                                 {"app_name": "wagtailcore", "model_name": "site", "pk": v["site_pk"]}],
        "wagtailsettings:preview_on_edit": [{"app_name": "wagtailcore", "model_name": "site", "pk": v["site_pk"]}],
        "wagtailadmin_password_reset_confirm": [{"uidb64": "MQ", "token": "jeton-invalide"}],
        # bulk actions: the ids are in the query string
        "wagtail_bulk_action": [
            *({"app_label": "wagtailcore", "model_name": "page", "action": action, "?": query}
              for action in ("delete", "publish", "unpublish", "move")
              for query in (bulk_pages, f"?id=all&childOf={v['track_pk']}")),
            *({"app_label": app, "model_name": model, "action": action, "?": f"?id={object_pk}"}
              for app, model, object_pk in (("wagtaildocs", "document", v["document_pk"]),
                                            ("wagtailimages", "image", v["image_pk"]))
              for action in ("delete", "add_to_collection", "add_tags")),
            *({"app_label": "accounts", "model_name": "user", "action": action, "?": f"?id={v['manager_pk']}"}
              for action in ("delete", "set_active_state", "assign_role")),
        ],
    }


# Positional patterns, filled by hand: {url name: args}.
CMS_POSITIONAL = {"wagtailadmin_pages:revisions_compare": lambda w: [w.draft.pk, "earliest", "latest"]}


def cms_public(entry):
    return entry.name in CMS_PUBLIC or entry.route == CMS_CATCH_ALL


def cms_aims_at_victim(entry):
    return (entry.name == "wagtail_bulk_action" or entry.name in CMS_POSITIONAL
            or bool(set(entry.kwarg_names) - CMS_TYPE_KWARGS)) and not cms_public(entry)


def cms_paths(w, entry):
    """The entry's paths aimed at the victim's material; listings bare and searched for the victim's word."""
    if entry.name in CMS_POSITIONAL:
        return [reverse(entry.name, args=CMS_POSITIONAL[entry.name](w))]
    if not entry.kwarg_names:
        path = build_path(entry, {})
        return [path] if cms_public(entry) else [path, f"{path}?q={CMS_WORD}"]
    sources = cms_sources(w, entry)
    missing = [k for k in entry.kwarg_names if k not in sources and entry.name not in sources]
    assert not missing, f"{entry.label} ({entry.route}) takes {missing}: add them to cms_sources in {__name__}"
    paths = []
    for values in _alternatives(entry, sources):
        values = dict(values)
        query = values.pop("?", "")
        if set(values) == set(entry.kwarg_names):  # the alternative fits this pattern (two share a name)
            paths.append(build_path(entry, values) + query)
    assert paths, f"no values fit {entry.route}"
    return paths


def cms_post_data(w):
    """One hostile body for every form of the admin: publish, rename, copy or move to the attacker's body,
    open the page to all, tag, change collection, approve, a user's name and activity."""
    other = w.values["other_body_page_pk"]
    return {"title": "Piratée", "slug": "piratee", "action-publish": "action-publish", "new_title": "Copie pirate",
            "new_slug": "copie-pirate", "new_parent_page": other, "copy_subpages": "on", "publish_copies": "on",
            "destination_page_id": other, "chooser": other, "collection": w.other_collection.pk, "name": "Piratée",
            "restriction_type": "none", "position": "0", "tags": "pirate", "mark_as_active": "0",
            "revision_id": w.draft_revision.pk, "workflow-action-name": "approve", "comment": "",
            "is_active": "on", "first_name": "Pirate", "email": "pirate@attaquant.example"}


def is_cms_refusal(response):
    """403, 404, 405, or a redirect within the admin (its login page, Wagtail's "permission denied" to the
    admin's home, the explorer of the user's own pages): no content; what a POST did is checked apart."""
    return response.status_code in (403, 404, 405) or (
        response.status_code == 302 and response["Location"].startswith(f"/{CMS_PREFIX}"))


def _check_cms(world, entry, roles, refused):
    """GET and the hostile POST on each of the entry's paths by each role: what went wrong."""
    problems = []
    for role in roles:
        client = client_for(world, role)
        before = victim_state(world)
        for path in cms_paths(world, entry):
            for method in ("get", "post"):
                response, error = _try(client, method, path, cms_post_data(world) if method == "post" else None)
                where = f"{method.upper()} {path} ({entry.label}) as {role}"
                if error:
                    problems.append(f"{where}: {error}")
                    continue
                where += f": {describe(response)}"
                if response.status_code >= 500:
                    problems.append(f"{where}: server error")
                elif not refused(response):
                    problems.append(f"{where}: expected a refusal")
                found = leaks(world, response, allowed=own_markers(world, role))
                if found:
                    problems.append(f"{where}: the response holds the victim's {', '.join(found)}")
        after = victim_state(world)
        changed = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
        if changed:
            problems.append(f"{entry.route} as {role}: changed the victim's rows in {', '.join(changed)}")
    return problems


CMS_IDS = [e.label if e.name else e.route for e in CMS_PATTERNS]


@pytest.mark.parametrize("entry", CMS_PATTERNS, ids=CMS_IDS)
def test_no_cms_for_trainees_employers_and_tutors(world, entry):
    """Every URL of the Wagtail admin, GET and POST, aimed at the victim body's pages, documents, images,
    collection, workflow, groups and users: anonymous visitors, trainees, employers and tutors (who have no
    Wagtail group) are sent to the admin's login page, see nothing and change nothing."""
    public = cms_public(entry)
    problems = _check_cms(world, entry, NO_CMS_ROLES, lambda response: public or (
        response.status_code == 302 and response["Location"].startswith(f"/{CMS_PREFIX}login/")))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("entry", CMS_PATTERNS, ids=CMS_IDS)
def test_other_body_staff_get_nothing_of_the_victims_cms(world, entry):
    """The same URLs as the other body's author and manager (who do use the admin): every URL aimed at the
    victim's material (edit, preview, history, revisions, move, copy, delete, publish, workflow actions, bulk
    actions, admin API, choosers, documents, images, collection, users, groups, site) is refused; the others
    (listings, searches for the word in the victim's titles, reports) may answer; nothing of the victim's is
    in any response and nothing of the victim's changes."""
    aimed = cms_aims_at_victim(entry) and entry.name not in CMS_SAME_FOR_ANY_ID
    problems = _check_cms(world, entry, OTHER_BODY_STAFF,
                          lambda response: is_cms_refusal(response) if aimed else True)
    if entry.name in POINT_15_ON_MAIN:
        assert problems, (f"{entry.label} no longer shows what point 15 fixes ({POINT_15_ON_MAIN[entry.name]}): "
                          f"delete it from POINT_15_ON_MAIN")
    else:
        assert not problems, "\n".join(problems)


def test_every_cms_url_is_walked_or_shadowed_by_ours(world):
    """Every Wagtail admin pattern is walked, or its paths lead to a pattern in front that is; every URL
    argument can be filled; the point 15 list names only walked URLs."""
    walked = {e.callback for e in CMS_PATTERNS}
    for entry in CMS_ALL:
        if entry in CMS_PATTERNS:
            assert cms_paths(world, entry), entry.route
        else:
            assert _shadowing(entry) in walked, entry.route
    stale = set(POINT_15_ON_MAIN) - {e.name for e in CMS_PATTERNS}
    assert not stale, f"{sorted(stale)} are no longer walked (point 15 merged?): delete them from POINT_15_ON_MAIN"


# --- /cms/ inside one body: publishing is the managers' ---------------------------------------------------

def publication_state(w):
    """What only a body's manager may change in its pages: which pages exist, where, which are live, who may
    read them, and the review's decision."""
    from wagtail.models import Page, PageViewRestriction, TaskState

    pages = Page.objects.filter(path__startswith=w.body_page.path)
    return (list(pages.order_by("pk").values_list("pk", "path", "live")),
            list(PageViewRestriction.objects.filter(page__in=pages).values_list("page_id", "restriction_type")),
            list(TaskState.objects.filter(pk=w.task_state.pk).values_list("status", flat=True)))


def managers_cms_actions(w):
    """The managers' actions in the Wagtail admin, on the body's own pages: {what: (url, POST data)}."""
    from wagtail.models import Page
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    draft, track, lesson, task_state = w.draft.pk, w.track.pk, w.lesson.pk, w.task_state.pk
    second_module = Page.objects.child_of(w.track).order_by("path")[1].pk
    edit = nested_form_data({"title": DRAFT_TITLE, "slug": "brouillon", "duration_minutes": 20,
                             "body": streamfield([("text", rich_text(f"<p>{DRAFT_TEXT}</p>"))]),
                             "comments": inline_formset([]), "action-publish": "action-publish"})
    return {
        "publish a lesson from its editor": (reverse("wagtailadmin_pages:edit", args=[draft]), edit),
        "approve the review": (reverse("wagtailadmin_pages:workflow_action", args=[draft, "approve", task_state]),
                               {"comment": ""}),
        "publish through a bulk action": (reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
                                          + f"?id={draft}", {}),
        "publish through the admin API": (reverse("wagtailadmin_api:pages:action", args=[draft, "publish"]), {}),
        "unpublish the track": (reverse("wagtailadmin_pages:unpublish", args=[track]), {}),
        "delete a published lesson": (reverse("wagtailadmin_pages:delete", args=[lesson]), {}),
        "move a published quiz": (reverse("wagtailadmin_pages:move_confirm", args=[w.module_quiz.pk, w.module.pk]),
                                  {}),
        "reorder the modules": (reverse("wagtailadmin_pages:set_page_position", args=[second_module])
                                + "?position=0", {}),
        "restrict a lesson to logged-in users": (reverse("wagtailadmin_pages:set_privacy", args=[lesson]),
                                                 {"restriction_type": "login"}),
    }


MANAGERS_CMS_ACTIONS = ["publish a lesson from its editor", "approve the review", "publish through a bulk action",
                        "publish through the admin API", "unpublish the track", "delete a published lesson",
                        "move a published quiz", "reorder the modules", "restrict a lesson to logged-in users"]
# Wagtail's page privacy holds on catalogue pages too (tests/learning/test_page_privacy.py); its dialog names the
# body's own groups only (tests/catalog/test_admin_isolation.py).


@pytest.mark.parametrize("action", MANAGERS_CMS_ACTIONS)
def test_an_author_cannot_do_a_managers_action_in_the_cms(world, action):
    """The body's author edits its pages and submits them for review; publishing, unpublishing, deleting,
    moving, reordering, restricting and approving are its managers' (Wagtail groups of lms.catalog.authoring).
    The same request by the manager does it, so the author's refusal is not a malformed request's."""
    url, data = managers_cms_actions(world)[action]
    before = publication_state(world)
    response, error = _try(client_for(world, AUTHOR), "post", url, data)
    assert error is None and response.status_code < 500, f"POST {url} as the author: {error or describe(response)}"
    assert publication_state(world) == before, f"the author could {action}: POST {url} -> {describe(response)}"
    response = client_for(world, MANAGER).post(url, data)
    assert publication_state(world) != before, f"the manager could not {action}: POST {url} -> {describe(response)}"


def test_the_list_of_managers_cms_actions_is_complete(world):
    assert sorted(managers_cms_actions(world)) == sorted(MANAGERS_CMS_ACTIONS)


# --- The matrix's size ------------------------------------------------------------------------------------

def matrix_size(world):
    """{section: (URL patterns, concrete URLs, roles, requests)}: what the tests above request."""
    outsiders = len(PATTERNS) * len(ATTACKERS) * 2 * 2  # GET and POST, bare and with the hostile query string
    vertical = [(TRAINING_BODY_RULES, TRAINING_BODY_ROLES), (PRACTICE_RULES, PRACTICE_ROLES)]
    admin_urls = sum(len(admin_paths(world, e)) for e in ADMIN_PATTERNS)
    cms_urls = sum(len(cms_paths(world, e)) for e in CMS_PATTERNS)
    return {
        "outsiders, our URLs": (len(PATTERNS), len(PATTERNS) * 2, len(ATTACKERS), outsiders),
        "owners, our URLs": (len(OWNERS), len(OWNERS), 1, len(OWNERS)),
        **{f"inside the {space}": (len(rules), len(rules), len(roles), len(rules) * len(roles) * 2)
           for space, (rules, roles) in zip(("training body", "practice"), vertical)},
        "/django-admin/, not platform admins": (len(ADMIN_PATTERNS), admin_urls, len(NOT_PLATFORM_ADMINS),
                                                admin_urls * len(NOT_PLATFORM_ADMINS) * 2),
        "/django-admin/, platform admin": (len(ADMIN_PATTERNS), admin_urls, 1, admin_urls),
        "/cms/, no admin access": (len(CMS_PATTERNS), cms_urls, len(NO_CMS_ROLES), cms_urls * len(NO_CMS_ROLES) * 2),
        "/cms/, another body's staff": (len(CMS_PATTERNS), cms_urls, len(OTHER_BODY_STAFF),
                                        cms_urls * len(OTHER_BODY_STAFF) * 2),
        "/cms/, the body's author and manager": (len(MANAGERS_CMS_ACTIONS), len(MANAGERS_CMS_ACTIONS), 2,
                                                 len(MANAGERS_CMS_ACTIONS) * 2),
    }


def test_matrix_size(world, capsys):
    """The size of the permission matrix (URL patterns × roles × cases), printed for the record."""
    sizes = matrix_size(world)
    lines = [f"{'section':40} {'patterns':>8} {'URLs':>6} {'roles':>5} {'requests':>9}"]
    lines += [f"{name:40} {patterns:8} {urls:6} {roles:5} {requests:9}"
              for name, (patterns, urls, roles, requests) in sizes.items()]
    lines.append(f"{'total':40} {'':8} {'':6} {'':5} {sum(s[3] for s in sizes.values()):9}")
    with capsys.disabled():
        print("\nPermission matrix\n" + "\n".join(lines))
    assert all(requests > 0 for *_rest, requests in sizes.values())
    assert sizes["/cms/, another body's staff"][0] >= 150 and sizes["/django-admin/, not platform admins"][0] >= 100
