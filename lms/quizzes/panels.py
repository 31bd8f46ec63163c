"""The final assessment's editor shows the pool it draws from: its own questions and each module's bank."""
from django.urls import reverse
from wagtail.admin.panels import Panel

from lms.catalog.models import ModulePage


class QuestionPoolPanel(Panel):
    """How many questions an attempt draws from, and from which module banks (each with a link to edit it)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "quizzes/admin/question_pool_panel.html"

        def is_shown(self):
            return bool(self.instance.pk and self.instance.include_module_questions)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            banks = page.module_banks()
            titles = dict(ModulePage.objects.filter(path__in=[bank.path[:-bank.steplen] for bank in banks])
                          .values_list("path", "title"))
            rows = [{"module": titles.get(bank.path[:-bank.steplen], bank.title), "count": len(bank.questions),
                     # an alias is edited through its original, in the track that holds the module's pages
                     "edit_url": reverse("wagtailadmin_pages:edit", args=[bank.alias_of_id or bank.pk])}
                    for bank in banks]
            own = len(page.questions)
            context.update(rows=rows, own=own, total=own + sum(row["count"] for row in rows))
            return context
