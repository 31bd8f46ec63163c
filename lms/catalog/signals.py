"""Keep Wagtail authoring in step with organisations: a new training body gets its subtree, staff their groups."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from lms.catalog.authoring import staff_groups_sync, training_body_setup
from lms.catalog.models import MEDIA_SCOPE
from lms.core.cache import invalidate
from lms.organisations.models import TrainingBody, TrainingBodyMembership


@receiver(post_save, sender=get_image_model())
@receiver(post_delete, sender=get_image_model())
@receiver(post_save, sender=get_document_model())
@receiver(post_delete, sender=get_document_model())
def _media_changed(sender, raw=False, **kwargs):
    """An image or document replaced, renamed or deleted: lesson bodies are rendered again on every node."""
    if not raw:
        invalidate([MEDIA_SCOPE])


@receiver(post_save, sender=TrainingBody)
def _training_body_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    training_body_setup(instance)


@receiver(post_save, sender=TrainingBodyMembership)
@receiver(post_delete, sender=TrainingBodyMembership)
def _membership_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    staff_groups_sync(instance.user)
