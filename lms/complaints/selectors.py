"""Who may file a complaint with which training body, and who reads which complaints.

A trainee complains to a body that enrolled them; an employer to a body that enrolled one of the assistants of
their practice. A complaint is read by its author and by the managers of the body it was filed with; nobody else.
"""
from django.contrib.auth.models import AnonymousUser

from lms.complaints.models import AuthorKind, Complaint
from lms.learning.models import Enrolment
from lms.organisations.models import TrainingBody
from lms.organisations.selectors import employments_of_practices, training_bodies_managed_by


def complainant_options(user):
    """{training body id: (body, author kind, practice or None)} for the bodies the user may complain to; as a
    trainee first when the user is both."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return {}
    options = {}
    own = Enrolment.objects.filter(trainee=user).values_list("training_body_id", flat=True)
    for body in TrainingBody.objects.filter(pk__in=own).order_by("name"):
        options[body.pk] = (body, AuthorKind.TRAINEE, None)
    employments = list(employments_of_practices(user))
    practice_of_trainee = {e.trainee_id: e.practice for e in employments}
    rows = (Enrolment.objects.filter(trainee_id__in=practice_of_trainee).select_related("training_body")
            .order_by("training_body__name"))
    for enrolment in rows:
        options.setdefault(enrolment.training_body_id, (enrolment.training_body, AuthorKind.EMPLOYER,
                                                        practice_of_trainee[enrolment.trainee_id]))
    return options


def complaints_of(user):
    """The complaints the user filed."""
    return Complaint.objects.filter(author=user).select_related("training_body")


def register_of(user):
    """The complaints filed with the bodies the user manages: the register."""
    return (Complaint.objects.filter(training_body__in=training_bodies_managed_by(user))
            .select_related("training_body", "practice", "answered_by"))
