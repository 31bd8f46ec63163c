from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccommodationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lms.accommodations"
    verbose_name = _("Accommodations for disability")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        # In ready(): models may be imported only once the app registry is loaded.
        from lms.accommodations.models import Accommodation, DisabilityReferent
        from lms.core.cache import TRAINEES_SCOPE, invalidate, trainee_scope, watch_rows

        # What the trainees' own pages show (lms.core.cache): every trainee's page gives their body's referent, with
        # the name and email of the referent's account; an accommodation lengthens one trainee's planned duration.
        watch_rows(DisabilityReferent, lambda row: [TRAINEES_SCOPE])
        watch_rows(Accommodation, lambda row: [trainee_scope(row.trainee_id)])

        def account_changed(sender, instance, raw=False, update_fields=None, **kwargs):
            shown = {"first_name", "last_name", "email"}
            if raw or (update_fields is not None and not shown & set(update_fields)):
                return  # a login (last_login), a password: nothing a trainee's page shows
            if DisabilityReferent.objects.filter(user_id=instance.pk).exists():
                invalidate([TRAINEES_SCOPE], using=kwargs.get("using"))

        post_save.connect(account_changed, sender=get_user_model(), weak=False, dispatch_uid="referent-account-saved")
