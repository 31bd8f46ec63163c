"""Reads of the séances, scoped to the requesting user."""
from django.db.models import F, Sum
from django.shortcuts import get_object_or_404

from lms.classroom.models import ClassSession, Presence, PresenceStatus
from lms.learning.models import Cohort, Enrolment, EnrolmentStatus
from lms.organisations.models import StaffRole
from lms.organisations.selectors import training_bodies_of

# Who of a training body plans séances and keeps their sheets: its tutors and managers.
SESSION_STAFF = [StaffRole.TUTOR, StaffRole.MANAGER]


def cohort_enrolments(cohort):
    """The cohort's trainees (their enrolments, withdrawn ones left out)."""
    return (Enrolment.objects.filter(cohort=cohort).exclude(status=EnrolmentStatus.WITHDRAWN)
            .select_related("trainee", "track"))


def staff_cohort(user, cohort_id):
    """The cohort if the user is a tutor or a manager of its body, else 404."""
    bodies = training_bodies_of(user, roles=SESSION_STAFF)
    return get_object_or_404(Cohort.objects.filter(training_body__in=bodies).select_related("track", "training_body"),
                             pk=cohort_id)


def staff_session(user, cohort_id, session_id):
    cohort = staff_cohort(user, cohort_id)
    return get_object_or_404(ClassSession.objects.filter(cohort=cohort).select_related("trainer", "cohort__track",
                                                                                        "cohort__training_body"),
                             pk=session_id)


def sessions_of_trainee(user):
    """The séances of the cohorts the user is a trainee of, with the enrolment each is signed under."""
    cohorts = Enrolment.objects.filter(trainee=user, cohort__isnull=False).exclude(
        status=EnrolmentStatus.WITHDRAWN).values("cohort_id")
    return (ClassSession.objects.filter(cohort_id__in=cohorts)
            .select_related("cohort", "cohort__track", "cohort__training_body", "trainer"))


def presences_of_trainee(user, sessions):
    """{séance id: Presence} of the user on these séances."""
    return {p.session_id: p for p in Presence.objects.filter(session__in=sessions, enrolment__trainee=user)}


def sheet_lines(session):
    """[(enrolment, presence or None)] of a séance, by name."""
    enrolments = list(cohort_enrolments(session.cohort).order_by("trainee__last_name", "trainee__first_name", "pk"))
    presences = {p.enrolment_id: p for p in session.presences.select_related("marked_by")}
    return [(e, presences.get(e.pk)) for e in enrolments]


def attended_seconds(enrolment_ids):
    """The realised-time source of the séances: the hours of each séance signed present, in seconds."""
    rows = (Presence.objects.filter(enrolment_id__in=enrolment_ids, status=PresenceStatus.PRESENT)
            .values("enrolment_id").annotate(hours=Sum(F("session__hours"))).values_list("enrolment_id", "hours"))
    return {enrolment_id: int(hours * 3600) for enrolment_id, hours in rows}


def presences_for_record(enrolment):
    """The enrolment's lines on séance sheets (signed or absent), in the order of the séances, for the relevé."""
    return (Presence.objects.filter(enrolment=enrolment).select_related("session")
            .order_by("session__date", "session__starts_at"))
