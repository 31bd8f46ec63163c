"""What the accounts app does when someone logs in; the trainee's profile on their own pages."""
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from lms.accounts.models import TraineeProfile
from lms.core.cache import trainee_scope, watch_rows

# the entry profile chooses the deadline rule set that a trainee's own page applies (lms.core.cache)
watch_rows(TraineeProfile, lambda row: [trainee_scope(row.user_id)])


@receiver(user_logged_in)
def inactivity_warning_cleared(sender, user, **kwargs):
    """A login shows the account is used: the warning before deleting an unused account no longer holds."""
    if getattr(user, "inactivity_warned_at", None) is not None:
        type(user).objects.filter(pk=user.pk).update(inactivity_warned_at=None)
        user.inactivity_warned_at = None
