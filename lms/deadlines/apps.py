from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "lms.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        # In ready(): models may be imported only once the app registry is loaded.
        from lms.core.cache import trainee_scope, watch_rows
        from lms.deadlines.models import DeadlineRuleSet, DeclaredTraining
        from lms.deadlines.selectors import forget_rule_sets

        def rules_changed(sender, **kwargs):
            forget_rule_sets()

        post_save.connect(rules_changed, sender=DeadlineRuleSet, weak=False, dispatch_uid="deadline-rules-saved")
        post_delete.connect(rules_changed, sender=DeadlineRuleSet, weak=False, dispatch_uid="deadline-rules-deleted")
        # the trainee's own page shows their declarations (lms.core.cache)
        watch_rows(DeclaredTraining, lambda row: [trainee_scope(row.trainee_id)])
