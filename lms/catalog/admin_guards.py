"""Wagtail admin screens that open an object by its id without asking whether the user may reach it.

Wagtail checks page and collection permissions in its editing views, but a few screens answer for any id to anyone
who may use the admin, so that one training body's staff read another body's material:

* the admin API's documents and images (title, tags, file URL), which list the whole platform;
* the image chooser's format step (title, and a rendition made on request);
* the move confirmation (the page's title: Wagtail checks the move only when it is confirmed);
* the confirmation of a workflow's cancellation (the workflow and the task a page is in);
* and the external link chooser answers 500 to a request without its URL field.

Each one here asks Wagtail's own permission rules first (`reachable_media`, `may_move`, `may_edit`);
lms/catalog/admin_guard_urls.py puts the views in front of Wagtail's, wagtail_hooks.py registers the rest.
Platform admins (superusers) pass every check, as Wagtail's rules say.
"""
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from wagtail.admin.forms.choosers import ExternalLinkChooserForm, URLOrAbsolutePathField
from wagtail.admin.views.chooser import ExternalLinkView
from wagtail.admin.views.pages import workflow as page_workflow
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.permissions import permission_policy as document_permission_policy
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.permissions import permission_policy as image_permission_policy
from wagtail.images.views.chooser import ImageChooserViewSet, ImageSelectFormatView

MEDIA_ACTIONS = ["choose", "change"]  # what an author does with a document or an image of their collections


def reachable_media(user, policy):
    """The documents or images (by `policy`) of the collections where the user may choose or change them."""
    return policy.instances_user_has_any_permission_for(user, MEDIA_ACTIONS)


def may_reach_medium(user, policy, instance):
    return policy.user_has_any_permission_for_instance(user, MEDIA_ACTIONS, instance)


def may_edit(user, page):
    return page.permissions_for_user(user).can_edit()


def may_move(user, page, destination):
    return page.permissions_for_user(user).can_move_to(destination)


# The admin API (registered by the construct_admin_api hook in place of Wagtail's endpoints of the same names).

class ReachableDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=reachable_media(self.request.user, document_permission_policy))


class ReachableImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=reachable_media(self.request.user, image_permission_policy))


def register_reachable_media_endpoints(router):
    """construct_admin_api hook: the documents and images endpoints, narrowed to the user's collections."""
    router.register_endpoint("documents", ReachableDocumentsAPIViewSet)
    router.register_endpoint("images", ReachableImagesAPIViewSet)


# Screens put in front of Wagtail's (admin_guard_urls.py).

class ImageSelectFormat(ImageSelectFormatView):
    """The image chooser's format step, for an image the user may choose."""

    def dispatch(self, request, image_id):
        image = get_object_or_404(get_image_model(), id=image_id)
        if not may_reach_medium(request.user, image_permission_policy, image):
            raise PermissionDenied
        return super().dispatch(request, image_id)


image_select_format = ImageSelectFormat.as_view(model=get_image_model(),
                                                preserve_url_parameters=ImageChooserViewSet.preserve_url_parameters)


class ConfirmWorkflowCancellation(page_workflow.ConfirmWorkflowCancellation):
    """Asked when publishing a page in review: only of those who may edit the page."""

    def dispatch(self, request, *args, **kwargs):
        if not may_edit(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RequiredURLField(URLOrAbsolutePathField):
    def to_python(self, value):
        return super().to_python(value or "")  # Wagtail's field fails on a missing value instead of saying so


class ExternalLinkForm(ExternalLinkChooserForm):
    url = RequiredURLField(required=True, label=ExternalLinkChooserForm.base_fields["url"].label)


class ExternalLinkChooser(ExternalLinkView):
    form_class = ExternalLinkForm


def refuse_move_out_of_reach(request, page_to_move, destination):
    """before_move_page hook: the move confirmation opens only for a move the user may make."""
    if not may_move(request.user, page_to_move, destination):
        raise PermissionDenied
