"""The SCO's files, served from its package, and the runtime's two JSON endpoints (launch, commit)."""
import json
import mimetypes
import zipfile

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from lms.core.errors import DomainError
from lms.learning import selectors as learning_selectors
from lms.scorm import selectors, services
from lms.scorm.models import ScormLessonPage, ScormPackage
from lms.scorm.validation import safe_member_name

# What a SCO may do, and nothing more: its own scripts (authoring tools inline them and some evaluate code), its
# own files, no request to another site, framed only by the platform's lesson page; sandboxed, with the same
# origin kept so that it can reach the runtime API in window.parent (SCORM 1.2 RTE 3.3.6.1).
SCO_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "frame-ancestors 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "sandbox allow-scripts allow-same-origin allow-forms",
])
MAX_COMMIT_BYTES = 256 * 1024
TEXT_TYPES = {"text/html", "text/css", "text/javascript", "application/javascript", "text/xml", "application/xml",
              "text/plain", "application/json", "image/svg+xml"}


def _member_response(package, name):
    try:
        handle = package.file.storage.open(package.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    try:
        archive = zipfile.ZipFile(handle)
        info = archive.getinfo(name)
    except (KeyError, zipfile.BadZipFile):
        handle.close()
        raise Http404 from None
    if info.is_dir():
        handle.close()
        raise Http404

    def chunks():
        try:
            with archive.open(info) as member:
                while chunk := member.read(64 * 1024):
                    yield chunk
        finally:
            archive.close()
            handle.close()

    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type in TEXT_TYPES or content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = StreamingHttpResponse(chunks(), content_type=content_type)
    response["Content-Length"] = str(info.file_size)
    response["Content-Security-Policy"] = SCO_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=600"
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
@require_safe
@xframe_options_sameorigin
def content(request, package_id, path):
    """A file of a SCORM package, to the readers of a lesson that plays it and to its body's staff (404 for anyone
    else, as if the package did not exist)."""
    package = get_object_or_404(ScormPackage, pk=package_id)
    name = safe_member_name(path)
    if name is None or not selectors.reads_package(request.user, package):
        raise Http404
    return _member_response(package, name)


def _reader(request, lesson_id):
    """(the live SCORM lesson, the user's enrolment in its track); 404 for anyone not enrolled there."""
    enrolment = learning_selectors.enrolment_for_lesson(request.user, lesson_id)
    lesson = (ScormLessonPage.objects.live().filter(pk=lesson_id).select_related("package").first()
              if enrolment is not None else None)
    if lesson is None:
        raise Http404
    return lesson, enrolment


def _refused(message, status=400):
    return JsonResponse({"error": message}, status=status)


@login_required
@require_POST
def launch(request, lesson_id):
    """LMSInitialize: a new session of the SCO for the enrolled trainee; the cmi values it starts with."""
    lesson, enrolment = _reader(request, lesson_id)
    try:
        state = services.attempt_launch(enrolment=enrolment, lesson=lesson)
    except DomainError as error:
        return _refused(error.message, 403)
    return JsonResponse(state)


@login_required
@require_POST
def commit(request, lesson_id):
    """LMSCommit, LMSFinish or the page left (navigator.sendBeacon): the session's data, checked again here.

    A form post (the beacon cannot set a header; the CSRF token travels as a field): `session`, `finished`
    ("1" or not) and `data`, the JSON object {element: value} of what the SCO set.
    """
    lesson, enrolment = _reader(request, lesson_id)
    raw = request.POST.get("data", "")
    if len(raw) > MAX_COMMIT_BYTES:
        return _refused(_("The data sent by the activity is too large."), 413)
    try:
        values = json.loads(raw or "{}")
    except ValueError:
        return _refused(_("The data sent by the activity is not valid JSON."))
    try:
        attempt = services.attempt_commit(enrolment=enrolment, lesson=lesson, session=request.POST.get("session", ""),
                                          values=values, finished=request.POST.get("finished") == "1")
    except DomainError as error:
        return _refused(error.message, 409 if error.field == "session" else 400)
    return JsonResponse({"saved": True, "lesson_status": attempt.lesson_status, "done": attempt.done})

