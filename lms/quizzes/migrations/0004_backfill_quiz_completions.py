"""Record in learning's QuizCompletion every quiz already passed (its first passing attempt), so that progress,
completion and the deadline tables read learning's record instead of this app's attempts."""
from django.db import migrations
from django.db.models import Min


def backfill(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    QuizCompletion = apps.get_model("learning", "QuizCompletion")
    first_passes = (Attempt.objects.filter(passed=True).order_by().values("enrolment_id", "quiz_id")
                    .annotate(first=Min("submitted_at")).values_list("enrolment_id", "quiz_id", "first"))
    QuizCompletion.objects.bulk_create(
        [QuizCompletion(enrolment_id=enrolment_id, quiz_id=quiz_id, completed_at=first)  # a pass is submitted
         for enrolment_id, quiz_id, first in first_passes.iterator()],
        batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0003_attempt_active_seconds"),
        ("learning", "0007_quizcompletion"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
