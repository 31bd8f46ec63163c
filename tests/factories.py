"""Small keyword-default builders for tests."""
import itertools
from datetime import date

from allauth.account.models import EmailAddress

from lms.accounts.models import TraineeProfile, User
from lms.organisations.models import (
    Employment,
    Practice,
    PracticeMembership,
    StaffRole,
    TrainingBody,
    TrainingBodyMembership,
)

PASSWORD = "Un-mot-de-passe-solide-42"
_counter = itertools.count(1)


def make_user(*, email=None, first_name="Alice", last_name="Durand", password=PASSWORD, verified=True, **extra):
    email = email or f"user{next(_counter)}@example.org"
    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def make_training_body(*, name=None, slug=None):
    n = next(_counter)
    return TrainingBody.objects.create(name=name or f"Organisme {n}", slug=slug or f"organisme-{n}")


def make_practice(*, name=None):
    return Practice.objects.create(name=name or f"Cabinet {next(_counter)}")


def make_staff(*, training_body=None, role=StaffRole.MANAGER, **user_kwargs):
    user = make_user(**user_kwargs)
    TrainingBodyMembership.objects.create(training_body=training_body or make_training_body(), user=user, role=role)
    return user


def make_employer(*, practice=None, **user_kwargs):
    user = make_user(**user_kwargs)
    PracticeMembership.objects.create(practice=practice or make_practice(), user=user)
    return user


def make_trainee(*, entry_profile="secretary", practice=None, hired_on=date(2025, 1, 15), **user_kwargs):
    user = make_user(**user_kwargs)
    TraineeProfile.objects.create(user=user, entry_profile=entry_profile)
    if practice is not None:
        Employment.objects.create(trainee=user, practice=practice, hired_on=hired_on, working_time="full")
    return user
