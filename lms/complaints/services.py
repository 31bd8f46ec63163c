"""Writes of the complaints register: filed by a trainee or an employer, taken in hand and answered by a manager
of the body; each in a transaction, the emails sent once it commits. A double submit files once."""
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.complaints.models import Complaint, ComplaintStatus
from lms.complaints.selectors import complainant_options
from lms.core.errors import DomainError
from lms.core.mail import send_on_commit
from lms.organisations.models import StaffRole
from lms.organisations.selectors import staff_of


def complaint_file(*, author, training_body_id, category, subject, text, submission_key, base_url, now=None):
    """A complaint filed by `author` with one of the bodies they may complain to; its managers hear of it and the
    author gets an acknowledgement. The same `submission_key` again returns the complaint it filed."""
    option = complainant_options(author).get(training_body_id)
    if option is None:
        raise DomainError(_("You cannot file a complaint with this training body."), field="training_body")
    existing = Complaint.objects.filter(author=author, submission_key=submission_key).first()
    if existing is not None:
        return existing
    body, kind, practice = option
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                training_body=body, author=author, author_name=author.get_full_name() or author.email,
                author_kind=kind, practice=practice, category=category, subject=subject, text=text,
                created_at=now or timezone.now(), submission_key=submission_key)
    except IntegrityError:  # the same form, submitted twice at once: the first one won
        return Complaint.objects.get(author=author, submission_key=submission_key)
    managers = [m.user.email for m in staff_of(body) if m.role == StaffRole.MANAGER and m.user.is_active]
    with override("fr"):
        context = {"complaint": complaint, "body": body.name,
                   "url": base_url.rstrip("/") + reverse("complaint_staff", args=[complaint.pk])}
        send_on_commit(_("[%(site)s] New complaint: %(subject)s") % {"site": settings.LMS_SITE_NAME,
                                                                       "subject": subject},
                        "complaints/email/to_managers.txt", context, managers)
        context["url"] = base_url.rstrip("/") + reverse("complaint_mine", args=[complaint.pk])
        send_on_commit(_("[%(site)s] Your complaint was received") % {"site": settings.LMS_SITE_NAME},
                        "complaints/email/received.txt", context, [author.email])
    return complaint


def complaint_take(*, complaint, now=None):
    """A manager takes the complaint in hand (from 'received' to 'being handled'); nothing if already done."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status == ComplaintStatus.RECEIVED:
            complaint.status, complaint.taken_at = ComplaintStatus.IN_PROGRESS, now or timezone.now()
            complaint.save(update_fields=["status", "taken_at"])
    return complaint


def complaint_answer(*, complaint, by, answer, base_url, now=None):
    """A manager answers: the answer and its date are kept, the author is told. An answer is final (the register
    shows what was answered and when): a complaint answered already is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update(of=("self",)).select_related("author").get(pk=complaint.pk)
        if complaint.status == ComplaintStatus.ANSWERED:
            raise DomainError(_("This complaint was answered already."), field="answer")
        complaint.status, complaint.answer, complaint.answered_at, complaint.answered_by = (
            ComplaintStatus.ANSWERED, answer, now, by)
        complaint.taken_at = complaint.taken_at or now
        complaint.save(update_fields=["status", "answer", "answered_at", "answered_by", "taken_at"])
    author = complaint.author
    if author is not None and author.is_active:
        with override("fr"):
            send_on_commit(_("[%(site)s] Answer to your complaint") % {"site": settings.LMS_SITE_NAME},
                            "complaints/email/answered.txt",
                            {"complaint": complaint, "body": complaint.training_body.name,
                             "url": base_url.rstrip("/") + reverse("complaint_mine", args=[complaint.pk])},
                            [author.email])
    return complaint
