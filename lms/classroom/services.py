"""Writes of the séances: create, change and delete (the body's staff), sign (the trainee for themselves, the
trainer for the séance), mark absences (the staff). Each in a transaction; emails and xAPI once it commits or in
it. Every refusal is a DomainError with a message a user can read."""
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.classroom.models import ClassSession, Presence, PresenceStatus, TrainerSignature, signature_proof
from lms.classroom.rules import session_bounds, signing_open
from lms.classroom.selectors import cohort_enrolments
from lms.core.display import long_date
from lms.core.errors import DomainError
from lms.core.mail import send_on_commit
from lms.xapi import statements as xs
from lms.xapi.services import record

# A change of one of these fields is told to the cohort's trainees.
NOTIFIED_FIELDS = ("date", "half_day", "starts_at", "ends_at", "kind", "place", "video_url")


def _check(session):
    if session.ends_at <= session.starts_at:
        raise DomainError(_("The class session must end after it starts."), field="ends_at")
    if session.hours > session.length_hours:
        raise DomainError(_("The hours cannot exceed the length of the half-day (%(hours)s h).")
                          % {"hours": f"{session.length_hours:.2f}".rstrip("0").rstrip(".")}, field="hours")
    if session.kind == "virtual" and not session.video_url:
        raise DomainError(_("A virtual class needs its video link."), field="video_url")
    if session.kind == "in_person" and not session.place:
        raise DomainError(_("An in-person class session needs its place."), field="place")
    if session.video_url and not session.video_url.lower().startswith("https://"):
        raise DomainError(_("The video link must start with https://."), field="video_url")
    body_id = session.cohort.training_body_id
    if not session.trainer.training_body_memberships.filter(training_body_id=body_id).exists():
        raise DomainError(_("The trainer must be a staff member of the training body."), field="trainer")


def _notify(session, *, created, base_url):
    trainees = [e.trainee.email for e in cohort_enrolments(session.cohort) if e.trainee.is_active]
    with override("fr"):
        subject = (_("[%(site)s] New class session: %(title)s") if created else _("[%(site)s] Class session changed: %(title)s")) % {
            "site": settings.LMS_SITE_NAME, "title": session.title}
        for email in trainees:  # one email each: trainees do not see one another's address
            send_on_commit(subject, "classroom/email/session_notice.txt", {
                "session": session, "created": created, "date": long_date(session.date),
                "url": base_url.rstrip("/") + reverse("my_class_sessions")}, [email])


def class_session_save(*, session, base_url):
    """Create or change a séance (checked: times, hours within the half-day, place or https link, trainer of the
    body); the cohort's trainees are told of a new séance or of a change of its date, times, place or link."""
    _check(session)
    created = session.pk is None
    changed = created
    if not created:
        before = ClassSession.objects.get(pk=session.pk)
        changed = any(getattr(before, name) != getattr(session, name) for name in NOTIFIED_FIELDS)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        raise DomainError(_("This cohort already has a class session on this half-day."), field="half_day") from None
    if changed:
        _notify(session, created=created, base_url=base_url)
    return session


def class_session_delete(*, session):
    """Delete a séance nobody signed yet (a signed sheet is evidence: it stays)."""
    with transaction.atomic():
        session = ClassSession.objects.select_for_update().get(pk=session.pk)
        if (session.presences.filter(status=PresenceStatus.PRESENT).exists()
                or TrainerSignature.objects.filter(session=session).exists()):
            raise DomainError(_("This class session was signed already: it cannot be deleted."))
        session.delete()


def presence_sign(*, session, user, now=None):
    """The trainee `user` signs the séance for themselves: only with an enrolment in its cohort, only within the
    signing window, once (a second click, or two at once, returns the first signature)."""
    now = now or timezone.now()
    enrolment = cohort_enrolments(session.cohort).filter(trainee=user).first()
    if enrolment is None:
        raise DomainError(_("You are not a trainee of this class session."))
    if not signing_open(session, now):
        raise DomainError(_("This class session can be signed only during the half-day or just after it."))
    try:
        with transaction.atomic():
            presence, created = Presence.objects.select_for_update().get_or_create(
                session=session, enrolment=enrolment,
                defaults={"status": PresenceStatus.PRESENT, "signed_at": now,
                          "proof": signature_proof(session.pk, user.pk, now)})
            if not created and presence.status == PresenceStatus.PRESENT:
                return presence
            if not created:  # marked absent early by the trainer, the trainee came: her signature wins
                presence.status, presence.signed_at = PresenceStatus.PRESENT, now
                presence.proof, presence.reason = signature_proof(session.pk, user.pk, now), ""
                presence.save(update_fields=["status", "signed_at", "proof", "reason"])
            record([xs.session_attended(
                actor_id=user.public_id, registration=enrolment.registration,
                session=xs.session_activity(session.pk, session.title),
                track=xs.track_activity(enrolment.track_id, enrolment.track.title),
                duration_seconds=session.seconds, timestamp=now)], actor=user)
    except IntegrityError:  # the same click twice at once: the first one signed
        return Presence.objects.get(session=session, enrolment=enrolment)
    return presence


def trainer_sign(*, session, user, now=None):
    """The séance's trainer signs its sheet, within the same window as the trainees; once."""
    now = now or timezone.now()
    if user.pk != session.trainer_id:
        raise DomainError(_("Only the class session's trainer signs it."))
    if not signing_open(session, now):
        raise DomainError(_("This class session can be signed only during the half-day or just after it."))
    signature, _created = TrainerSignature.objects.get_or_create(
        session=session, defaults={"trainer": user, "signed_at": now,
                                   "proof": signature_proof(session.pk, user.pk, now)})
    return signature


def absence_mark(*, session, enrolment, by, excused=False, reason="", now=None):
    """The staff marks a trainee of the séance absent (excused, with a reason, or not). Allowed from the séance's
    start and later too (a correction): who marked it and when is kept. A signature is never overwritten."""
    now = now or timezone.now()
    if now < session_bounds(session)[0]:
        raise DomainError(_("An absence can be marked only once the class session has started."))
    if not cohort_enrolments(session.cohort).filter(pk=enrolment.pk).exists():
        raise DomainError(_("This trainee is not in the class session's cohort."))
    status = PresenceStatus.EXCUSED if excused else PresenceStatus.ABSENT
    with transaction.atomic():
        presence = Presence.objects.select_for_update().filter(session=session, enrolment=enrolment).first()
        if presence is not None and presence.status == PresenceStatus.PRESENT:
            raise DomainError(_("This trainee signed the class session: the signature stands."))
        if presence is None:
            presence = Presence(session=session, enrolment=enrolment)
        presence.status, presence.reason = status, reason if excused else ""
        presence.marked_by, presence.marked_at = by, now
        presence.save()
    return presence
