"""Training bodies and their staff, practices and their doctors, employments, invitations."""
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import EntryProfile
from lms.core.display import long_date


def validate_siret(value):
    """A SIRET: 14 digits whose Luhn checksum holds (La Poste's establishments, SIREN 356000000, sum to 5)."""
    if not (len(value) == 14 and value.isascii() and value.isdigit()):
        raise ValidationError(_("A SIRET number has 14 digits."), code="siret_format")
    digits = [int(c) for c in value]
    total = sum(d if i % 2 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    if total % 10 and not (value.startswith("356000000") and sum(digits) % 5 == 0):
        raise ValidationError(_("This SIRET number is not valid: check its digits."), code="siret_checksum")


class QualiopiCategory(models.TextChoices):
    """The categories of action a Qualiopi certificate covers (Code du travail L6313-1)."""

    TRAINING = "training", _("Training actions")
    SKILLS_ASSESSMENT = "skills_assessment", _("Skills assessments")
    VAE = "vae", _("Validation of acquired experience (VAE)")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship training actions")


class TrainingBody(models.Model):
    """An *organisme de formation*: authors tracks, runs cohorts, issues certificates."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    registration_number = models.CharField(
        _("registration number"), max_length=32, blank=True,
        help_text=_("Activity declaration number (NDA)."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    # The legal identity printed on attestations and attendance records (lms.organisations.identity).
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True,
                                  help_text=_("As registered (raison sociale), if it differs from the usual name."))
    address = models.TextField(_("address"), max_length=400, blank=True)
    siret = models.CharField(_("SIRET number"), max_length=14, blank=True, validators=[validate_siret],
                             help_text=_("14 digits."))
    registration_region = models.CharField(
        _("region of the activity declaration"), max_length=80, blank=True,
        help_text=_("The region whose prefect registered the declaration (for example Île-de-France)."))
    qualiopi_number = models.CharField(_("Qualiopi certificate number"), max_length=64, blank=True)
    qualiopi_certifier = models.CharField(_("Qualiopi certifier"), max_length=120, blank=True,
                                          help_text=_("The certification body that issued the certificate."))
    qualiopi_category = models.CharField(_("Qualiopi action category"), max_length=32, blank=True,
                                         choices=QualiopiCategory.choices)
    logo = models.ImageField(_("logo"), upload_to="training-bodies/", blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True,
                                      help_text=_("The manager who signs the certificates."))
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    signature = models.ImageField(_("signature image"), upload_to="training-bodies/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training body")
        verbose_name_plural = _("training bodies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class StaffRole(models.TextChoices):
    AUTHOR = "author", _("Author")
    TUTOR = "tutor", _("Tutor")
    MANAGER = "manager", _("Manager")


class TrainingBodyMembership(models.Model):
    """A staff member of a training body, with their role."""

    training_body = models.ForeignKey(TrainingBody, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_body_memberships")
    role = models.CharField(_("role"), max_length=16, choices=StaffRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training body staff member")
        verbose_name_plural = _("training body staff members")
        constraints = [models.UniqueConstraint(fields=["training_body", "user"], name="unique_training_body_member")]

    def __str__(self):
        return f"{self.user} — {self.training_body} ({self.get_role_display()})"


class Practice(models.Model):
    """A *cabinet*: the doctors who employ one or more medical assistants."""

    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PracticeMembership(models.Model):
    """A doctor (or practice manager) who acts for the practice on the platform."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice member")
        verbose_name_plural = _("practice members")
        constraints = [models.UniqueConstraint(fields=["practice", "user"], name="unique_practice_member")]

    def __str__(self):
        return f"{self.user} — {self.practice}"


class WorkingTime(models.TextChoices):
    THIRD = "third", _("One third of full time")
    HALF = "half", _("Half time")
    FULL = "full", _("Full time")


class Employment(models.Model):
    """A trainee employed by a practice as medical assistant; the hire date starts the two deadlines."""

    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employments")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="employments")
    hired_on = models.DateField(_("hire date"))
    working_time = models.CharField(_("working time"), max_length=8, choices=WorkingTime.choices)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["-hired_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("hired_on")),
                name="employment_ends_after_hire",
            ),
        ]

    def __str__(self):
        return f"{self.trainee} — {self.practice} ({long_date(self.hired_on)})"


class InvitationKind(models.TextChoices):
    ASSISTANT = "assistant", _("Medical assistant of a practice")
    STAFF = "staff", _("Training body staff")
    TRAINEE = "trainee", _("Trainee of a training body")


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An emailed invitation; the link expires and works once. Only the token's hash is stored."""

    kind = models.CharField(_("kind"), max_length=16, choices=InvitationKind.choices)
    email = models.EmailField(_("email address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    training_body = models.ForeignKey(TrainingBody, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    practice = models.ForeignKey(Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=16, choices=StaffRole.choices, blank=True)
    entry_profile = models.CharField(_("entry profile"), max_length=32, choices=EntryProfile.choices, blank=True)
    hired_on = models.DateField(_("hire date"), null=True, blank=True)
    working_time = models.CharField(_("working time"), max_length=8, choices=WorkingTime.choices, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="assistant", practice__isnull=False, training_body__isnull=True)
                    | Q(kind__in=["staff", "trainee"], training_body__isnull=False, practice__isnull=True)
                ),
                name="invitation_has_its_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.email}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @property
    def organisation(self):
        return self.practice or self.training_body

    def status(self, now=None):
        now = now or timezone.now()
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"
