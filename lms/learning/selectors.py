"""Reads of learning data shared by the trainee's pages, staff pages and later dashboards."""
from django.apps import apps
from django.core.cache import cache

from lms.catalog.models import LessonPage, ModulePage, TrackPage
from lms.learning.models import Enrolment, EnrolmentStatus, LessonCompletion
from lms.learning.progress import LessonItem, ModuleItem, QuizItem, TrackStructure

STRUCTURE_CACHE_SECONDS = 3600


def structure_cache_key(track_id):
    return f"track-structure:{track_id}"


def track_structure(track) -> TrackStructure:
    """Modules, lessons and quizzes of a track in a constant number of queries (cached; cleared on publish)."""
    key = structure_cache_key(track.pk)
    structure = cache.get(key)
    if structure is None:
        structure = _build_structure(track)
        cache.set(key, structure, STRUCTURE_CACHE_SECONDS)
    return structure


def _build_structure(track):
    modules = list(ModulePage.objects.live().child_of(track).order_by("path").only("id", "title", "summary", "path", "url_path"))
    lessons = list(LessonPage.objects.live().descendant_of(track).order_by("path")
                   .only("id", "title", "path", "url_path", "duration_minutes", "depth"))
    quizzes = _quizzes_under(track)
    final = next((q for q in quizzes if q.depth == track.depth + 1), None)

    def url(page):
        return page.get_url()

    items = []
    for module in modules:
        module_lessons = tuple(LessonItem(lesson.id, lesson.title, url(lesson), lesson.duration_minutes)
                               for lesson in lessons if lesson.path.startswith(module.path))
        quiz = next((q for q in quizzes if q.path.startswith(module.path) and q.depth == module.depth + 1), None)
        items.append(ModuleItem(module.id, module.title, module.summary, module_lessons,
                                QuizItem(quiz.id, quiz.title, url(quiz)) if quiz else None))
    return TrackStructure(track.pk, tuple(items), QuizItem(final.id, final.title, url(final)) if final else None)


def _quizzes_under(track):
    if not apps.is_installed("lms.quizzes"):
        return []
    QuizPage = apps.get_model("quizzes", "QuizPage")
    return list(QuizPage.objects.live().descendant_of(track).order_by("path").only("id", "title", "path", "url_path", "depth"))


def active_enrolment(user, track_id):
    """The user's enrolment in the track, if active or completed (withdrawn learners lose access)."""
    if not user.is_authenticated:
        return None
    return (Enrolment.objects.filter(trainee=user, track_id=track_id)
            .exclude(status=EnrolmentStatus.WITHDRAWN).select_related("cohort").first())


def enrolments_of(user):
    return (Enrolment.objects.filter(trainee=user).exclude(status=EnrolmentStatus.WITHDRAWN)
            .select_related("track", "cohort", "training_body").order_by("-enrolled_at"))


def completed_lesson_ids(enrolment):
    return set(LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True))


def passed_quiz_ids(enrolment):
    """Quizzes the trainee passed in this enrolment (filled in by the quiz engine)."""
    if not apps.is_installed("lms.quizzes"):
        return set()
    from lms.quizzes.selectors import passed_quiz_ids as quiz_passed_ids

    return quiz_passed_ids(enrolment)


def track_of(page):
    """The track a page (module, lesson or quiz) belongs to."""
    return TrackPage.objects.ancestor_of(page).first()
