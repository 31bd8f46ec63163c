"""A user's personal data: export everything (GDPR art. 15/20) and erase what the law lets us erase (art. 17).

What stays after erasure, and why: the training evidence — enrolments, progress, attempts, active time,
certification results, attestations, statements — that funders may audit (kept LMS_EVIDENCE_RETENTION_YEARS after
the end of the training, 6 by default; lms.core.retention). Evidence without the name of the person it proves
is worthless, so the account keeps the first and last name with the date of erasure (`User.erased_at`); the email,
password, second factors, sessions, calendar addresses, declarations, invitations, memberships and reminder
preferences go; the questions to the tutors keep their dates, their texts erased (evidence of the assistance
given, Code du travail D6313-3-1). A person with no evidence loses the name too. `manage.py apply_retention`
deletes the evidence when its period ends, then the account itself (lms.reports.retention).
"""
import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from lms.accommodations.models import Accommodation
from lms.certificates.models import Certificate
from lms.deadlines.models import CalendarToken, DeclaredTraining, ReminderPreference
from lms.learning.attendance import settle
from lms.learning.models import (Enrolment, EnrolmentOffer, LessonCompletion, ModuleExemption, QualificationResult,
                                 StudySession)
from lms.quizzes.models import Attempt
from lms.support.models import Message, Thread
from lms.xapi.models import Statement


def personal_data(user):
    """Everything the platform holds about the user, as plain JSON-ready data."""
    settle([user])  # the heartbeats not yet counted are part of the active time exported
    profile = getattr(user, "trainee_profile", None)
    return {
        "generated_at": timezone.now().isoformat(),
        "account": {"email": user.email, "first_name": user.first_name, "last_name": user.last_name,
                    "date_joined": user.date_joined.isoformat(), "last_login": user.last_login.isoformat() if user.last_login else None,
                    "opaque_id": str(user.public_id)},
        "trainee_profile": {"entry_profile": profile.entry_profile} if profile else None,
        "employments": [{"practice": e.practice.name, "hired_on": e.hired_on.isoformat(), "working_time": e.working_time,
                         "ended_on": e.ended_on.isoformat() if e.ended_on else None}
                        for e in user.employments.select_related("practice")],
        "memberships": [{"training_body": m.training_body.name, "role": m.role}
                        for m in user.training_body_memberships.select_related("training_body")]
                       + [{"practice": m.practice.name} for m in user.practice_memberships.select_related("practice")],
        "enrolments": [{"track_id": e.track_id, "training_body": e.training_body.name, "starts_on": e.starts_on.isoformat(),
                        "status": e.status, "completed_at": e.completed_at.isoformat() if e.completed_at else None}
                       for e in Enrolment.objects.filter(trainee=user).select_related("training_body")],
        "enrolment_offers": [{"training_body": o.training_body.name, "track": o.track.title,
                              "starts_on": o.starts_on.isoformat(), "email": o.email, "first_name": o.first_name,
                              "last_name": o.last_name, "status": o.status, "created_at": o.created_at.isoformat()}
                             for o in EnrolmentOffer.objects.filter(invitee=user).select_related("training_body", "track")],
        "lessons_completed": [{"lesson_id": c.lesson_id, "at": c.completed_at.isoformat()}
                              for c in LessonCompletion.objects.filter(enrolment__trainee=user)],
        "quiz_attempts": [{"quiz": a.quiz.title, "number": a.number, "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
                           "percent": float(a.percent) if a.percent is not None else None, "passed": a.passed, "answers": a.answers,
                           "active_seconds": a.active_seconds}
                          for a in Attempt.objects.filter(enrolment__trainee=user).select_related("quiz")],
        # The positioning test's decisions (issue 17, point 1): the scores are in quiz_attempts and the traces.
        "module_exemptions": [{"track": e.enrolment.track.title, "module": e.module.title, "score": float(e.score),
                               "threshold": e.threshold, "status": e.status,
                               "proposed_at": e.proposed_at.isoformat(),
                               "decided_at": e.decided_at.isoformat() if e.decided_at else None,
                               "reason": e.reason}
                              for e in ModuleExemption.objects.filter(enrolment__trainee=user)
                              .select_related("enrolment__track", "module").order_by("proposed_at", "pk")],
        "certificates": [{"code": c.code, "track": c.track_title, "issued_at": c.issued_at.isoformat(), "status": c.status}
                         for c in Certificate.objects.filter(enrolment__trainee=user)],
        "qualification_results": [{"track": r.enrolment.track.title, "training_body": r.enrolment.training_body.name,
                                   "obtained_on": r.obtained_on.isoformat(), "jury_reference": r.jury_reference,
                                   "recorded_at": r.recorded_at.isoformat(),
                                   "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None,
                                   "revocation_reason": r.revocation_reason}
                                  for r in QualificationResult.objects.filter(enrolment__trainee=user)
                                  .select_related("enrolment__track", "enrolment__training_body")],
        "declared_trainings": [{"kind": d.kind, "date": d.occurred_on.isoformat(), "organisation": d.organisation}
                               for d in DeclaredTraining.objects.filter(trainee=user)],
        "study_sessions": [{"login": s.started_at.isoformat(), "last_activity": s.last_activity_at.isoformat(),
                            "active_seconds": s.active_seconds} for s in StudySession.objects.filter(user=user)],
        **_support_data(user),
        "accommodations": [{"training_body": a.training_body.name, "extra_time_percent": a.extra_time_percent,
                            "extra_duration_percent": a.extra_duration_percent, "note": a.note,
                            "updated_at": a.updated_at.isoformat()}
                           for a in Accommodation.objects.filter(trainee=user).select_related("training_body")],
        "learning_traces": [s.data for s in Statement.objects.filter(actor=user).order_by("timestamp")[:50000]],
    }


def storage_delete_on_commit(names):
    """Delete stored files once the transaction that deleted their rows commits (through the storage API, so on
    object storage too); a rollback keeps them."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def _support_data(user):
    """The person's questions to the tutors with the whole exchange, and the messages they wrote in others'."""
    threads = Thread.objects.filter(enrolment__trainee=user).prefetch_related("messages__author").order_by("created_at")
    return {
        "support_threads": [
            {"subject": t.subject, "written_from": t.context_title, "status": t.status,
             "asked_at": t.created_at.isoformat(), "closed_at": t.closed_at.isoformat() if t.closed_at else None,
             "messages": [{"from_tutor": m.from_staff, "author": m.author.get_full_name() if m.author else None,
                           "at": m.created_at.isoformat(), "text": m.body} for m in t.messages.all()]}
            for t in threads],
        "support_messages_written": [{"at": m.created_at.isoformat(), "text": m.body}
                                     for m in Message.objects.filter(author=user, from_staff=True)
                                     .order_by("created_at")],
    }


def has_evidence(user):
    """Whether evidence of a training is attached to the person (what keeps their name after erasure)."""
    return Enrolment.objects.filter(trainee=user).exists()


@transaction.atomic
def account_erase(*, user, now=None):
    """Erase the account: no email, no login, no profile data; the evidence under its retention period stays,
    with the person's name and the date of erasure so that it still proves something (module docstring)."""
    marker = uuid.uuid4().hex[:12]
    settle([user])  # the logged heartbeats counted (evidence), so that none is left holding a session's key hash
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    CalendarToken.objects.filter(user=user).delete()
    ReminderPreference.objects.filter(user=user).delete()
    StudySession.objects.filter(user=user).update(session_key_hash="")
    declarations = DeclaredTraining.objects.filter(trainee=user)
    storage_delete_on_commit(list(declarations.values_list("evidence", flat=True)))
    declarations.delete()
    EnrolmentOffer.objects.filter(invitee=user).delete()  # what bodies typed about the person (the enrolment stays)
    # Their questions to the tutors: the text goes (theirs and the answers about them); the dates stay, evidence of
    # the assistance given (Code du travail D6313-3-1).
    Thread.objects.filter(enrolment__trainee=user).update(subject="—")
    Message.objects.filter(thread__enrolment__trainee=user).update(body="", erased_at=timezone.now())
    # Their accommodations: the note may speak of health and goes; the percents stay, evidence of the adaptation
    # (Qualiopi indicator 26) and of the time the quizzes and the pace allowed.
    Accommodation.objects.filter(trainee=user).update(note="")
    if not has_evidence(user):
        user.first_name, user.last_name = "Compte", "supprimé"
    user.email = f"supprime-{marker}@invalid.parcours-am"
    user.is_active = False
    user.erased_at = user.erased_at or now or timezone.now()
    user.inactivity_warned_at = None
    user.set_unusable_password()  # logged out everywhere: no session's password hash matches any more
    user.save()
    user.training_body_memberships.all().delete()
    user.practice_memberships.all().delete()
    return user


def retention_years():
    return getattr(settings, "LMS_EVIDENCE_RETENTION_YEARS", 6)
