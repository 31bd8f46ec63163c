"""Who a user is on the platform, derived from their profile and memberships (here, above accounts, because the
memberships are organisations')."""
from dataclasses import dataclass, field

from lms.accounts.models import TraineeProfile
from lms.organisations.models import PracticeMembership, TrainingBodyMembership


@dataclass(frozen=True)
class Roles:
    """The roles of one user; each list holds the organisations where the role applies."""

    is_admin: bool = False
    is_trainee: bool = False
    practices: tuple = field(default_factory=tuple)
    staff_memberships: tuple = field(default_factory=tuple)  # TrainingBodyMembership rows

    @property
    def is_employer(self):
        return bool(self.practices)

    @property
    def is_training_body_staff(self):
        return bool(self.staff_memberships)

    @property
    def has_any(self):
        return self.is_admin or self.is_trainee or self.is_employer or self.is_training_body_staff


def roles_for(user):
    """Compute the roles of `user` in three queries at most."""
    if not user.is_authenticated:
        return Roles()
    practices = tuple(m.practice for m in PracticeMembership.objects.filter(user=user).select_related("practice"))
    staff = tuple(TrainingBodyMembership.objects.filter(user=user).select_related("training_body"))
    return Roles(
        is_admin=user.is_superuser,
        is_trainee=TraineeProfile.objects.filter(user=user).exists(),
        practices=practices,
        staff_memberships=staff,
    )


def must_use_mfa(user):
    """Training-body staff and platform admins must protect their account with TOTP."""
    return user.is_superuser or user.is_staff or TrainingBodyMembership.objects.filter(user=user).exists()
