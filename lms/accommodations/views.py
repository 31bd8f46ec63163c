"""Accommodations for disability. 'Handicap' in the staff space: every staff member reads who the body's referent
is; the managers name them; the referent lists the learners and sets each one's accommodation. 'Mes aménagements'
in the trainee's space. Anyone else gets a 404 for a body or a learner they do not reach, whatever the id."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lms.accommodations import selectors, services
from lms.accommodations.forms import AccommodationForm, ReferentForm
from lms.core.errors import DomainError
from lms.core.forms import valid_id
from lms.core.site import base_url
from lms.organisations.models import StaffRole, TrainingBody
from lms.organisations.selectors import staff_of, training_bodies_of


def _sections(user, bodies, referents, posted=None):
    """One section per body of the user: its referent, the naming form for its managers, the learners for its
    referent."""
    roles = {}
    for membership in user.training_body_memberships.filter(training_body__in=bodies):
        roles.setdefault(membership.training_body_id, set()).add(membership.role)
    sections = []
    for body in bodies:
        referent = referents.get(body.pk)
        manages = StaffRole.MANAGER in roles.get(body.pk, ()) or user.is_superuser
        section = {"body": body, "referent": referent, "form": None,
                   "is_referent": referent is not None and referent.user_id == user.pk}
        if manages:
            staff = list(staff_of(body).order_by("user__last_name", "user__first_name"))
            if posted is not None and posted[0] == body.pk:
                section["form"] = posted[1]
            else:
                initial = ({"user": referent.user_id, "email": referent.email, "phone": referent.phone,
                            "contact": referent.contact} if referent else {})
                section["form"] = ReferentForm(staff=staff, initial=initial, prefix=f"b{body.pk}")
        if section["is_referent"]:
            section["learners"] = list(selectors.learners_of_body(body.pk))
        sections.append(section)
    return sections


@login_required
def accommodation_home(request):
    """'Handicap': the referent of each of the user's bodies; naming them (managers); the learners (referent)."""
    bodies = list(training_bodies_of(request.user).order_by("name"))
    if not bodies:
        raise PermissionDenied
    referents = selectors.referents_of_bodies(b.pk for b in bodies)
    posted = None
    if request.method == "POST":
        raw = request.POST.get("training_body", "")
        body = next((b for b in bodies if valid_id(raw) and b.pk == int(raw)), None)
        if body is None or not (request.user.is_superuser or request.user.training_body_memberships.filter(
                training_body=body, role=StaffRole.MANAGER).exists()):
            raise Http404
        staff = list(staff_of(body).order_by("user__last_name", "user__first_name"))
        form = ReferentForm(request.POST, staff=staff, prefix=f"b{body.pk}")
        if form.is_valid():
            try:
                services.referent_name(training_body=body, user=get_user_model().objects.get(
                    pk=form.cleaned_data["user"]), by=request.user, email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"], contact=form.cleaned_data["contact"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The disability referent was saved."))
                return redirect("accommodation_home")
        posted = (body.pk, form)
    return render(request, "accommodations/home.html",
                  {"sections": _sections(request.user, bodies, referents, posted)},
                  status=400 if posted else 200)


@login_required
def accommodation_edit(request, body_id, trainee_id):
    """The referent sets one learner's accommodation."""
    body = get_object_or_404(TrainingBody, pk=body_id)
    if not selectors.is_referent(request.user, body.pk):
        raise Http404
    learner = get_object_or_404(selectors.learners_of_body(body.pk), pk=trainee_id)
    accommodation = selectors.accommodation_of(body.pk, learner.pk)
    if request.method == "POST":
        form = AccommodationForm(request.POST)
        if form.is_valid():
            try:
                services.accommodation_set(training_body=body, trainee=learner, by=request.user,
                                           base_url=base_url(request), **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The accommodation was saved; the learner was told by email."))
                return redirect("accommodation_home")
    else:
        form = AccommodationForm(initial={
            "extra_time_percent": accommodation.extra_time_percent, "note": accommodation.note,
            "extra_duration_percent": accommodation.extra_duration_percent} if accommodation else None)
    changes = list(accommodation.changes.select_related("changed_by")) if accommodation else []
    return render(request, "accommodations/edit.html",
                  {"body": body, "learner": learner, "form": form, "accommodation": accommodation,
                   "changes": changes}, status=400 if form.errors else 200)


@require_GET
@login_required
def my_accommodations(request):
    """'Mes aménagements': the trainee's own accommodations and the referent of each body that enrolled them."""
    body_ids = set(request.user.enrolments.values_list("training_body_id", flat=True))
    referents = selectors.referents_of_bodies(body_ids)
    accommodations = list(selectors.accommodations_of_trainee(request.user))
    bodies = TrainingBody.objects.filter(pk__in=body_ids).order_by("name")
    return render(request, "accommodations/mine.html", {
        "accommodations": accommodations,
        "bodies": [(body, referents.get(body.pk)) for body in bodies]})
