"""Reads of the SCORM app: who may open a package's files, the time its sessions count, the attempts shown."""
from django.db.models import Exists, OuterRef, Sum

from lms.learning.models import Enrolment, EnrolmentStatus
from lms.organisations.selectors import is_staff_of, training_bodies_of
from lms.scorm.models import ScormAttempt, ScormLessonPage, ScormPackage


def attempt_seconds(enrolment_ids):
    """The time source of lms.learning.realised: {enrolment id: seconds spent in SCOs} (closed sessions and the one
    in progress, as the SCO reported them, each capped by the server's clock)."""
    rows = (ScormAttempt.objects.filter(enrolment_id__in=list(enrolment_ids)).values("enrolment_id")
            .annotate(total=Sum("total_seconds"), current=Sum("session_seconds"))
            .values_list("enrolment_id", "total", "current"))
    return {pk: int(total or 0) + int(current or 0) for pk, total, current in rows}


def packages_for(user):
    """The packages an author may see and choose: those of their training bodies (all, for platform admins)."""
    if user.is_superuser:
        return ScormPackage.objects.all()
    return ScormPackage.objects.filter(training_body__in=training_bodies_of(user))


def reads_package(user, package):
    """Whether the user may open the package's files: staff of its training body, or a trainee enrolled (not
    withdrawn) in a track holding a published lesson that plays it."""
    if not user.is_authenticated:
        return False
    if is_staff_of(user, package.training_body_id):
        return True
    lessons = ScormLessonPage.objects.live().filter(package_id=package.pk, path__startswith=OuterRef("track__path"))
    return (Enrolment.objects.filter(trainee_id=user.pk).exclude(status=EnrolmentStatus.WITHDRAWN)
            .filter(Exists(lessons)).exists())


def attempts_of(enrolment_ids):
    """{enrolment id: [ScormAttempt with its lesson's title]}, for the relevé."""
    found = {}
    for attempt in (ScormAttempt.objects.filter(enrolment_id__in=list(enrolment_ids))
                    .select_related("lesson").only("enrolment_id", "lesson__title", "lesson__path", "lesson_status",
                                                    "score_raw", "total_seconds", "session_seconds", "completed_at")
                    .order_by("lesson__path")):
        found.setdefault(attempt.enrolment_id, []).append(attempt)
    return found
