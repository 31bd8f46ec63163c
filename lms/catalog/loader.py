"""Validate the curriculum in content/ and load it into Wagtail pages idempotently.

Validation reads every file first and collects every problem (file and field); nothing is written
unless all files are valid. Loading creates missing pages, updates changed ones, leaves unchanged ones,
and skips pages edited in the admin since the last load unless forced. A module's lessons and quiz are loaded once
and aliased in the other tracks that include the module (load_content).
"""
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from lms.accounts.models import EntryProfile
from lms.catalog.markdown_blocks import MarkdownError, markdown_to_blocks
from lms.catalog.models import HOURS_BREAKDOWN, LessonPage, ModulePage, TrackOutcome, TrackPage
from lms.core import uploads

MIN_LESSON_WORDS = 300


class ContentError(Exception):
    """One or more content files are invalid; `problems` lists (file, field, message)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(f"{f}: {fld}: {msg}" for f, fld, msg in problems))


@dataclass
class LessonSpec:
    slug: str
    title: str
    duration_minutes: int
    blocks: list
    words: int
    source: str
    media: dict = field(default_factory=dict)  # reference in the package (media/…) -> the file's bytes


@dataclass
class ModuleSpec:
    slug: str
    title: str
    summary: str
    objectives: list
    lessons: list
    quiz: dict | None
    assessment: list
    source: str


@dataclass
class TrackSpec:
    slug: str
    title: str
    summary: str
    entry_profiles: list
    duration_value: int
    duration_unit: str
    nominal_hours: float
    objectives: list
    modules: list  # (ModuleSpec, day_offset, nominal_hours, {ModulePage breakdown field: Decimal})
    final_assessment: dict | None
    source: str
    outcome: dict = field(default_factory=dict)  # TrackPage fields: outcome, certification_name, rncp_code, …
    support: dict = field(default_factory=dict)  # TrackPage fields: support_pedagogical_contact, …


@dataclass
class Content:
    tracks: list = field(default_factory=list)


class _Problems(list):
    def add(self, path, fld, message):
        self.append((str(path), fld, message))


def _read_yaml(path, problems):
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.add(path, "-", f"invalid YAML: {error}")
        return None
    if not isinstance(data, dict):
        problems.add(path, "-", "expected a mapping at the top level")
        return None
    return data


def _require(data, key, kind, path, problems, fld=None):
    value = data.get(key)
    if value is None or (kind is str and not str(value).strip()) or not isinstance(value, kind):
        problems.add(path, fld or key, f"required, of type {kind.__name__ if isinstance(kind, type) else kind}")
        return None
    return value


def _split_front_matter(text):
    if not text.startswith("---"):
        return None, text
    end = text.find("\n---", 3)
    if end == -1:
        return None, text
    return text[3:end], text[end + 4:]


def _read_lesson(path, problems):
    front, body = _split_front_matter(path.read_text(encoding="utf-8"))
    if front is None:
        problems.add(path, "front matter", "missing (--- title: … duration_minutes: … ---)")
        return None
    try:
        meta = yaml.safe_load(front) or {}
    except yaml.YAMLError as error:
        problems.add(path, "front matter", f"invalid YAML: {error}")
        return None
    title = _require(meta, "title", str, path, problems)
    duration = meta.get("duration_minutes")
    if not isinstance(duration, int) or not 1 <= duration <= 600:
        problems.add(path, "duration_minutes", "required, a whole number of minutes between 1 and 600")
    words = len(body.split())
    if words < MIN_LESSON_WORDS:
        problems.add(path, "body", f"{words} words; a lesson needs at least {MIN_LESSON_WORDS}")
    try:
        blocks = markdown_to_blocks(body)
    except MarkdownError as error:
        problems.add(path, "body", str(error))
        return None
    media = _read_media(blocks, path.parents[3], path, problems)
    if title is None or not isinstance(duration, int):
        return None
    slug = path.stem.split("-", 1)[1] if "-" in path.stem and path.stem.split("-", 1)[0].isdigit() else path.stem
    return LessonSpec(slug, title.strip(), duration, blocks, words, str(path), media)


MEDIA_REFERENCE = re.compile(r"media/(images|documents)/[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
MAX_MEDIA_BYTES = 20 * 1024 * 1024


def _read_media(blocks, base_dir, path, problems):
    """The bytes of the images and documents a lesson shows (files of the package under media/), checked: an image
    is a PNG or JPEG image (re-encoded by lms.core.uploads when loaded), a document a PDF or office file."""
    media = {}
    for kind, value in blocks:
        if kind not in ("image", "document"):
            continue
        reference = value["file"]
        folder = "images" if kind == "image" else "documents"
        file = base_dir / reference
        if not MEDIA_REFERENCE.fullmatch(reference) or not reference.startswith(f"media/{folder}/"):
            problems.add(path, "body", f"{reference}: expected media/{folder}/<file name> (letters, digits, . _ -)")
        elif not file.is_file() or file.is_symlink():
            problems.add(path, "body", f"{reference}: no such file in the package")
        elif file.stat().st_size > MAX_MEDIA_BYTES:
            problems.add(path, "body", f"{reference}: larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MB")
        else:
            data = file.read_bytes()
            error = _media_problem(kind, reference, data)
            if error:
                problems.add(path, "body", f"{reference}: {error}")
            else:
                media[reference] = data
    return media


def _media_problem(kind, reference, data):
    """Why the file cannot be shown in a lesson, or None."""
    try:
        if kind == "image":
            uploads.image_reencode(ContentFile(data, name=Path(reference).name), max_bytes=MAX_MEDIA_BYTES)
        else:
            uploads.document_check(ContentFile(data, name=Path(reference).name), max_bytes=MAX_MEDIA_BYTES)
    except uploads.UploadRejected as error:
        return str(error.message)
    return None


@dataclass(frozen=True)
class AssessmentLoader:
    """How the app that defines the assessment pages (lms.quizzes) checks and writes quiz.yaml / assessment.yaml.

    The catalogue sits below that app and never imports it: the app registers its loader when it is ready.
    """

    validate: Callable  # (data, path, problems, *, with_settings): add a problem per inconsistent question
    upsert: Callable  # (*, parent, source_key, spec, report, force, upsert_page, slug="quiz") -> the page
    # (page, *, final) -> (settings, [(module page id or None, question data)]), or None if content/ cannot hold it
    dump: Callable | None = None
    # A module's bank of questions for the final assessment (assessment.yaml), which final assessments draw from:
    # (*, parent, source_key, questions, report, force, upsert_page) -> the page; (module page) -> [question data]
    upsert_bank: Callable | None = None
    dump_bank: Callable | None = None


_assessment_loaders = []


def register_assessment_loader(loader: AssessmentLoader):
    """Called once by the app that defines assessment pages; without one, quizzes in content/ are not loaded."""
    if loader not in _assessment_loaders:
        _assessment_loaders.append(loader)


def _assessment_loader():
    return _assessment_loaders[0] if _assessment_loaders else None


def assessment_loader():
    """The registered AssessmentLoader (the exporter uses its `dump`), or None."""
    return _assessment_loader()


def _read_module(directory, problems):
    path = directory / "module.yaml"
    if not path.exists():
        problems.add(path, "-", "missing file")
        return None
    data = _read_yaml(path, problems)
    if data is None:
        return None
    title = _require(data, "title", str, path, problems)
    objectives = _require(data, "objectives", list, path, problems) or []
    lesson_files = sorted((directory / "lessons").glob("*.md"))
    if not lesson_files:
        problems.add(directory / "lessons", "-", "a module needs at least one lesson")
    lessons = [lesson for lesson in (_read_lesson(f, problems) for f in lesson_files) if lesson]
    loader = _assessment_loader()
    validate = loader.validate if loader else None
    quiz, assessment = None, []
    quiz_path, assessment_path = directory / "quiz.yaml", directory / "assessment.yaml"
    if quiz_path.exists():
        quiz = _read_yaml(quiz_path, problems)
        if quiz is not None and validate:
            validate(quiz, quiz_path, problems, with_settings=True)
    if assessment_path.exists():
        data_a = _read_yaml(assessment_path, problems)
        if data_a is not None:
            assessment = data_a.get("questions") or []
            if validate:
                validate(data_a, assessment_path, problems, with_settings=False)
    if title is None:
        return None
    return ModuleSpec(directory.name, title.strip(), str(data.get("summary", "")).strip(),
                      [str(o).strip() for o in objectives], lessons, quiz, assessment, str(path))


def read_content(base_dir) -> Content:
    """Read and validate every file under `base_dir`; raise ContentError listing all problems."""
    base_dir = Path(base_dir)
    problems = _Problems()
    modules = {d.name: _read_module(d, problems) for d in sorted((base_dir / "modules").iterdir()) if d.is_dir()} \
        if (base_dir / "modules").is_dir() else {}
    content = Content()
    track_dirs = sorted(d for d in (base_dir / "tracks").iterdir() if d.is_dir()) if (base_dir / "tracks").is_dir() else []
    if not track_dirs:
        problems.add(base_dir / "tracks", "-", "no track folder")
    valid_profiles = set(EntryProfile.values)
    for directory in track_dirs:
        path = directory / "track.yaml"
        data = _read_yaml(path, problems) if path.exists() else problems.add(path, "-", "missing file")
        if data is None:
            continue
        title = _require(data, "title", str, path, problems)
        profiles = _require(data, "entry_profiles", list, path, problems) or []
        for profile in profiles:
            if profile not in valid_profiles:
                problems.add(path, "entry_profiles", f"unknown profile {profile!r} (one of {sorted(valid_profiles)})")
        duration = data.get("duration") or {}
        if not isinstance(duration, dict) or not isinstance(duration.get("value"), int) \
                or duration.get("unit") not in {"days", "months"}:
            problems.add(path, "duration", "required: {value: <whole number>, unit: days|months}")
            duration = {}
        hours = data.get("nominal_hours")
        if not isinstance(hours, (int, float)) or hours <= 0:
            problems.add(path, "nominal_hours", "required, a positive number")
        objectives = _require(data, "objectives", list, path, problems) or []
        entries = []
        for index, entry in enumerate(_require(data, "modules", list, path, problems) or []):
            slug = entry.get("module") if isinstance(entry, dict) else None
            if slug not in modules:
                problems.add(path, f"modules[{index}].module", f"unknown module {slug!r}")
                continue
            if modules[slug] is None:
                continue
            module_hours = _hours(entry.get("nominal_hours"))
            breakdown = _read_breakdown(entry.get("hours"), module_hours, path, f"modules[{index}]", problems)
            entries.append((modules[slug], int(entry.get("day_offset", 0)), module_hours or Decimal(0), breakdown))
        track_hours = _hours(hours)
        if entries and track_hours is not None and sum(e[2] for e in entries) != track_hours:
            problems.add(path, "modules", f"the modules' nominal hours add up to {sum(e[2] for e in entries)}, "
                                          f"not the track's {track_hours}")
        outcome = _read_outcome(data.get("leads_to"), path, problems)
        support = _read_support(data.get("support"), path, problems)
        final = data.get("final_assessment")
        if final is not None and not isinstance(final, dict):
            problems.add(path, "final_assessment", "expected a mapping")
            final = None
        if title and duration:
            content.tracks.append(TrackSpec(directory.name, title.strip(), str(data.get("summary", "")).strip(),
                                            profiles, duration["value"], duration["unit"], float(hours or 0),
                                            [str(o).strip() for o in objectives], entries, final, str(path),
                                            outcome, support))
    if problems:
        raise ContentError(list(problems))
    return content


# --- Loading ----------------------------------------------------------------------------------------------

@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # edited in the admin since the last load
    converted: list = field(default_factory=list)  # copies of a shared module's pages replaced by aliases


def _hash(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def upsert_page(*, parent, model, source_key, fields, report, force=False):
    """Create or update one page under `parent` from `fields`; publish it; record what happened."""
    digest = _hash(fields)
    page = model.objects.child_of(parent).filter(source_key=source_key).first()
    if page is not None and (page.source_hash == digest or page.alias_of_id):  # an alias follows its source page
        report.unchanged.append(source_key)
        return page
    if page is not None and page.latest_revision_id != page.loaded_revision_id and not force:
        report.skipped.append(source_key)
        return page
    if page is None:
        page = model(source_key=source_key, **fields)
        parent.add_child(instance=page)
        report.created.append(source_key)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
        report.updated.append(source_key)
    page.source_hash = digest
    revision = page.save_revision(clean=False)
    revision.publish()
    model.objects.filter(pk=page.pk).update(loaded_revision_id=revision.pk, source_hash=digest)
    page.loaded_revision_id = revision.pk
    return page


# `hours:` of a module in a track.yaml: the keys and the ModulePage fields they fill.
BREAKDOWN_KEYS = dict(zip(("reading", "exercises", "tutored", "in_person"), HOURS_BREAKDOWN))


def _hours(value):
    """A number of hours from YAML as a Decimal with one decimal place; None if it is not a number >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        return None
    return hours if hours == hours.quantize(Decimal("0.1")) else None


def _read_breakdown(data, nominal, path, where, problems):
    """`hours: {reading, exercises, tutored, in_person}` of a module of a track: required, and adding up to its
    nominal hours (Code du travail D6313-3-1: each remote activity's average duration is stated)."""
    if nominal is None:
        problems.add(path, f"{where}.nominal_hours", "required, a number of hours (one decimal at most)")
        return {}
    if not isinstance(data, dict) or set(data) != set(BREAKDOWN_KEYS):
        problems.add(path, f"{where}.hours", f"required: a mapping with exactly {sorted(BREAKDOWN_KEYS)}")
        return {}
    parts = {key: _hours(value) for key, value in data.items()}
    bad = sorted(key for key, value in parts.items() if value is None)
    if bad:
        problems.add(path, f"{where}.hours", f"{bad}: a number of hours >= 0, one decimal at most")
        return {}
    if sum(parts.values()) != nominal:
        problems.add(path, f"{where}.hours", f"the breakdown adds up to {sum(parts.values())} h, not the module's "
                                             f"nominal {nominal} h")
    return {BREAKDOWN_KEYS[key]: value for key, value in parts.items()}


def _read_outcome(data, path, problems):
    """`leads_to:` of a track.yaml as TrackPage fields: {kind: certification, certification, rncp, certifying_body}
    or {kind: adaptation|module}. Absent: a module (finishing it qualifies nobody)."""
    if data is None:
        return {"outcome": TrackOutcome.MODULE, "certification_name": "", "rncp_code": "", "certifying_body": ""}
    if not isinstance(data, dict) or data.get("kind") not in TrackOutcome.values:
        problems.add(path, "leads_to", f"expected a mapping with kind: one of {sorted(TrackOutcome.values)}")
        return {}
    fields = {"outcome": data["kind"], "certification_name": str(data.get("certification") or "").strip(),
              "rncp_code": str(data.get("rncp") or "").strip(),
              "certifying_body": str(data.get("certifying_body") or "").strip()}
    if data["kind"] == TrackOutcome.CERTIFICATION:
        for key, name in (("certification", "certification_name"), ("rncp", "rncp_code"),
                          ("certifying_body", "certifying_body")):
            if not fields[name]:
                problems.add(path, f"leads_to.{key}", "required for a certification")
        if fields["rncp_code"] and not re.fullmatch(r"RNCP\d{3,6}", fields["rncp_code"]):
            problems.add(path, "leads_to.rncp", "expected RNCP followed by digits, e.g. RNCP40913")
    return fields


SUPPORT_KEYS = {"pedagogical_contact": "support_pedagogical_contact", "pedagogical_email": "support_pedagogical_email",
                "technical_email": "support_technical_email"}


def _read_support(data, path, problems):
    """`support:` of a track.yaml as TrackPage fields: {pedagogical_contact, pedagogical_email, technical_email,
    response_hours} (Code du travail D6313-3-1: the assistance a distance training states). Absent: nothing set."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.add(path, "support", "expected a mapping")
        return {}
    fields = {name: str(data.get(key) or "").strip() for key, name in SUPPORT_KEYS.items()}
    for key in ("pedagogical_email", "technical_email"):
        value = fields[SUPPORT_KEYS[key]]
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            problems.add(path, f"support.{key}", "expected an email address")
    hours = data.get("response_hours", 48)
    if not isinstance(hours, int) or not 1 <= hours <= 720:
        problems.add(path, "support.response_hours", "expected a whole number of working hours, from 1 to 720")
    else:
        fields["support_response_hours"] = hours
    return fields


class MediaLibrary:
    """The Wagtail images and documents of one training body's collection that lessons loaded from a package show:
    a file already there (same bytes) is reused, so loading a package again adds nothing."""

    def __init__(self, collection):
        self.collection = collection

    def get(self, kind, reference, data):
        model = get_image_model() if kind == "image" else get_document_model()
        if kind == "image":
            data = uploads.image_reencode(ContentFile(data, name=Path(reference).name),
                                          max_bytes=MAX_MEDIA_BYTES).read()
        digest = hashlib.sha1(data).hexdigest()
        found = model.objects.filter(collection=self.collection, file_hash=digest).order_by("pk").first()
        if found is None:
            title = re.sub(r"-[0-9a-f]{12}$", "", Path(reference).stem).replace("-", " ").strip() or Path(reference).stem
            # Given to the constructor, the file fills an image's width and height (Django's ImageField).
            found = model.objects.create(title=title[:255], collection=self.collection, file_hash=digest,
                                         file_size=len(data), file=ContentFile(data, name=Path(reference).name))
        return found.pk


def _lesson_fields(lesson, library=None):
    body = []
    for kind, value in lesson.blocks:
        if kind == "image" and library is not None:
            value = {"image": {"image": library.get("image", value["file"], lesson.media[value["file"]]),
                               "decorative": not value["alt"], "alt_text": value["alt"]},
                     "caption": value["caption"]}
        elif kind == "document" and library is not None:
            value = {"document": library.get("document", value["file"], lesson.media[value["file"]]),
                     "label": value["label"]}
        body.append({"type": kind, "value": value})
    return {"title": lesson.title, "slug": lesson.slug, "duration_minutes": lesson.duration_minutes, "body": body}


def records_point_to(page):
    """Whether a row of the platform's own models (a lesson completion, an attempt, a question to the tutor…) points
    to `page`. Those models live in apps above the catalogue, which cannot name them: it asks Django's model meta
    API for every relation to the page's model instead (hidden ones included: `related_name="+"`)."""
    relations = [f for f in type(page)._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete
                 and f.is_relation]
    for relation in relations:
        model = relation.related_model
        if getattr(relation, "parent_link", False) or issubclass(model, Page) or not model.__module__.startswith("lms."):
            continue
        if model._default_manager.filter(**{relation.field.name: page.pk}).exists():
            return True
    return False


def alias_page(*, parent, original, source_key, report, update_copy, convert_copies=False):
    """The alias of `original` under `parent`, known by its own `source_key`: created if missing, else left to Wagtail,
    which keeps it in step with its source (publishing the source updates its aliases).

    A page of that key that is a copy (loaded before modules were shared) stays a copy, updated from content/ by
    `update_copy()` as before, unless `convert_copies` and nothing depends on it: no record of the platform points
    to it (progress, attempts, certificates' evidence), it has no aliases of its own and nobody edited it in the admin
    since it was loaded; it is then replaced, in its place, by an alias.
    """
    model = type(original)
    page = model.objects.child_of(parent).filter(source_key=source_key).first()
    if page is not None and page.alias_of_id is None:
        if not (convert_copies and page.latest_revision_id == page.loaded_revision_id
                and not model.objects.filter(alias_of=page).exists() and not records_point_to(page)):
            return update_copy()
    elif page is not None:
        report.unchanged.append(source_key)
        return page
    following = None
    if page is not None:  # the alias takes the copy's slug and place among its siblings
        following = page.get_next_sibling()
        page.delete()
        report.converted.append(source_key)
    else:
        report.created.append(source_key)
    alias = original.create_alias(parent=parent, update_slug=original.slug, log_action=None)
    if following is not None:
        alias.move(following, pos="left")
    model.objects.filter(pk=alias.pk).update(source_key=source_key, source_hash="", loaded_revision_id=None)
    return model.objects.get(pk=alias.pk)


@transaction.atomic
def load_content(content: Content, *, training_body_page, force=False, convert_copies=False) -> LoadReport:
    """Write the validated content under a training body's page, all in one transaction.

    A module shared by several tracks has one set of lessons and one quiz: they are pages of the first track that
    includes it (tracks in the order of their folders), and every other track holds aliases of them, so that an
    author edits a lesson once. Each track keeps its own module page, which carries the module's planning in that
    track (nominal hours, their breakdown and planned start differ from track to track) and the module's text.
    """
    report = LoadReport()
    body = getattr(training_body_page.specific, "training_body", None)
    library = MediaLibrary(Collection.objects.filter(name=body.name).first() if body else None)
    assessments = _assessment_loader()
    loader = assessments.upsert if assessments else None
    shared = {}  # module slug -> {"lessons": {slug: page}, "quiz": page, "bank": page (or None)}: what other tracks alias
    for spec in content.tracks:
        track = upsert_page(parent=training_body_page, model=TrackPage, source_key=spec.slug, report=report, force=force,
                            fields={"title": spec.title, "slug": spec.slug, "summary": spec.summary,
                                    "entry_profiles": spec.entry_profiles, "duration_value": spec.duration_value,
                                    "duration_unit": spec.duration_unit, "nominal_hours": spec.nominal_hours,
                                    "objectives": "\n".join(spec.objectives), **spec.outcome,
                                    **spec.support})
        for module, day_offset, hours, breakdown in spec.modules:
            module_key = f"{spec.slug}/{module.slug}"
            module_page = upsert_page(parent=track, model=ModulePage, source_key=module_key, report=report, force=force,
                                      fields={"title": module.title, "slug": module.slug, "summary": module.summary,
                                              "objectives": "\n".join(module.objectives), "nominal_hours": hours,
                                              "day_offset": day_offset, **breakdown})
            originals = shared.get(module.slug)
            pages = {"lessons": {}, "quiz": None, "bank": None}
            for lesson in module.lessons:
                def upsert_lesson(lesson=lesson):
                    return upsert_page(parent=module_page, model=LessonPage, source_key=f"{module_key}/{lesson.slug}",
                                       fields=_lesson_fields(lesson, library), report=report, force=force)
                if originals is None:
                    pages["lessons"][lesson.slug] = upsert_lesson()
                else:
                    alias_page(parent=module_page, original=originals["lessons"][lesson.slug],
                               source_key=f"{module_key}/{lesson.slug}", report=report, update_copy=upsert_lesson,
                               convert_copies=convert_copies)
            if module.quiz and loader:
                def upsert_module_quiz():
                    return loader(parent=module_page, source_key=f"{module_key}/quiz", spec=module.quiz,
                                  report=report, force=force, upsert_page=upsert_page)
                if originals is None:
                    pages["quiz"] = upsert_module_quiz()
                else:
                    alias_page(parent=module_page, original=originals["quiz"], source_key=f"{module_key}/quiz",
                               report=report, update_copy=upsert_module_quiz, convert_copies=convert_copies)
            if module.assessment and assessments and assessments.upsert_bank:
                # The module's questions for the final assessment of every track that includes it: one bank, which
                # each track's final assessment draws from (aliased in the other tracks, like the lessons).
                def upsert_bank():
                    return assessments.upsert_bank(parent=module_page, source_key=f"{module_key}/bank",
                                                   questions=module.assessment, report=report, force=force,
                                                   upsert_page=upsert_page)
                if originals is None:
                    pages["bank"] = upsert_bank()
                else:
                    alias_page(parent=module_page, original=originals["bank"], source_key=f"{module_key}/bank",
                               report=report, update_copy=upsert_bank, convert_copies=convert_copies)
            shared.setdefault(module.slug, pages)
        if spec.final_assessment and loader:
            # Its questions are its modules' banks (assessment.yaml): it holds no copy of them.
            loader(parent=track, source_key=f"{spec.slug}/final",
                   spec={**spec.final_assessment, "questions": [], "include_module_questions": True},
                   report=report, force=force, upsert_page=upsert_page, slug="evaluation-finale")
    return report
