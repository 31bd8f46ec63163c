"""Print, as JSON, the size of each track as stored in the database."""
import json
import statistics

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.html import strip_tags

from lms.catalog.models import LessonPage, ModulePage, TrackPage


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
                "quizzes": 0, "questions": 0,
            }
            if apps.is_installed("lms.quizzes"):
                from lms.quizzes.selectors import quiz_stats

                entry.update(quiz_stats(track))
            result[track.slug] = entry
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
