"""The pages of a training body's staff space, as one list: the sub-navigation of every staff page and the cards
of 'Mon espace' both read it, so that they never disagree.

The pages live in several apps (learning, certificates, support, reports); this list only names their URLs, and
says which staff roles may open each one — the same roles as each view checks (a tutor does not manage the team).
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lms.organisations.models import StaffRole, TrainingBodyMembership

ALL_ROLES = frozenset(StaffRole.values)
ENROLLING = frozenset({StaffRole.MANAGER, StaffRole.TUTOR})
MANAGERS = frozenset({StaffRole.MANAGER})


@dataclass(frozen=True)
class StaffPage:
    """One entry of the staff space: its URL name, label, one-line description, the roles that may open it, and
    the URL names of the pages under it (the entry is marked current there too)."""

    url_name: str
    label: str
    description: str
    roles: frozenset = ALL_ROLES
    under: tuple = ()


STAFF_PAGES = (
    StaffPage("enrolment_list", _("Learners"),
              _("Every learner with their track, progress and pace; enrol one or import a CSV file."),
              under=("enrolment_create", "enrolment_import", "enrolment_withdraw", "qualification_result",
                     "learner_detail")),
    StaffPage("exemption_list", _("Exemptions"),
              _("Modules your learners may skip after their positioning test: confirm or refuse each, with a reason."),
              roles=ENROLLING, under=("exemption_decide",)),
    StaffPage("training_body_deadlines", _("Learners at risk"),
              _("Learners behind their planned pace or near a legal deadline, with the reason for each.")),
    StaffPage("cohort_list", _("Cohorts"), _("The sessions of your tracks, their dates, place and tutors."),
              under=("cohort_detail",)),
    StaffPage("certificate_list", _("Certificates"),
              _("Attestations issued to your learners: verify, revoke or issue again, export."),
              under=("certificate_detail", "certificate_revoke", "certificate_reissue")),
    StaffPage("support_inbox", _("Learners' questions"), _("Questions asked from lessons and quiz results."),
              roles=ENROLLING, under=("support_thread",)),
    StaffPage("survey_results", _("Satisfaction"),
              _("What learners think at the end of their track and three months later: rates, averages, comments.")),
    StaffPage("complaint_register", _("Complaints"),
              _("The register of the complaints of learners and employers: take each in hand, answer, export."),
              roles=MANAGERS, under=("complaint_staff",)),
    # Every staff member reads who the referent is; managers name them, the referent sets the accommodations.
    StaffPage("accommodation_home", _("Disability"),
              _("The disability referent and, for the referent, the learners' accommodations."),
              under=("accommodation_edit",)),
    StaffPage("training_body_home", _("Team"), _("Your training body's staff and their roles."),
              under=("training_body_identity",)),
    StaffPage("training_body_invite", _("Invitations"),
              _("Invite a staff member or a trainee; follow the invitations waiting for an answer."), roles=MANAGERS),
)


def staff_roles(user):
    """The roles the user holds in any training body (one query); empty for anyone who is not staff."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(TrainingBodyMembership.objects.filter(user_id=user.pk).values_list("role", flat=True))


def staff_pages_for(roles):
    """The staff pages one of `roles` (any iterable) may open, in the navigation's order."""
    roles = set(roles)
    return [page for page in STAFF_PAGES if page.roles & roles]


def current_state(page, url_name):
    """The entry's aria-current value on the page named `url_name`: "page" on it, "true" under it, else None."""
    if url_name == page.url_name:
        return "page"
    if url_name in page.under:
        return "true"
    return None
