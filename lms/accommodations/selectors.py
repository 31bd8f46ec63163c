"""Who reads an accommodation, and the reads the timed quizzes and the pace make.

An accommodation is read by its trainee, the body's disability referent and the body's tutors; not by a manager
who is neither, nor by an author, an employer or anyone else. The referent alone writes it.
"""
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery

from lms.accommodations.models import Accommodation, DisabilityReferent
from lms.organisations.models import StaffRole, TrainingBodyMembership


# From a training body to its disability referent and the referent's user, for select_related: a page that reads
# enrolments with their body reads the referent in the same query ("Mon parcours"), then referent_of_body.
REFERENT_FROM_BODY = "disability_referent__user"


def referent_of_body(training_body):
    """The referent of a body read with REFERENT_FROM_BODY selected (no query), or None."""
    try:
        return training_body.disability_referent
    except DisabilityReferent.DoesNotExist:
        return None


def referents_of_bodies(training_body_ids):
    """{training body id: DisabilityReferent} for the given bodies, in one query."""
    return {r.training_body_id: r for r in DisabilityReferent.objects.select_related("user", "training_body")
            .filter(training_body_id__in=list(training_body_ids))}


def is_referent(user, training_body_id):
    return user.is_authenticated and DisabilityReferent.objects.filter(training_body_id=training_body_id,
                                                                         user_id=user.pk).exists()


def may_read(user, training_body_id, trainee_id):
    """Whether the user reads the accommodations of this trainee with this body: the trainee, the body's referent
    and tutors."""
    if not user.is_authenticated:
        return False
    if user.pk == trainee_id:
        return True
    return is_referent(user, training_body_id) or TrainingBodyMembership.objects.filter(
        training_body_id=training_body_id, user_id=user.pk, role=StaffRole.TUTOR).exists()


def accommodation_of(training_body_id, trainee_id):
    """The trainee's accommodation with this body, or None."""
    return Accommodation.objects.filter(training_body_id=training_body_id, trainee_id=trainee_id).first()


def accommodations_of_trainee(trainee):
    """Every accommodation of the trainee, with the body and its referent."""
    return (Accommodation.objects.filter(trainee=trainee)
            .select_related("training_body", "training_body__disability_referent__user")
            .order_by("training_body__name"))


def accommodations_of_body(training_body_id):
    return (Accommodation.objects.filter(training_body_id=training_body_id).select_related("trainee", "set_by")
            .order_by("trainee__last_name", "trainee__first_name", "pk"))


def learners_of_body(training_body_id):
    """The users enrolled with the body (through the enrolments' reverse relation: learning sits above this app
    and is not imported), each annotated with its accommodation's pk or None."""
    return (get_user_model().objects.filter(enrolments__training_body_id=training_body_id).distinct()
            .annotate(accommodation_pk=Subquery(Accommodation.objects.filter(
                training_body_id=training_body_id, trainee_id=OuterRef("pk")).values("pk")[:1]))
            .order_by("last_name", "first_name", "pk"))


def extra_time_percent(training_body_id, trainee_id):
    """The extra time on timed quizzes of this trainee with this body, in percent (0 without accommodation)."""
    return (Accommodation.objects.filter(training_body_id=training_body_id, trainee_id=trainee_id)
            .values_list("extra_time_percent", flat=True).first() or 0)


def extra_duration_percent(training_body_id, trainee_id):
    return (Accommodation.objects.filter(training_body_id=training_body_id, trainee_id=trainee_id)
            .values_list("extra_duration_percent", flat=True).first() or 0)


def extra_duration_subquery(training_body_field="training_body_id", trainee_field="trainee_id"):
    """A subquery for annotating rows that name a body and a trainee (enrolments) with the extra duration."""
    return Subquery(Accommodation.objects.filter(training_body_id=OuterRef(training_body_field),
                                                 trainee_id=OuterRef(trainee_field))
                    .values("extra_duration_percent")[:1])
