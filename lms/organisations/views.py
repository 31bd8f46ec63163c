"""'Mon espace'; employer and training-body spaces for people and invitations; accepting an invitation."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.dashboard import sections_for
from lms.accounts.models import User
from lms.core.confirm import confirmation_page, confirmed
from lms.core.errors import DomainError
from lms.core.site import base_url
from lms.organisations import selectors, services
from lms.organisations.forms import (AcceptWithNewAccountForm, AssistantInvitationForm, TrainingBodyIdentityForm,
                                     TrainingBodyInvitationForm)
from lms.organisations.identity import identity_lines, legal_identity
from lms.organisations.models import Invitation, InvitationKind
from lms.organisations.roles import roles_for
from lms.organisations.staff_space import staff_pages_for


@login_required
def dashboard(request):
    """'Mon espace': links to every space the user has a role in, what waits for their answer, their account."""
    roles = roles_for(request.user)
    return render(request, "accounts/dashboard.html", {
        "roles": roles, "sections": sections_for(request),
        "staff_pages": staff_pages_for(m.role for m in roles.staff_memberships)})


@login_required
def practice_invite(request):
    """Employer: invite the assistant the practice has hired."""
    practices = selectors.practices_of(request.user)
    if not practices.exists():
        raise PermissionDenied
    form = AssistantInvitationForm(request.POST or None, practices=practices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_create(
                kind=InvitationKind.ASSISTANT, email=data["email"], invited_by=request.user,
                base_url=base_url(request), practice=data["practice"], entry_profile=data["entry_profile"],
                hired_on=data["hired_on"], working_time=data["working_time"],
                first_name=data["first_name"], last_name=data["last_name"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
            return redirect("practice_home")
    return render(request, "organisations/invite.html", {"form": form, "title": _("Invite a medical assistant")})


@login_required
def training_body_home(request):
    """Training-body staff: the staff of their bodies and pending invitations (managers)."""
    bodies = selectors.training_bodies_of(request.user)
    if not bodies.exists():
        raise PermissionDenied
    managed = selectors.training_bodies_managed_by(request.user)
    managed_ids = set(managed.values_list("pk", flat=True))
    return render(request, "organisations/training_body_home.html", {
        "bodies": [(body, selectors.staff_of(body), body.pk in managed_ids) for body in bodies],
        "can_invite": managed.exists(),
        "invitations": selectors.invitations_visible_to(request.user).filter(training_body__isnull=False).pending(),
    })


@login_required
def training_body_invite(request):
    """Training-body manager: invite a staff member or a trainee."""
    bodies = selectors.training_bodies_managed_by(request.user)
    if not bodies.exists():
        raise PermissionDenied
    form = TrainingBodyInvitationForm(request.POST or None, training_bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        is_staff = data["kind"] == "staff"
        try:
            services.invitation_create(
                kind=InvitationKind.STAFF if is_staff else InvitationKind.TRAINEE, email=data["email"],
                invited_by=request.user, base_url=base_url(request), training_body=data["training_body"],
                role=data["role"] if is_staff else "", entry_profile="" if is_staff else data["entry_profile"],
                first_name=data["first_name"], last_name=data["last_name"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
            return redirect("training_body_home")
    return render(request, "organisations/invite.html", {"form": form, "title": _("Invite to the training body"),
                                                         "staff_space": True})


@login_required
@require_POST
def invitation_revoke(request, pk):
    """Cancel an invitation sent by one of the user's organisations."""
    invitation = get_object_or_404(selectors.invitations_visible_to(request.user), pk=pk)
    back = reverse("practice_home" if invitation.practice_id else "training_body_home")
    if not confirmed(request):
        return confirmation_page(
            request, title=_("Cancel the invitation"), confirm_label=_("Cancel the invitation"), cancel_url=back,
            question=_("Cancel the invitation sent to %(email)s? Its link will stop working; you can invite this "
                       "person again later.") % {"email": invitation.email})
    try:
        services.invitation_revoke(invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation to %(email)s has been cancelled.") % {"email": invitation.email})
    return redirect(back)


def invitation_accept(request, token):
    """Open an invitation link: create an account or log in, then accept (POST only)."""
    invitation = services.invitation_get(token)
    if invitation is None:
        raise Http404(_("This invitation does not exist. Check the link in your email."))
    context = {"invitation": invitation, "error": None, "form": None}
    try:
        services.invitation_check_usable(invitation)
    except DomainError as error:
        context["error"] = error.message
        return render(request, "organisations/invitation.html", context, status=410)

    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except DomainError as error:
                context["error"] = error.message
                return render(request, "organisations/invitation.html", context, status=400)
            messages.success(request, _("Welcome! The invitation from %(organisation)s has been accepted.")
                             % {"organisation": invitation.organisation})
            return redirect("accounts_dashboard")
        if request.user.email.lower() != invitation.email.lower():
            context["error"] = _("This invitation was sent to %(email)s; log in with that address to accept it.") % {
                "email": invitation.email}
        return render(request, "organisations/invitation.html", context)

    if has_account:
        return render(request, "organisations/invitation.html", context)
    form = AcceptWithNewAccountForm(request.POST or None, email=invitation.email,
                                    initial={"first_name": invitation.first_name, "last_name": invitation.last_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_create_from_invitation(
                invitation=invitation, first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"], password=form.cleaned_data["password1"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend="lms.accounts.backends.ModelBackend")
            messages.success(request, _("Your account has been created and the invitation accepted."))
            return redirect("accounts_dashboard")
    context["form"] = form
    return render(request, "organisations/invitation.html", context)


@login_required
def training_body_identity(request, body_id):
    """Training-body manager: the body's legal identity, as attestations and relevés print it."""
    body = get_object_or_404(selectors.training_bodies_managed_by(request.user), pk=body_id)
    form = TrainingBodyIdentityForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The identity of %(body)s is saved. Certificates issued from now on print it.")
                         % {"body": body.name})
        return redirect("training_body_home")
    return render(request, "organisations/training_body_identity.html",
                  {"form": form, "body": body, "lines": identity_lines(legal_identity(body))})
