from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "lms.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        # In ready(): models may be imported only once the app registry is loaded.
        from lms.catalog.loader import AssessmentLoader, register_assessment_loader
        from lms.learning.attendance import register_attempt_time
        from lms.learning.realised import TimeSource, register_time_source
        from lms.quizzes.content import dump_bank, dump_quiz, upsert_bank, upsert_quiz, validate_questions
        from lms.quizzes.services import attempts_seconds, attempts_time_add

        register_assessment_loader(AssessmentLoader(validate=validate_questions, upsert=upsert_quiz, dump=dump_quiz,
                                                    upsert_bank=upsert_bank, dump_bank=dump_bank))
        register_attempt_time(attempts_time_add)  # the attempt pages' heartbeats, once settled
        register_time_source(TimeSource("quizzes", _("Quizzes and assessments (active time)"), attempts_seconds))
