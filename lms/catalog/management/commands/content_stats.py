"""Print, as JSON, the size of each track as stored in the database."""
import json
import statistics

from django.core.management.base import BaseCommand
from django.utils.html import strip_tags

from lms.catalog.models import LessonPage, ModulePage, TrackPage, assessment_page_models


class Command(BaseCommand):
    help = "Counts per track: modules, lessons, words per lesson (min/median), quizzes, questions."

    def handle(self, *args, **options):
        result = {}
        for track in TrackPage.objects.live().order_by("path"):
            words = [len(strip_tags(str(lesson.body.render_as_block())).split())
                     for lesson in LessonPage.objects.live().descendant_of(track)]
            entry = {
                "title": track.title,
                "modules": ModulePage.objects.live().child_of(track).count(),
                "lessons": len(words),
                "words_per_lesson_min": min(words, default=0),
                "words_per_lesson_median": statistics.median(words) if words else 0,
            }
            entry.update(_assessment_stats(track))
            result[track.slug] = entry
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))


def _assessment_stats(track):
    """Quizzes under the track (module quizzes and final assessment) and their questions."""
    quizzes = [page for model in assessment_page_models() for page in model.objects.live().descendant_of(track)]
    return {"quizzes": len(quizzes), "questions": sum(q.question_count for q in quizzes),
            "final_assessment_questions": sum(q.question_count for q in quizzes if q.depth == track.depth + 1),
            "min_questions_per_module_quiz": min((q.question_count for q in quizzes if q.depth > track.depth + 1),
                                                 default=0)}
