"""Writes on organisations: creating them, inviting people, accepting invitations."""
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import TraineeProfile, User
from lms.core.errors import DomainError
from lms.core.mail import send_on_commit
from lms.organisations.models import (
    Employment,
    Invitation,
    InvitationKind,
    TrainingBodyMembership,
    hash_token,
)


@transaction.atomic
def invitation_create(*, kind, email, invited_by, base_url, practice=None, training_body=None, role="",
                      entry_profile="", hired_on=None, working_time="", first_name="", last_name="", now=None):
    """Create an invitation and email its one-time link. Returns (invitation, token)."""
    now = now or timezone.now()
    email = email.strip().lower()
    organisation = practice or training_body
    if Invitation.objects.pending(now).filter(email=email, kind=kind, practice=practice, training_body=training_body).exists():
        raise DomainError(_("An invitation is already pending for this email address."), field="email")
    if kind == InvitationKind.STAFF and TrainingBodyMembership.objects.filter(training_body=training_body, user__email=email).exists():
        raise DomainError(_("This person is already a staff member of this training body."), field="email")
    if kind == InvitationKind.ASSISTANT and Employment.objects.filter(
        practice=practice, trainee__email=email, ended_on__isnull=True
    ).exists():
        raise DomainError(_("This person is already employed by this practice."), field="email")
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        kind=kind, email=email, first_name=first_name, last_name=last_name,
        practice=practice, training_body=training_body, role=role, entry_profile=entry_profile,
        hired_on=hired_on, working_time=working_time, invited_by=invited_by,
        token_hash=hash_token(token), expires_at=now + timedelta(days=settings.LMS_INVITATION_VALID_DAYS),
    )
    url = base_url.rstrip("/") + reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "url": url, "organisation": organisation, "inviter": invited_by,
               "site_name": settings.LMS_SITE_NAME}
    send_on_commit(_("[%(site)s] Invitation from %(organisation)s") % {"site": settings.LMS_SITE_NAME,
                                                                        "organisation": organisation},
                   "organisations/email/invitation.txt", context, [email])
    return invitation, token


def invitation_get(token):
    """The invitation a token opens, or None."""
    return (Invitation.objects.select_related("practice", "training_body", "invited_by")
            .filter(token_hash=hash_token(token)).first())


def invitation_check_usable(invitation, now=None):
    """Raise DomainError when the invitation can no longer be used."""
    status = invitation.status(now)
    if status == "accepted":
        raise DomainError(_("This invitation has already been used. Log in to reach your space."))
    if status == "revoked":
        raise DomainError(_("This invitation has been cancelled by the organisation that sent it."))
    if status == "expired":
        raise DomainError(_("This invitation has expired. Ask the organisation to send you a new one."))


@transaction.atomic
def invitation_accept(*, invitation, user, now=None):
    """Accept an invitation for `user`: grant the role it carries, exactly once."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_usable(invitation, now)
    if user.email.lower() != invitation.email.lower():
        raise DomainError(_("This invitation was sent to %(email)s; log in with that address to accept it.")
                          % {"email": invitation.email})
    if invitation.kind == InvitationKind.STAFF:
        TrainingBodyMembership.objects.update_or_create(
            training_body=invitation.training_body, user=user, defaults={"role": invitation.role}
        )
    else:
        profile, created = TraineeProfile.objects.get_or_create(
            user=user, defaults={"entry_profile": invitation.entry_profile}
        )
        if not created and invitation.entry_profile and profile.entry_profile != invitation.entry_profile:
            profile.entry_profile = invitation.entry_profile
            profile.save(update_fields=["entry_profile"])
        if invitation.kind == InvitationKind.ASSISTANT:
            Employment.objects.create(
                trainee=user, practice=invitation.practice, hired_on=invitation.hired_on,
                working_time=invitation.working_time,
            )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation, now=None):
    """Cancel a pending invitation; its link stops working at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_usable(invitation, now)
    invitation.revoked_at = now or timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def account_create_from_invitation(*, invitation, first_name, last_name, password, now=None):
    """Create a verified account for the invited email (the link proves the address) and accept."""
    from allauth.account.models import EmailAddress

    if User.objects.filter(email__iexact=invitation.email).exists():
        raise DomainError(_("An account already exists for this email address. Log in to accept the invitation."))
    user = User.objects.create_user(email=invitation.email, password=password,
                                    first_name=first_name.strip(), last_name=last_name.strip())
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation_accept(invitation=invitation, user=user, now=now)
    return user
