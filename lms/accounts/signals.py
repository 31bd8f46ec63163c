"""What the accounts app does when someone logs in."""
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def inactivity_warning_cleared(sender, user, **kwargs):
    """A login shows the account is used: the warning before deleting an unused account no longer holds."""
    if getattr(user, "inactivity_warned_at", None) is not None:
        type(user).objects.filter(pk=user.pk).update(inactivity_warned_at=None)
        user.inactivity_warned_at = None
