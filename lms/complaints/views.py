"""Complaints: a trainee or an employer files one with a training body and follows it ('Mes réclamations'); the
body's managers keep the register, take each complaint in hand, answer it and export the register. Anyone else
gets a 404, whatever the id they type."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET

from lms.complaints import selectors, services
from lms.complaints.forms import AnswerForm, ComplaintForm
from lms.complaints.models import ComplaintStatus
from lms.core.display import long_date
from lms.core.errors import DomainError
from lms.core.exports import csv_bytes
from lms.core.pagination import page_of
from lms.core.ratelimit import too_many
from lms.core.site import base_url
from lms.organisations.selectors import training_bodies_managed_by

FILE_LIMIT, FILE_WINDOW = 5, 3600  # complaints one person may file per hour


@require_GET
@login_required
def my_complaints(request):
    """'Mes réclamations': the user's complaints and where each stands; the way to file one."""
    return render(request, "complaints/mine.html", {
        "may_file": bool(selectors.complainant_options(request.user)),
        **page_of(selectors.complaints_of(request.user), request, per_page=30)})


@login_required
def complaint_new(request):
    options = selectors.complainant_options(request.user)
    if not options:
        raise Http404
    status = 200
    if request.method == "POST":
        form = ComplaintForm(request.POST, options=options)
        if form.is_valid():
            if too_many(f"complaint-file:{request.user.pk}", limit=FILE_LIMIT, window_seconds=FILE_WINDOW):
                form.add_error(None, _("You have filed several complaints within the hour: try again later."))
                status = 429
            else:
                try:
                    complaint = services.complaint_file(
                        author=request.user, training_body_id=form.cleaned_data["training_body"],
                        category=form.cleaned_data["category"], subject=form.cleaned_data["subject"],
                        text=form.cleaned_data["text"], submission_key=form.cleaned_data["submission_key"],
                        base_url=base_url(request))
                except DomainError as error:
                    form.add_error(error.field, error.message)
                else:
                    messages.success(request, _("Your complaint was sent. The training body will answer you here "
                                                "and by email."))
                    return redirect("complaint_mine", complaint.pk)
        status = status if status != 200 else 400
    else:
        form = ComplaintForm(options=options, initial={"training_body": next(iter(options))})
    return render(request, "complaints/new.html", {"form": form}, status=status)


@require_GET
@login_required
def complaint_mine(request, complaint_id):
    complaint = get_object_or_404(selectors.complaints_of(request.user), pk=complaint_id)
    return render(request, "complaints/detail.html", {"complaint": complaint, "staff": False})


@require_GET
@login_required
def register(request):
    """The register of the complaints filed with the bodies the user manages, open ones first."""
    if not training_bodies_managed_by(request.user).exists():
        raise PermissionDenied
    status = request.GET.get("statut", "")
    complaints = selectors.register_of(request.user)
    if status in ComplaintStatus.values:
        complaints = complaints.filter(status=status)
    counts = dict(selectors.register_of(request.user).order_by().values_list("status").annotate(n=Count("pk")))
    return render(request, "complaints/register.html", {
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in ComplaintStatus.choices],
        **page_of(complaints, request, per_page=50)})


@require_GET
@login_required
def register_csv(request):
    """The register as CSV for the auditor: every complaint with its dates, status and answer."""
    if not training_bodies_managed_by(request.user).exists():
        raise PermissionDenied
    with override("fr"):
        header = [_("Number"), _("Training body"), _("Received on"), _("Filed by"), _("As"), _("Practice"),
                  _("Category"), _("Subject"), _("Complaint"), _("Status"), _("Handled from"), _("Answered on"),
                  _("Answered by"), _("Answer")]
        rows = [[c.pk, c.training_body.name, long_date(timezone.localtime(c.created_at), "H:i"), c.author_name,
                 c.get_author_kind_display(), c.practice.name if c.practice else "", c.get_category_display(),
                 c.subject, c.text, c.get_status_display(),
                 long_date(timezone.localtime(c.taken_at), "H:i") if c.taken_at else "",
                 long_date(timezone.localtime(c.answered_at), "H:i") if c.answered_at else "",
                 (c.answered_by.get_full_name() or c.answered_by.email) if c.answered_by else "", c.answer]
                for c in selectors.register_of(request.user).order_by("created_at", "pk")]
        data = csv_bytes(header, rows)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registre-reclamations.csv"'
    return response


@login_required
def complaint_staff(request, complaint_id):
    """One complaint of the register: take it in hand, answer it (once; the answer is final)."""
    complaint = get_object_or_404(selectors.register_of(request.user), pk=complaint_id)
    form = AnswerForm()
    if request.method == "POST":
        if request.POST.get("action") == "take":
            services.complaint_take(complaint=complaint)
            messages.success(request, _("The complaint is being handled."))
            return redirect("complaint_staff", complaint.pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.complaint_answer(complaint=complaint, by=request.user, answer=form.cleaned_data["answer"],
                                          base_url=base_url(request))
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Your answer was sent to the complainant."))
                return redirect("complaint_staff", complaint.pk)
    return render(request, "complaints/detail.html", {"complaint": complaint, "staff": True, "form": form},
                  status=400 if form.errors else 200)
