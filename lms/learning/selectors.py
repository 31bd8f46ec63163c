"""Reads of learning data shared by the trainee's pages, staff pages and later dashboards."""
from collections import defaultdict
from functools import partial
from typing import NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction

from lms.accommodations import selectors as accommodation_selectors
from lms.accommodations.models import Accommodation
from lms.catalog.models import HOURS_BREAKDOWN, MEDIA_SCOPE, LessonPage, ModulePage, TrackPage, assessment_page_models
from lms.core.cache import get_or_build, get_or_build_many, invalidate, versions
from lms.learning.models import (Cohort, Enrolment, EnrolmentOffer, EnrolmentStatus, ExemptionStatus, LessonCompletion,
                                 ModuleCompletion, ModuleExemption, OfferStatus, QuizCompletion)
from lms.learning.progress import (LessonItem, ModuleItem, QuizItem, TrackStructure, compute_progress, pace_status,
                                   planned_end)
from lms.learning import qualification

STRUCTURE_CACHE_SECONDS = 3600
STRUCTURE_FORMAT = 7  # bump when TrackStructure changes shape, so that no node reads an old pickle


def track_scope(track_id):
    """The cache scope of a track's pages (lms.core.cache)."""
    return f"track:{track_id}"


def forget_tracks(track_ids):
    """Once the transaction commits, every node rebuilds these tracks' structures and outlines."""
    invalidate(track_scope(pk) for pk in track_ids)


def _structure_key(track_id, token):
    return f"track-structure:v{STRUCTURE_FORMAT}:{track_id}:{token}"


def _structure_or_none(track_id, version):
    """The live track's structure, built now and stamped with the scope token it is stored under (what is derived
    from it, the outline's HTML, is keyed by that token); None for an unknown or unpublished track."""
    track = TrackPage.objects.live().filter(pk=track_id).first()
    return _build_structure(track, version) if track is not None else None


def track_structures(track_ids):
    """{track id: TrackStructure or None (unknown or unpublished)}: the tracks' descriptions, modules, lessons and
    quizzes, from the shared cache (two round trips for any number of tracks), else built in a constant number of
    queries per track."""
    track_ids = list(dict.fromkeys(track_ids))
    tokens = versions([track_scope(pk) for pk in track_ids])
    keys = {pk: _structure_key(pk, tokens[track_scope(pk)]) for pk in track_ids}
    values = get_or_build_many({keys[pk]: partial(_structure_or_none, pk, tokens[track_scope(pk)]) for pk in track_ids},
                               STRUCTURE_CACHE_SECONDS)
    return {pk: values[keys[pk]] for pk in track_ids}


RESTRICTIONS_SCOPE = "view-restrictions"  # the cache scope of Wagtail's page privacy (lms.core.cache)


def forget_restrictions():
    """Once the change commits, every node reads the page restrictions again."""
    invalidate([RESTRICTIONS_SCOPE])


def _restriction_holders():
    """[(restriction id, tree path of a page it holds on)]: the restricted page, and each alias of it (Wagtail reads
    an alias's restrictions from its source page)."""
    restrictions = list(PageViewRestriction.objects.values_list("pk", "page_id"))
    if not restrictions:
        return []
    ids = {page_id for _, page_id in restrictions}
    paths = defaultdict(list)
    for pk, alias_of_id, path in (Page.objects.filter(Q(pk__in=ids, alias_of__isnull=True) | Q(alias_of__in=ids))
                                  .values_list("pk", "alias_of_id", "path")):
        paths[alias_of_id or pk].append(path)
    return [(restriction_id, path) for restriction_id, page_id in restrictions for path in paths[page_id]]


def restriction_holders_key(token):
    return f"view-restriction-holders:v1:{token}"


def restriction_holders():
    """_restriction_holders from the shared cache: the table is nearly always empty or tiny, and read on every page
    view of a trainee, so a view pays for it only when a restriction holds on its page."""
    token = versions([RESTRICTIONS_SCOPE])[RESTRICTIONS_SCOPE]
    return get_or_build(restriction_holders_key(token), _restriction_holders, timeout=24 * 3600) or []


def _lesson_body_or_none(lesson_id):
    """The lesson's body HTML as its own page type renders it (a SCORM lesson, lms.scorm, renders its player)."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    return lesson.specific.render_body() if lesson is not None else None


def lesson_scopes(track_id):
    """The cache scopes of what a lesson page shows: its track's pages, the media its body carries, page privacy."""
    return [track_scope(track_id), MEDIA_SCOPE, RESTRICTIONS_SCOPE]


def structure_and_body(track_id, lesson_id):
    """(the track's structure, the lesson's body HTML, the page restrictions' holders) for the lesson page: all from
    the shared cache in two round trips (the scopes' tokens, then the values), else built.

    The body is keyed by the versions of its track (every publication of a page of the track replaces that token)
    and of the media (an image or document replaced or deleted changes the renditions and links it carries), and by
    the language (blocks and the SCORM player carry translated labels).
    """
    tokens = versions(lesson_scopes(track_id))
    track_token = tokens[track_scope(track_id)]
    structure_key = _structure_key(track_id, track_token)
    body_key = f"lesson-body:v3:{lesson_id}:{track_token}:{tokens[MEDIA_SCOPE]}:{get_language()}"
    holders_key = restriction_holders_key(tokens[RESTRICTIONS_SCOPE])
    values = get_or_build_many({structure_key: partial(_structure_or_none, track_id, track_token),
                                body_key: partial(_lesson_body_or_none, lesson_id),
                                holders_key: _restriction_holders}, STRUCTURE_CACHE_SECONDS)
    return values[structure_key], values[body_key], values[holders_key] or []


def track_structure(track_or_id) -> TrackStructure | None:
    """One track's structure (see track_structures); None for an unknown or unpublished track."""
    return track_structures([getattr(track_or_id, "pk", track_or_id)])[getattr(track_or_id, "pk", track_or_id)]


def outline_parts(track_id, shared_outline_key, render_shared_outline):
    """(the track's structure, the page restrictions' holders, the outline's shared HTML) for the outline page, from
    the shared cache in two round trips (the scopes' tokens, then the values), else built.

    `shared_outline_key(track_id, version)` names the HTML and `render_shared_outline(structure)` renders it
    (lms.learning.outline); the version is the track's token, which the structure carries.
    """
    tokens = versions([track_scope(track_id), RESTRICTIONS_SCOPE])
    token = tokens[track_scope(track_id)]
    structure_key = _structure_key(track_id, token)
    outline_key = shared_outline_key(track_id, token)
    built = {}

    def build_structure():
        built["structure"] = _structure_or_none(track_id, token)
        return built["structure"]

    def build_outline():
        structure = built["structure"] if "structure" in built else track_structure(track_id)
        return render_shared_outline(structure) if structure is not None else None

    holders_key = restriction_holders_key(tokens[RESTRICTIONS_SCOPE])
    values = get_or_build_many({structure_key: build_structure, holders_key: _restriction_holders,
                                outline_key: build_outline}, STRUCTURE_CACHE_SECONDS)
    return values[structure_key], values[holders_key] or [], values[outline_key]


def _build_structure(track, version):
    modules = list(ModulePage.objects.live().child_of(track).order_by("path").only("id", "title", "summary", "path", "url_path", "nominal_hours", *HOURS_BREAKDOWN))
    lessons = list(LessonPage.objects.live().descendant_of(track).order_by("path")
                   .only("id", "title", "path", "url_path", "duration_minutes", "depth"))
    quizzes = _quizzes_under(track)
    final = next((q for q in quizzes if q.depth == track.depth + 1 and not q.is_positioning), None)
    positioning = next((q for q in quizzes if q.depth == track.depth + 1 and q.is_positioning), None)

    def quiz_item(page):
        return QuizItem(page.id, page.title, reverse("quiz", args=[page.pk]), page.question_count)

    items = []
    for module in modules:
        module_lessons = tuple(LessonItem(lesson.id, lesson.title, reverse("lesson", args=[lesson.id]),
                                          lesson.duration_minutes, lesson.path)
                               for lesson in lessons if lesson.path.startswith(module.path))
        quiz = next((q for q in quizzes if q.path.startswith(module.path) and q.depth == module.depth + 1), None)
        items.append(ModuleItem(module.id, module.title, module.summary, module_lessons,
                                quiz_item(quiz) if quiz else None,
                                hours=(module.nominal_hours, *(getattr(module, name) for name in HOURS_BREAKDOWN))))
    return TrackStructure(
        track.pk, tuple(items), quiz_item(final) if final else None,
        title=track.title, url=reverse("track_outline", args=[track.pk]), summary=track.summary,
        objectives=tuple(track.objectives_list), duration_value=track.duration_value, duration_unit=track.duration_unit,
        nominal_hours=float(track.nominal_hours), positioning=quiz_item(positioning) if positioning else None,
        training_body_id=track.training_body_id, version=version,
        path=track.path, support_contact=track.support_pedagogical_contact,
        support_email=track.support_pedagogical_email, support_technical_email=track.support_technical_email,
        support_response_hours=track.support_response_hours,
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
    return (Enrolment.objects.filter(trainee_id=user.pk, track_id=track_id).exclude(status=EnrolmentStatus.WITHDRAWN)
            .select_related("cohort").order_by("pk").first())


def track_enrolment_sql(user_id, track_id):
    """(SQL, parameters) of track_enrolment: every column of the user's first enrolment (not withdrawn) in the
    track, then `cohort_ends_on` (its cohort's planned end) and `extra_percent` (the longer duration of the
    trainee's accommodation with the enrolling body, NULL without one). Names come from the models' metadata."""
    quote = connection.ops.quote_name
    enrolment, cohort, accommodation = Enrolment._meta, Cohort._meta, Accommodation._meta

    def column(meta, name):
        return quote(meta.get_field(name).column)

    columns = ", ".join(f"e.{quote(field.column)}" for field in enrolment.concrete_fields)
    sql = (
        f"SELECT {columns}, c.{column(cohort, 'ends_on')} AS cohort_ends_on,"
        f" (SELECT a.{column(accommodation, 'extra_duration_percent')} FROM {quote(accommodation.db_table)} a"
        f" WHERE a.{column(accommodation, 'training_body')} = e.{column(enrolment, 'training_body')}"
        f" AND a.{column(accommodation, 'trainee')} = e.{column(enrolment, 'trainee')}) AS extra_percent"
        f" FROM {quote(enrolment.db_table)} e"
        f" LEFT OUTER JOIN {quote(cohort.db_table)} c ON c.{quote(cohort.pk.column)} = e.{column(enrolment, 'cohort')}"
        f" WHERE e.{column(enrolment, 'trainee')} = %s AND e.{column(enrolment, 'track')} = %s"
        f" AND e.{column(enrolment, 'status')} <> %s"
        f" ORDER BY e.{quote(enrolment.pk.column)} LIMIT 1"
    )
    return sql, [user_id, track_id, EnrolmentStatus.WITHDRAWN.value]


def track_enrolment(user, track_id):
    """The user's enrolment (not withdrawn) in the track, or None, in one query: active_enrolment for the outline,
    with `extra_percent` (0 without an accommodation) and its cohort carrying only its planned end (`ends_on`;
    other fields load on access).

    A raw SQL statement of learning, named here (with done_items_of and reader_enrolment): the outline reads it on
    every view, and the ORM took 1.6 ms to build it with `select_related` and a `Subquery`. `Enrolment.objects.raw`
    converts the enrolment's columns; the cohort's date goes through its field's `to_python` (SQLite returns text).
    tests/learning/test_track_enrolment.py compares its answer with the ORM's on varied data.
    """
    if not user.is_authenticated:
        return None
    enrolment = next(iter(Enrolment.objects.raw(*track_enrolment_sql(user.pk, track_id))), None)
    if enrolment is None:
        return None
    enrolment.extra_percent = enrolment.extra_percent or 0
    ends_on = Cohort._meta.get_field("ends_on").to_python(enrolment.cohort_ends_on)
    enrolment.cohort = (Cohort.from_db(connection.alias, ["id", "ends_on"], [enrolment.cohort_id, ends_on])
                        if enrolment.cohort_id is not None else None)
    return enrolment


def page_for_reader(page_model, user, page_id, fields=(), *, with_lesson_done=False):
    """(live page with `fields`, the user's enrolment in its track or None, lesson done?); 404 if not live.

    Two plain queries: the page, then the reader's enrolment (not withdrawn) in the track whose path begins the
    page's, with the lesson's done flag; plain queries cost less to build than one query of subqueries.
    """
    page = (page_model.objects.live().filter(pk=page_id)
            .only("id", "title", "path", "latest_revision_id", "last_published_at", *fields).first())
    if page is None:
        raise Http404
    enrolments = _enrolments_in_track_of(user, page.path)
    if with_lesson_done:
        enrolments = enrolments.annotate(lesson_done=Exists(LessonCompletion.objects.filter(
            enrolment_id=OuterRef("pk"), lesson_id=page.pk)))
    enrolment = enrolments.first()
    return page, enrolment, bool(enrolment is not None and getattr(enrolment, "lesson_done", False))


def lesson_for_reader(user, lesson_id):
    """(lesson without its body, the user's enrolment in its track or None, lesson done?); 404 if not live."""
    return page_for_reader(LessonPage, user, lesson_id, ("duration_minutes", "content_type_id"), with_lesson_done=True)


def path_and_ancestors(path):
    """The tree paths of a page and of each of its ancestors (Wagtail's materialised paths)."""
    return [path[:end] for end in range(TrackPage.steplen, len(path) + 1, TrackPage.steplen)]


def _enrolments_in_track_of(user, path):
    """The user's enrolments (not withdrawn) in the track that contains the page at `path`, with their id, track
    and status (other fields load on access)."""
    return (Enrolment.objects.filter(trainee_id=user.pk, track__path__in=path_and_ancestors(path))
            .exclude(status=EnrolmentStatus.WITHDRAWN).only("id", "trainee_id", "track_id", "status").order_by("pk"))


def enrolment_for_page(user, page):
    """The user's enrolment (not withdrawn) in the track that contains `page`, in one query."""
    return _enrolments_in_track_of(user, page.path).first()


# The columns of the reader's enrolment that reader_enrolment loads (the others load on access, as with `.only()`).
READER_ENROLMENT_FIELDS = ("id", "trainee_id", "track_id", "status")


def reader_enrolment_sql(user_id, lesson_id):
    """(SQL, parameters) of reader_enrolment: the user's first enrolment (not withdrawn) in the track whose page
    path begins the path of the live lesson `lesson_id`, with its columns READER_ENROLMENT_FIELDS and a last column,
    1 when the enrolment has completed that lesson. Names come from the models' metadata."""
    quote = connection.ops.quote_name
    enrolment, page = Enrolment._meta, Page._meta
    lesson_table = quote(LessonPage._meta.db_table)
    lesson_ptr = quote(LessonPage._meta.pk.column)
    completion = LessonCompletion._meta
    columns = ", ".join(f"e.{quote(enrolment.get_field(name).column)}" for name in READER_ENROLMENT_FIELDS)
    path, page_id = quote(page.get_field("path").column), quote(page.pk.column)
    sql = (
        f"SELECT {columns}, EXISTS(SELECT 1 FROM {quote(completion.db_table)} c"
        f" WHERE c.{quote(completion.get_field('enrolment').column)} = e.{quote(enrolment.pk.column)}"
        f" AND c.{quote(completion.get_field('lesson').column)} = %s)"
        f" FROM {quote(enrolment.db_table)} e"
        f" INNER JOIN {quote(page.db_table)} t ON t.{page_id} = e.{quote(enrolment.get_field('track').column)}"
        f" INNER JOIN {quote(page.db_table)} l ON l.{page_id} = %s"
        f" INNER JOIN {lesson_table} lp ON lp.{lesson_ptr} = l.{page_id}"
        f" WHERE e.{quote(enrolment.get_field('trainee').column)} = %s"
        f" AND e.{quote(enrolment.get_field('status').column)} <> %s"
        f" AND l.{quote(page.get_field('live').column)} = %s"
        f" AND SUBSTR(l.{path}, 1, LENGTH(t.{path})) = t.{path}"
        f" ORDER BY e.{quote(enrolment.pk.column)} LIMIT 1"
    )
    return sql, [lesson_id, lesson_id, user_id, EnrolmentStatus.WITHDRAWN.value, True]


def reader_enrolment(user, lesson_id):
    """(the reader's enrolment in the track of a live lesson, lesson done?) in one query; (None, False) when the
    reader is not enrolled there (or the lesson is not live).

    A raw SQL statement of learning, named here (with done_items_of and track_enrolment): the lesson page, its
    heartbeat (every 30 s while a lesson is open) and its SCORM and support calls read it, and the ORM took 2.5 ms to
    build its two `Exists` against 0.07 ms for running it (SQLite). The enrolment is built with `Enrolment.from_db`,
    its other fields deferred. tests/learning/test_reader_enrolment.py compares its answer with the ORM's on varied
    data.
    """
    if not user.is_authenticated:
        return None, False
    with connection.cursor() as cursor:
        cursor.execute(*reader_enrolment_sql(user.pk, int(lesson_id)))
        row = cursor.fetchone()
    if row is None:
        return None, False
    return Enrolment.from_db(connection.alias, READER_ENROLMENT_FIELDS, row[:-1]), bool(row[-1])


def enrolment_for_lesson(user, lesson_id):
    """The reader's enrolment (not withdrawn) in the track of a live lesson, or None: one query, for the heartbeat
    that does not need the lesson itself."""
    return reader_enrolment(user, lesson_id)[0]


def enrolments_of(user, *, with_counts=False):
    """The user's enrolments but withdrawn ones, newest first, with cohort and training body (a queryset).

    `with_counts`: a list whose enrolments also carry `counted_at` (when its completion counts) and `qualified_on`
    (the date of its result in force), as lms.learning.qualification decides, for the trainee's deadlines, and
    `extra_percent` (the accommodation's longer duration, 0 without one, as extra_durations_of), and the body's
    disability referent (accommodations.selectors.referent_of_body), all read in the same query.
    """
    enrolments = (Enrolment.objects.filter(trainee_id=user.pk).exclude(status=EnrolmentStatus.WITHDRAWN)
                  .select_related("cohort", "training_body").order_by("-enrolled_at", "-pk"))
    if not with_counts:
        return enrolments
    enrolments = list(enrolments.select_related(f"training_body__{accommodation_selectors.REFERENT_FROM_BODY}")
                      .annotate(**qualification.standing(),
                                extra_percent=accommodation_selectors.extra_duration_subquery()))
    for enrolment in enrolments:
        enrolment.counted_at, enrolment.qualified_on = qualification.counts(enrolment)
        enrolment.extra_percent = enrolment.extra_percent or 0
    return enrolments


def done_items(enrolment):
    """(ids of the lessons done, ids of the quizzes passed, ids of the modules exempted) in this enrolment.

    All are learning's own records: a quiz counts from its first pass (QuizCompletion, written by the quizzes app),
    a module exemption once a tutor confirmed it (ModuleExemption). The tuple is compute_progress's arguments.
    """
    return done_items_of([enrolment.pk])[enrolment.pk]


# What each enrolment has done, as (table, column of the item, extra condition) per kind, in the order of the sets
# done_items_of returns: lessons done, quizzes passed, modules exempted (once a tutor confirmed it), modules whose
# completion is recorded.
DONE_PARTS = ((LessonCompletion, "lesson", None), (QuizCompletion, "quiz", None),
              (ModuleExemption, "module", ("status", ExemptionStatus.CONFIRMED)), (ModuleCompletion, "module", None))


def done_items_sql(enrolment_ids, *, modules=False):
    """(SQL, parameters) of done_items_of: one UNION ALL of the completion tables, each part selecting `enrolment id,
    kind, item id` of the given enrolments."""
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(enrolment_ids))
    parts, params = [], []
    for kind, (model, item, condition) in enumerate(DONE_PARTS if modules else DONE_PARTS[:3]):
        meta = model._meta
        enrolment = quote(meta.get_field("enrolment").column)
        where = f"{enrolment} IN ({placeholders})"
        params += enrolment_ids
        if condition:
            where += f" AND {quote(meta.get_field(condition[0]).column)} = %s"
            params.append(condition[1])
        parts.append(f"SELECT {enrolment}, {kind}, {quote(meta.get_field(item).column)} "
                     f"FROM {quote(meta.db_table)} WHERE {where}")
    return " UNION ALL ".join(parts), params


def done_items_of(enrolment_ids, *, modules=False):
    """{enrolment id: (ids of the lessons done, ids of the quizzes passed, ids of the modules exempted)} for several
    enrolments in one query.

    `modules`: a fourth set, the modules whose completion is recorded (ModuleCompletion), read in the same query.

    A raw SQL statement of learning, named here (with reader_enrolment and track_enrolment): every trainee page and
    every completion reads it, and the ORM took 1.4 ms to build this four-part UNION ALL against 0.06 ms for running
    it (SQLite, one enrolment).
    tests/learning/test_done_items.py compares its rows with the ORM's on varied data, on SQLite and PostgreSQL.
    """
    enrolment_ids = list(enrolment_ids)
    done = {pk: (set(), set(), set(), set()) if modules else (set(), set(), set()) for pk in enrolment_ids}
    if not enrolment_ids:
        return done
    with connection.cursor() as cursor:
        cursor.execute(*done_items_sql(enrolment_ids, modules=modules))
        for enrolment_id, kind, item in cursor.fetchall():
            done[enrolment_id][kind].add(item)
    return done


def extra_durations_of(enrolment_ids):
    """{enrolment id: extra planned duration in percent} of the enrolments whose trainee has an accommodation with
    the enrolling body (lms.accommodations); one query whatever their number, none for no enrolment."""
    enrolment_ids = list(enrolment_ids)
    if not enrolment_ids:
        return {}
    rows = (Enrolment.objects.filter(pk__in=enrolment_ids)
            .annotate(extra=accommodation_selectors.extra_duration_subquery()).filter(extra__gt=0)
            .values_list("pk", "extra"))
    return dict(rows)


def extra_duration_of(enrolment):
    """The extra planned duration of one enrolment, in percent (0 without accommodation)."""
    return accommodation_selectors.extra_duration_percent(enrolment.training_body_id, enrolment.trainee_id)


class EnrolmentPace(NamedTuple):
    """Where one enrolment stands: its progress (TrackProgress), planned end and pace (Pace)."""

    progress: object
    planned_end: object
    pace: object


def paces_of(enrolments, today):
    """{enrolment id: EnrolmentPace, or None when its track is not published}, for many enrolments at once.

    `enrolments`: records with pk, track_id, starts_on, cohort__ends_on and status (a values_list(named=True) of
    Enrolment). Two round trips to the cache for the tracks' structures and one query for what is done, whatever
    the number of enrolments; the rules are those of 'Mon parcours' (compute_progress, planned_end, pace_status).
    """
    enrolments = list(enrolments)
    structures = track_structures(e.track_id for e in enrolments)
    done = done_items_of(e.pk for e in enrolments if structures[e.track_id] is not None)
    extra = extra_durations_of(e.pk for e in enrolments if structures[e.track_id] is not None)
    result = {}
    for e in enrolments:
        structure = structures[e.track_id]
        if structure is None:
            result[e.pk] = None
            continue
        progress = compute_progress(structure, *done[e.pk])
        ends_on = planned_end(starts_on=e.starts_on, duration_value=structure.duration_value,
                              duration_unit=structure.duration_unit, cohort_ends_on=e.cohort__ends_on,
                              extra_percent=extra.get(e.pk, 0))
        complete = progress.complete or e.status == EnrolmentStatus.COMPLETED
        pace = pace_status(share_done=progress.share_done, complete=complete, starts_on=e.starts_on,
                           ends_on=ends_on, today=today, items_done=progress.items_done,
                           items_total=progress.items_total)
        result[e.pk] = EnrolmentPace(progress, ends_on, pace)
    return result


def done_items_and_modules(enrolment_id):
    """(lessons done, quizzes passed, modules exempted, modules whose completion is recorded) of one enrolment, in
    one query."""
    return done_items_of([enrolment_id], modules=True)[enrolment_id]


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


# --- Module exemptions after the positioning test ----------------------------------------------------------

def exemptions_of(enrolment_id):
    """Every exemption proposed to an enrolment (proposed, confirmed, refused), with its module and decider, in the
    track's order."""
    return (ModuleExemption.objects.filter(enrolment_id=enrolment_id)
            .select_related("module", "decided_by").order_by("module__path"))


def exemptions_confirmed(enrolment_id):
    """The modules an enrolment is exempted from (confirmed by a tutor), in the track's order."""
    return exemptions_of(enrolment_id).filter(status=ExemptionStatus.CONFIRMED)


def exemptions_waiting(training_body_ids):
    """The exemptions proposed to the learners of these bodies, waiting for a tutor's decision, oldest first."""
    return (ModuleExemption.objects.filter(enrolment__training_body_id__in=list(training_body_ids),
                                           status=ExemptionStatus.PROPOSED)
            .exclude(enrolment__status=EnrolmentStatus.WITHDRAWN)
            .select_related("module", "enrolment__trainee", "enrolment__track").order_by("proposed_at", "pk"))


def has_started_track(enrolment_id):
    """True once the trainee has done a lesson or passed a quiz of the track: the positioning test is then no longer
    offered (it positions the trainee *before* the training)."""
    return (LessonCompletion.objects.filter(enrolment_id=enrolment_id).exists()
            or QuizCompletion.objects.filter(enrolment_id=enrolment_id).exists())
