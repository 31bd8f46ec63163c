"""The user (email login) and the trainee's profile."""
import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with their email address."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # A stable, opaque identifier for traces sent outside (xAPI actor): never the email.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Erased (by the person or for inactivity): the account holds only the name kept with the evidence still under
    # its legal retention period (lms.reports.personal_data.account_erase), and goes when that period ends.
    erased_at = models.DateTimeField(_("account deleted at"), null=True, blank=True, editable=False)
    # The warning sent before an unused account is deleted (lms.reports.retention); a login clears it.
    inactivity_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class EntryProfile(models.TextChoices):
    """Profiles a trainee enters with; secretaries take the short track, every other profile the long one."""

    SECRETARY = "secretary", _("Medical secretary")
    CARE_ASSISTANT = "care_assistant", _("Care assistant (DEAS)")
    CHILDCARE_ASSISTANT = "childcare_assistant", _("Children's care assistant (DEAP)")
    NURSE = "nurse", _("Nurse (DEI)")
    OTHER = "other", _("Other profile (non-caregiver)")


class TraineeProfile(models.Model):
    """What makes a user a trainee: their entry profile."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="trainee_profile")
    entry_profile = models.CharField(_("entry profile"), max_length=32, choices=EntryProfile.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")

    def __str__(self):
        return f"{self.user} ({self.get_entry_profile_display()})"


