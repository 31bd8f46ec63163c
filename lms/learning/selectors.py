"""Reads of learning data shared by the trainee's pages, staff pages and later dashboards."""
import functools
import uuid

from django.db.models import Value
from django.http import Http404
from django.urls import reverse

from lms.catalog.models import LessonPage, ModulePage, TrackPage, assessment_page_models
from lms.core.cache import shared_get
from lms.core.prepared import Prepared, raw_statement
from lms.learning.models import (Enrolment, EnrolmentOffer, EnrolmentStatus, LessonCompletion, OfferStatus,
                                 QuizCompletion)
from lms.learning.progress import LessonItem, ModuleItem, QuizItem, TrackStructure

STRUCTURE_CACHE_SECONDS = 3600
TRACK_DEPTH = 4  # root → catalogue → training body → track


STRUCTURE_FORMAT = 2  # bump when TrackStructure changes shape, so that no process reads an old pickle


def structure_cache_key(track_id):
    return f"track-structure:v{STRUCTURE_FORMAT}:{track_id}"


def track_structure(track_or_id) -> TrackStructure | None:
    """A track's description, modules, lessons and quizzes in a constant number of queries.

    Cached in the shared cache and in each process (lms.core.cache), forgotten when a page of the track is
    published, unpublished, moved or deleted.
    Returns None for an unknown or unpublished track.
    """
    track_id = getattr(track_or_id, "pk", track_or_id)

    def build():
        track = track_or_id if isinstance(track_or_id, TrackPage) else TrackPage.objects.live().filter(pk=track_id).first()
        return _build_structure(track) if track is not None and track.live else None

    return shared_get(structure_cache_key(track_id), build, timeout=STRUCTURE_CACHE_SECONDS)


def _build_structure(track):
    modules = list(ModulePage.objects.live().child_of(track).order_by("path").only("id", "title", "summary", "path", "url_path"))
    lessons = list(LessonPage.objects.live().descendant_of(track).order_by("path")
                   .only("id", "title", "path", "url_path", "duration_minutes", "depth"))
    quizzes = _quizzes_under(track)
    final = next((q for q in quizzes if q.depth == track.depth + 1), None)

    def quiz_item(page):
        return QuizItem(page.id, page.title, reverse("quiz", args=[page.pk]), page.question_count)

    items = []
    for module in modules:
        module_lessons = tuple(LessonItem(lesson.id, lesson.title, reverse("lesson", args=[lesson.id]),
                                          lesson.duration_minutes)
                               for lesson in lessons if lesson.path.startswith(module.path))
        quiz = next((q for q in quizzes if q.path.startswith(module.path) and q.depth == module.depth + 1), None)
        items.append(ModuleItem(module.id, module.title, module.summary, module_lessons,
                                quiz_item(quiz) if quiz else None))
    return TrackStructure(
        track.pk, tuple(items), quiz_item(final) if final else None,
        title=track.title, url=reverse("track_outline", args=[track.pk]), summary=track.summary,
        objectives=tuple(track.objectives_list), duration_value=track.duration_value, duration_unit=track.duration_unit,
        nominal_hours=float(track.nominal_hours), training_body_id=track.training_body_id, version=uuid.uuid4().hex,
    )


def _quizzes_under(track):
    """The live assessment pages under the track (catalog's AssessmentPage: the quizzes app's QuizPage), by path.

    One query per assessment page model (one today), on the concrete model: no `.specific()` round trip.
    """
    pages = [page for model in assessment_page_models()
             for page in model.objects.live().descendant_of(track).order_by("path")]
    return sorted(pages, key=lambda page: page.path)


def active_enrolment(user, track_id):
    """The user's enrolment in the track, if active or completed (withdrawn learners lose access)."""
    if not user.is_authenticated:
        return None
    rows = _ACTIVE_ENROLMENT(trainee_id=user.pk, track_id=int(track_id))
    return rows[0] if rows else None


_ACTIVE_ENROLMENT = Prepared(
    lambda trainee_id, track_id: (Enrolment.objects.filter(trainee_id=trainee_id, track_id=track_id)
                                  .exclude(status=EnrolmentStatus.WITHDRAWN).select_related("cohort")
                                  .order_by("pk")[:1]),
    trainee_id=int, track_id=int)


@functools.cache
def _reader_sql(page_model, fields, with_lesson_done):
    """One query for a track page, the reader's enrolment in its track and (for a lesson) its done flag."""
    own = "".join(f"own.{page_model._meta.get_field(name).column}, " for name in fields)
    done = (f"EXISTS (SELECT 1 FROM {LessonCompletion._meta.db_table} done "
            "WHERE done.enrolment_id = enrolment.id AND done.lesson_id = own.page_ptr_id)") if with_lesson_done else "0"
    return f"""
SELECT own.page_ptr_id, {own}page.title, page.path, page.latest_revision_id, page.last_published_at,
       enrolment.id AS enrolment_id, enrolment.track_id AS enrolment_track_id, enrolment.status AS enrolment_status,
       {done} AS lesson_done
FROM {page_model._meta.db_table} own
JOIN wagtailcore_page page ON page.id = own.page_ptr_id
LEFT JOIN wagtailcore_page track ON track.path = SUBSTR(page.path, 1, %s)
LEFT JOIN {Enrolment._meta.db_table} enrolment
       ON enrolment.track_id = track.id AND enrolment.trainee_id = %s AND enrolment.status <> %s
WHERE own.page_ptr_id = %s AND page.live
ORDER BY enrolment.id"""


def page_for_reader(page_model, user, page_id, fields=(), *, with_lesson_done=False):
    """(live page with `fields`, the user's enrolment in its track or None, lesson done?); 404 if not live.

    The lesson and quiz pages are the most read pages: this is the same answer as a page query, then
    enrolment_for_page (and a completion lookup for a lesson), in one plain query instead of two or three
    ORM queries, which cost about ten times as much here. The page's other fields load on access.
    """
    sql = _reader_sql(page_model, tuple(fields), with_lesson_done)
    rows = list(raw_statement(page_model, sql, [TrackPage.steplen * TRACK_DEPTH, user.pk, str(EnrolmentStatus.WITHDRAWN),
                                                int(page_id)])[:1])
    if not rows:
        raise Http404
    page = rows[0]
    if page.enrolment_id is None:
        return page, None, False
    known = {"id": page.enrolment_id, "trainee_id": user.pk, "track_id": page.enrolment_track_id,
             "status": page.enrolment_status}
    names = [field.attname for field in Enrolment._meta.concrete_fields if field.attname in known]  # model order
    enrolment = Enrolment.from_db(Enrolment.objects.db, names, [known[name] for name in names])
    return page, enrolment, bool(page.lesson_done)


def lesson_for_reader(user, lesson_id):
    """(lesson without its body, the user's enrolment in its track or None, lesson done?); 404 if not live."""
    return page_for_reader(LessonPage, user, lesson_id, ("duration_minutes",), with_lesson_done=True)


def enrolment_for_page(user, page):
    """The user's enrolment in the track that contains `page` (found by tree path, one query)."""
    rows = list(Enrolment.objects.filter(trainee=user, track__path=page.path[: TrackPage.steplen * TRACK_DEPTH])
                .exclude(status=EnrolmentStatus.WITHDRAWN).only("id", "track_id", "status", "trainee_id")[:1])
    return rows[0] if rows else None


def _enrolments_of(trainee_id):
    return (Enrolment.objects.filter(trainee_id=trainee_id).exclude(status=EnrolmentStatus.WITHDRAWN)
            .select_related("cohort", "training_body").order_by("-enrolled_at", "-pk"))


def enrolments_of(user):
    """The user's enrolments but withdrawn ones, newest first, with cohort and training body (a queryset)."""
    return _enrolments_of(user.pk)


enrolment_list = Prepared(_enrolments_of, trainee_id=int)  # the same, as a list, for the page read on each visit


def done_items(enrolment):
    """(ids of the lessons done, ids of the quizzes passed) in this enrolment, read in one query.

    Both are learning's own records: a quiz counts from its first pass (QuizCompletion, written by the quizzes app).
    """
    lessons = LessonCompletion.objects.filter(enrolment=enrolment).values_list(Value(0), "lesson_id")
    quizzes = QuizCompletion.objects.filter(enrolment=enrolment).values_list(Value(1), "quiz_id")
    rows = list(lessons.union(quizzes, all=True))
    return {item for kind, item in rows if kind == 0}, {item for kind, item in rows if kind == 1}


def track_of(page):
    """The track a page (module, lesson or quiz) belongs to."""
    return TrackPage.objects.ancestor_of(page).first()


# --- Enrolment offers ------------------------------------------------------------------------------------

def offers_sent_by(training_body):
    """The body's offers still worth showing it: waiting, declined or expired (an accepted one is an enrolment
    now, a cancelled one is gone). Only what the body typed, as plain values: never the account's own data."""
    return (EnrolmentOffer.objects.filter(training_body=training_body)
            .exclude(status__in=[OfferStatus.ACCEPTED, OfferStatus.CANCELLED])
            .order_by("-created_at", "-pk")
            .values("pk", "email", "first_name", "last_name", "entry_profile", "track__title", "cohort__name",
                    "starts_on", "status", "expires_at"))


def offers_waiting_for(user, now):
    """The offers `user` may still accept or decline, with who sent them, for what and from when."""
    return (EnrolmentOffer.objects.pending(now).filter(invitee=user)
            .select_related("training_body", "track", "cohort").order_by("created_at", "pk"))
