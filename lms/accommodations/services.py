"""Writes of the accommodations: the managers name the body's referent; the referent sets a trainee's
accommodation, kept with a line of history, and the trainee is told by email that it changed (without its
content: the email may be read by others, the platform page is private)."""
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.accommodations.models import Accommodation, AccommodationChange, DisabilityReferent
from lms.accommodations.selectors import is_referent
from lms.core.errors import DomainError
from lms.core.mail import send_on_commit
from lms.organisations.models import TrainingBodyMembership


def referent_name(*, training_body, user, by, email="", phone="", contact="", now=None):
    """Name `user` (a staff member of the body) its disability referent, with the contact shown to trainees;
    replaces the previous one."""
    if not TrainingBodyMembership.objects.filter(training_body=training_body, user=user).exists():
        raise DomainError(_("The referent must be a staff member of the training body."), field="user")
    with transaction.atomic():
        referent, _created = DisabilityReferent.objects.update_or_create(
            training_body=training_body,
            defaults={"user": user, "email": email, "phone": phone, "contact": contact, "named_by": by,
                      "named_at": now or timezone.now()})
    return referent


def accommodation_set(*, training_body, trainee, by, extra_time_percent, extra_duration_percent, note, base_url,
                      now=None):
    """Create or change the trainee's accommodation with the body; only its referent may. The change is recorded
    and the trainee told once it commits (nothing is sent when nothing changed)."""
    if not is_referent(by, training_body.pk):
        raise DomainError(_("Only the disability referent of the training body sets accommodations."))
    if not trainee.enrolments.filter(training_body=training_body).exists():
        raise DomainError(_("This person is not a learner of the training body."))
    now = now or timezone.now()
    with transaction.atomic():
        accommodation = (Accommodation.objects.select_for_update()
                         .filter(training_body=training_body, trainee=trainee).first())
        if accommodation is None:
            accommodation = Accommodation(training_body=training_body, trainee=trainee)
            changed, note_changed = True, bool(note)
        else:
            note_changed = accommodation.note != note
            changed = note_changed or (accommodation.extra_time_percent, accommodation.extra_duration_percent) != (
                extra_time_percent, extra_duration_percent)
        if not changed:
            return accommodation
        accommodation.extra_time_percent = extra_time_percent
        accommodation.extra_duration_percent = extra_duration_percent
        accommodation.note, accommodation.set_by, accommodation.updated_at = note, by, now
        accommodation.save()
        AccommodationChange.objects.create(accommodation=accommodation, changed_by=by, changed_at=now,
                                           extra_time_percent=extra_time_percent,
                                           extra_duration_percent=extra_duration_percent, note_changed=note_changed)
        if trainee.is_active:
            with override("fr"):
                send_on_commit(_("[%(site)s] Your accommodations were updated") % {"site": settings.LMS_SITE_NAME},
                               "accommodations/email/updated.txt",
                               {"body": training_body.name,
                                "url": base_url.rstrip("/") + reverse("my_accommodations")},
                               [trainee.email])
    return accommodation
