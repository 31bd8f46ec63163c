"""Lesson attachments are private to the lesson's readers: Wagtail documents and images, originals and renditions.

A stored document or image may be read by:
- platform admins;
- the staff of the training body whose collection holds it (they manage it in /cms/);
- the readers of a live track with a live page that uses it (its enrolled trainees and its body's staff, by
  lms.learning.access.reads_track), the pages that use it coming from Wagtail's reference index;
- anyone, when a live page outside every track uses it (the legal pages, the public catalogue).
Anonymous visitors are sent to the login page; other users get a 404, as for the track itself.

Documents keep Wagtail's URL and view (/documents/<id>/<name>), behind a `before_serve_document` hook
(lms/learning/wagtail_hooks.py) that refuses, or hands the file to the web server when the fast path is configured
(Wagtail streams it otherwise). Image files (originals and the renditions in lesson pages) are served at MEDIA_URL
by `media` below, which also gives platform admins the other stored files their admin screens link to; it sends
the bytes through lms.core.protected_media (Django's storage API, or nginx / Apache's fast path). The lesson page
itself is not touched: its cached HTML keeps the rendition URLs, and the check runs when the browser fetches a file.
"""
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, get_default_page_content_type

from lms.catalog.authoring import training_body_of_collection
from lms.catalog.models import TrackPage
from lms.core.protected_media import fast_path_response, stored_file_response
from lms.learning.access import reads_track
from lms.learning.selectors import path_and_ancestors
from lms.organisations.selectors import is_staff_of

def live_page_paths_using(obj):
    """Tree paths of the live pages that use a document or an image (Wagtail's reference index)."""
    references = ReferenceIndex.get_references_to(obj).filter(base_content_type=get_default_page_content_type())
    page_ids = [int(pk) for pk in references.values_list("object_id", flat=True)]
    return list(Page.objects.live().filter(pk__in=page_ids).values_list("path", flat=True)) if page_ids else []


def may_read(user, obj):
    """Whether the user may read this Wagtail document or image (module docstring)."""
    if user.is_authenticated and user.is_superuser:
        return True
    owner_id = training_body_of_collection(obj.collection)
    if owner_id is not None and is_staff_of(user, owner_id):
        return True
    paths = live_page_paths_using(obj)
    tracks = list(TrackPage.objects.filter(path__in={p for path in paths for p in path_and_ancestors(path)})
                  .values_list("pk", "training_body_id", "path", "live"))
    if any(not any(path.startswith(track_path) for _, _, track_path, _ in tracks) for path in paths):
        return True  # shown on a public page, outside every track
    return any(live and reads_track(user, track_id, body_id) for track_id, body_id, _, live in tracks)


def refusal(request, obj):
    """None when the user may read `obj`; otherwise the login page for a visitor, a 404 for anyone else."""
    if may_read(request.user, obj):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def stored_object(name):
    """The Wagtail image (for an original or one of its renditions) or document stored under `name`, or None."""
    Image = get_image_model()
    rendition = Image.get_rendition_model().objects.filter(file=name).select_related("image__collection").first()
    if rendition is not None:
        return rendition.image
    for model in (Image, get_document_model()):
        obj = model.objects.filter(file=name).select_related("collection").first()
        if obj is not None:
            return obj
    return None


def file_response(obj, name):
    """The stored file `name` of a document or an image (its original or a rendition) for a reader."""
    if isinstance(obj, get_document_model()):
        # Wagtail's own headers for a document: its content type, inline or attachment (WAGTAILDOCS_*).
        return stored_file_response(name, content_type=obj.content_type, content_disposition=obj.content_disposition)
    return stored_file_response(name)


def serve_document(document, request):
    """before_serve_document: refuse, or hand the file to the web server; None lets Wagtail stream it."""
    return refusal(request, document) or fast_path_response(
        document.file.name, content_type=document.content_type, content_disposition=document.content_disposition)


def media(request, name):
    """A stored file at MEDIA_URL, to those who may read it; other stored files to platform admins only."""
    if "\x00" in name:  # no stored file has one, and neither the database nor the file system takes it
        raise Http404
    obj = stored_object(name)
    if obj is not None:
        return refusal(request, obj) or file_response(obj, name)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_superuser and default_storage.exists(name)):
        raise Http404
    return stored_file_response(name, content_disposition="attachment")
