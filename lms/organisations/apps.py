from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "lms.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        # In ready(): models may be imported only once the app registry is loaded.
        from lms.core.cache import TRAINEES_SCOPE, trainee_scope, watch_rows
        from lms.organisations.models import Employment, Practice, TrainingBody

        # What the trainees' own pages show of these rows (lms.core.cache): every trainee's page names training
        # bodies and practices; a trainee's page states the deadlines of their own employments.
        watch_rows(TrainingBody, lambda row: [TRAINEES_SCOPE])
        watch_rows(Practice, lambda row: [TRAINEES_SCOPE])
        watch_rows(Employment, lambda row: [trainee_scope(row.trainee_id)])
