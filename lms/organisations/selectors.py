"""Reads on organisations, always scoped to the requesting user."""
from django.db.models import Q

from lms.organisations.models import (
    Employment,
    Invitation,
    Practice,
    StaffRole,
    TrainingBody,
    TrainingBodyMembership,
)


def practices_of(user):
    """Practices the user acts for."""
    return Practice.objects.filter(memberships__user=user)


def training_bodies_of(user, roles=None):
    """Training bodies where the user is staff (optionally with one of `roles`)."""
    memberships = TrainingBodyMembership.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return TrainingBody.objects.filter(pk__in=memberships.values("training_body_id"))


def is_staff_of(user, training_body_id, roles=None):
    """Whether the user works for this training body (with one of `roles` if given); platform admins do."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    memberships = user.training_body_memberships.filter(training_body_id=training_body_id)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return memberships.exists()


def training_bodies_managed_by(user):
    return training_bodies_of(user, roles=[StaffRole.MANAGER])


def employments_of_practices(user):
    """Employments of the assistants of the user's practices: the practice's own records.

    Only the members of the employing practice open, export or declare on an employment; a training body reads
    the deadline facts of its learners through its own pages.
    """
    return (Employment.objects.filter(practice__in=practices_of(user))
            .select_related("trainee", "trainee__trainee_profile", "practice"))


# What an employing practice sees of its assistant: everything up to the end of the employment, nothing after
# it (the former practice keeps its past for its records; the assistant's later life belongs to her and her new
# employer). The window has no start: a training started or a qualification obtained before the hire is a fact
# the new employer needs for the deadlines.

def within_employment(day, ended_on):
    """Whether a fact dated `day` lies within what the practice of an employment ending on `ended_on` sees."""
    return ended_on is None or day <= ended_on


def practice_sees(user, trainee_id, day):
    """Whether one of the user's practices employs or employed the trainee, on an employment that shows a fact
    dated `day` (open, or ended on or after that day)."""
    if not user.is_authenticated:
        return False
    return Employment.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), trainee_id=trainee_id,
                                     practice__memberships__user=user).exists()


def invitations_visible_to(user):
    """Invitations sent by the user's practices or by training bodies they manage."""
    return Invitation.objects.filter(
        Q(practice__in=practices_of(user)) | Q(training_body__in=training_bodies_managed_by(user))
    ).select_related("practice", "training_body")


def staff_of(training_body):
    return TrainingBodyMembership.objects.filter(training_body=training_body).select_related("user")
