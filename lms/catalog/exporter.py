"""Export a track, as it is published in Wagtail, in the format of content/ (the inverse of the loader).

`track_package(track)` gives the package's files (path -> bytes): the track's track.yaml, one folder per module
(module.yaml, lessons as Markdown with front matter, quiz.yaml, assessment.yaml) and, under media/, the images and
documents the lessons show. `zip_bytes` makes a deterministic zip of them (sorted entries, fixed timestamps): the same
track exports to the same bytes. Another instance loads the package with `load_content` (read_content validates it).

Not exported: a positioning test (content/ has no file for it), the settings content/ does not hold
(`min_realised_share`, a module's exemption threshold), links to documents or pages inside rich text.
"""
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath

import yaml
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from lms.catalog.loader import BREAKDOWN_KEYS, SUPPORT_KEYS, assessment_loader
from lms.catalog.markdown_export import blocks_to_markdown
from lms.catalog.models import AssessmentPage, LessonPage, ModulePage, TrackOutcome, TrackPage

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip holds: entries carry no export time


@dataclass
class Package:
    """The files of an exported track (path inside the package -> bytes) and what could not be exported."""

    track_slug: str
    files: dict = field(default_factory=dict)
    left_out: list = field(default_factory=list)  # (page title, reason)


def _number(value):
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _yaml(data):
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100).encode()


def _children(page, model):
    """The live children of `page` that are `model`s (an abstract model included), in the tree's order."""
    return [child for child in Page.objects.child_of(page).live().order_by("path").specific()
            if isinstance(child, model)]


class _Media:
    """The images and documents a package carries: media/images/<title>-<hash>.<ext>, named by content so that the
    same file gets the same name on every instance."""

    def __init__(self, files):
        self.files = files

    def reference(self, kind, pk):
        model = get_image_model() if kind == "image" else get_document_model()
        item = model.objects.filter(pk=pk).first() if pk else None
        if item is None:
            return None
        with item.file.open("rb") as handle:
            data = handle.read()
        suffix = PurePosixPath(item.file.name).suffix.lower()
        stem = slugify(item.title)[:60] or kind
        name = f"media/{kind}s/{stem}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
        self.files[name] = data
        return name


def _track_yaml(track, modules, final):
    data = {"title": track.title, "summary": track.summary, "entry_profiles": list(track.entry_profiles),
            "duration": {"value": track.duration_value, "unit": track.duration_unit},
            "nominal_hours": _number(track.nominal_hours)}
    leads_to = {"kind": track.outcome}
    if track.outcome == TrackOutcome.CERTIFICATION:
        leads_to.update(certification=track.certification_name, rncp=track.rncp_code,
                        certifying_body=track.certifying_body)
    data["leads_to"] = leads_to
    support = {key: getattr(track, name) for key, name in SUPPORT_KEYS.items() if getattr(track, name)}
    if support:
        support["response_hours"] = track.support_response_hours
        data["support"] = support
    data["objectives"] = _lines(track.objectives)
    parts = {name: key for key, name in BREAKDOWN_KEYS.items()}
    data["modules"] = [{"module": m.slug, "day_offset": m.day_offset, "nominal_hours": _number(m.nominal_hours),
                        "hours": {parts[name]: _number(getattr(m, name)) for name in parts}} for m in modules]
    if final is not None:
        data["final_assessment"] = final
    return data


def _lesson_file(lesson, media):
    front = _yaml({"title": lesson.title, "duration_minutes": lesson.duration_minutes}).decode()
    body = blocks_to_markdown([(block["type"], block["value"]) for block in lesson.body.raw_data],
                              media_reference=media.reference)
    return f"---\n{front}---\n{body}".encode()


def track_package(track: TrackPage) -> Package:
    """The files of `track` (a live TrackPage) in the content/ format, read from its published pages."""
    track = track.specific
    package = Package(track.slug)
    files, media = package.files, _Media(package.files)
    dump = getattr(assessment_loader(), "dump", None)
    dump_bank = getattr(assessment_loader(), "dump_bank", None)
    modules = _children(track, ModulePage)
    assessment = {m.pk: [] for m in modules}
    final_settings = None
    for quiz in _children(track, AssessmentPage):
        data = dump(quiz, final=True) if dump else None
        if data is None:
            package.left_out.append((quiz.title, "positioning test" if dump else "no assessment exporter"))
            continue
        if final_settings is not None:
            package.left_out.append((quiz.title, "a second final assessment"))
            continue
        final_settings, questions = data
        current = modules[0].pk if modules else None
        for module_id, question in questions:  # a question added in the admin goes with the one before it
            current = module_id if module_id in assessment else current
            if current is not None:
                assessment[current].append(question)
    for module in modules:
        base = f"modules/{module.slug}"
        files[f"{base}/module.yaml"] = _yaml({"title": module.title, "summary": module.summary,
                                              "objectives": _lines(module.objectives)})
        for number, lesson in enumerate(_children(module, LessonPage), start=1):
            files[f"{base}/lessons/{number:02d}-{lesson.slug}.md"] = _lesson_file(lesson, media)
        quizzes = _children(module, AssessmentPage)
        for quiz in quizzes[:1]:
            data = dump(quiz, final=False) if dump else None
            if data is not None:
                settings, questions = data
                files[f"{base}/quiz.yaml"] = _yaml({**settings, "questions": [q for _module, q in questions]})
        # The module's bank for the final assessment first, then any question written on the final assessment itself.
        assessment[module.pk] = (dump_bank(module) if dump_bank else []) + assessment[module.pk]
        if assessment[module.pk]:
            files[f"{base}/assessment.yaml"] = _yaml({"questions": assessment[module.pk]})
    files[f"tracks/{track.slug}/track.yaml"] = _yaml(_track_yaml(track, modules, final_settings))
    return package


def zip_bytes(files: dict) -> bytes:
    """A zip of `files` that depends on nothing but their paths and bytes (sorted entries, fixed dates and modes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_directory(files: dict, directory) -> None:
    """Write the package's files under `directory` (created if missing), as content/ lays them out."""
    directory = Path(directory)
    for name in sorted(files):
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
