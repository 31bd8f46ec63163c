"""The Wagtail admin shows a training body's staff nothing of another body.

Wagtail scopes its listings (explorer, search, reports' rows) by page and collection permissions, but some of its
screens name other objects: the filter choices of the workflow, task, locked-pages and site-history reports (every
workflow, task and requesting user of the platform), the page-types usage report (the last edited page of each type,
platform-wide), the page chooser (the whole tree), the task chooser, and the bulk-action confirmations (the title of
every id in the query string, "you may not act on these"), the page privacy dialog (every group of the platform).
Here each of those screens is narrowed to what the user
may reach; lms/catalog/admin_urls.py puts the views in front of Wagtail's and wagtail_hooks.py registers the rest.
Platform admins (superusers) see everything, as before.
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.admin.forms.pages import PageViewRestrictionForm
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views import chooser
from wagtail.admin.views.pages.listing import GenericPageFilterSet
from wagtail.admin.views.pages.bulk_actions import delete as page_delete
from wagtail.admin.views.pages.bulk_actions import move as page_move
from wagtail.admin.views.pages.bulk_actions import publish as page_publish
from wagtail.admin.views.pages.bulk_actions import unpublish as page_unpublish
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet, get_users_for_filter
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet, LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.documents.permissions import permission_policy as document_permission_policy
from wagtail.documents.views.bulk_actions import add_tags as document_add_tags
from wagtail.documents.views.bulk_actions import add_to_collection as document_add_to_collection
from wagtail.documents.views.bulk_actions import delete as document_delete
from wagtail.images.permissions import permission_policy as image_permission_policy
from wagtail.images.views.bulk_actions import add_tags as image_add_tags
from wagtail.images.views.bulk_actions import add_to_collection as image_add_to_collection
from wagtail.images.views.bulk_actions import delete as image_delete
from wagtail.models import (
    GroupPagePermission,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Task,
    TaskState,
    Workflow,
    WorkflowState,
    get_default_page_content_type,
)
from wagtail.permissions import page_permission_policy, workflow_permission_policy

from lms.catalog.models import TrainingBodyPage

EXPLORE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


def pages_in_reach(user):
    """The pages a user may see in the admin: their body's subtree (Wagtail's explorer rule); every page for admins."""
    if not page_permission_policy.user_has_any_permission(user, EXPLORE_ACTIONS):
        return Page.objects.none()
    return page_permission_policy.explorable_instances(user)


def editable_page_ids(user):
    """Ids (as text, like the generic relations of workflow states) of the pages the user may change."""
    pages = page_permission_policy.instances_user_has_permission_for(user, "change")
    return pages.values_list(Cast("id", output_field=CharField()), flat=True)


def workflow_states_in_reach(user):
    """The workflow states the workflow report lists for this user: those of pages they may change."""
    return WorkflowState.objects.filter(base_content_type_id=get_default_page_content_type().id,
                                        object_id__in=editable_page_ids(user))


def workflows_in_reach(user):
    """Workflows of the user's pages: assigned to a page in reach, or run on a page they may change."""
    return Workflow.objects.filter(
        Q(workflow_pages__page__in=pages_in_reach(user))
        | Q(pk__in=workflow_states_in_reach(user).values("workflow_id"))
    ).distinct()


def tasks_in_reach(user):
    return Task.objects.filter(
        Q(workflow_tasks__workflow__in=workflows_in_reach(user))
        | Q(pk__in=TaskState.objects.filter(workflow_state__in=workflow_states_in_reach(user)).values("task_id"))
    ).distinct()


def users_named(ids):
    User = get_user_model()
    return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


class ScopedChoicesMixin:
    """An admin filter set whose choice lists are narrowed to what the user may reach (see `scoped_choices`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        if not user.is_superuser:
            for name, queryset in self.scoped_choices(user).items():
                self.filters[name].queryset = queryset

    def scoped_choices(self, user):
        return {}


class WorkflowReportFilters(ScopedChoicesMixin, WorkflowReportFilterSet):
    def scoped_choices(self, user):
        return {"workflow": workflows_in_reach(user),
                "requested_by": users_named(workflow_states_in_reach(user).values("requested_by_id"))}


class WorkflowTasksReportFilters(ScopedChoicesMixin, WorkflowTasksReportFilterSet):
    def scoped_choices(self, user):
        return {"workflow": workflows_in_reach(user), "task": tasks_in_reach(user)}


class LockedPagesReportFilters(ScopedChoicesMixin, LockedPagesReportFilterSet):
    def scoped_choices(self, user):
        return {"locked_by": users_named(pages_in_reach(user).filter(locked=True).values("locked_by_id"))}


class PageListingFilters(ScopedChoicesMixin, GenericPageFilterSet):
    """The explorer's and the page-type listing's filters: owners and editors of the pages in reach only."""

    def scoped_choices(self, user):
        pages = pages_in_reach(user)
        edits = PageLogEntry.objects.filter(action="wagtail.edit", page__in=pages.values("pk"))
        return {"owner": users_named(pages.values("owner_id")), "edited_by": users_named(edits.values("user_id"))}


class PageListings(PageViewSet):
    """Wagtail's default page listings (explorer, pages of a type) with the filters above.

    Registered for the base Page model after Wagtail's own (wagtail_hooks.py), so that Wagtail's page viewset
    registry routes every explorer and type-use URL here.
    """

    filterset_class = PageListingFilters


class SiteHistoryReportFilters(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        # Those who wrote the entries the user may read, as Wagtail's own helper computes it.
        return get_users_for_filter(self.request.user)


class WorkflowReport(WorkflowView):
    filterset_class = WorkflowReportFilters


class WorkflowTasksReport(WorkflowTasksView):
    filterset_class = WorkflowTasksReportFilters


class LockedPagesReport(LockedPagesView):
    filterset_class = LockedPagesReportFilters


class SiteHistoryReport(LogEntriesView):
    filterset_class = SiteHistoryReportFilters


class PageTypesUsageReport(PageTypesUsageReportView):
    """Each page type's count and last edited page among the pages in the user's reach, not the platform's."""

    def get_queryset(self):
        user = self.request.user
        if user.is_superuser:
            return super().get_queryset()
        self.queryset = ContentType.objects.filter(model__in=self.page_models)
        content_types = self.filter_queryset(self.queryset)
        pages = pages_in_reach(user)
        cleaned = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        if cleaned.get("page_locale"):
            pages = pages.filter(locale__language_code=cleaned["page_locale"])
        if cleaned.get("site"):
            pages = pages.filter(path__startswith=cleaned["site"])
        last_edited = (pages.filter(content_type=OuterRef("pk"))
                       .order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"))
        return (content_types
                .annotate(count=Count("pages", filter=Q(pages__in=pages.values("pk"))),
                          last_edited_page_id=Subquery(last_edited.values("pk")[:1]))
                .order_by("-count", "app_label", "model"))


# Page chooser (links in lesson text): the pages in reach, browsed from within them.

def restrict_page_chooser(pages, request):
    """construct_page_chooser_queryset hook: children and search results limited to the pages in reach."""
    if request.user.is_superuser:
        return pages
    return pages.filter(pk__in=pages_in_reach(request.user).values("pk"))


class PageChooserBrowse(chooser.BrowseView):
    """Opens only on a page in reach; without a parent, on the closest page in reach holding the wanted types."""

    def get(self, request, parent_page_id=None):
        user = request.user
        if user.is_superuser:
            return super().get(request, parent_page_id)
        reach = pages_in_reach(user)
        if parent_page_id is not None:
            if not reach.filter(pk=parent_page_id).exists():
                raise Http404
            return super().get(request, parent_page_id)
        start = reach.order_by("depth", "path").first()
        if start is None:
            raise Http404
        return super().get(request, start.pk)


class PageChooserChosenMultiple(chooser.ChosenMultipleView):
    def get(self, request):
        if not request.user.is_superuser:
            wanted = request.GET.getlist("id")
            if pages_in_reach(request.user).filter(pk__in=[pk for pk in wanted if pk.isdigit()]).count() != len(wanted):
                raise Http404
        return super().get(request)


def workflow_editors_only(view):
    """The task chooser lists every body's tasks; only those who edit workflows (platform admins) need it.

    Others get a 404 (Wagtail would turn a PermissionDenied into a redirect to the dashboard).
    """

    def wrapped(request, *args, **kwargs):
        if not workflow_permission_policy.user_has_any_permission(request.user, {"add", "change"}):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# Bulk actions: the confirmation lists the items the user may not act on; only those they may see are named.

class NamesOnlyWhatIsInSightMixin:
    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        refused = extra.get("items_with_no_access", [])
        if refused and not self.request.user.is_superuser:
            in_sight = set(self.in_sight(self.request.user, [item.pk for item in refused]))
            extra["items_with_no_access"] = [item for item in refused if item.pk in in_sight]
        return objects, extra


class PageInSight(NamesOnlyWhatIsInSightMixin):
    @staticmethod
    def in_sight(user, ids):
        return pages_in_reach(user).filter(pk__in=ids).values_list("pk", flat=True)


def collection_in_sight(policy):
    class CollectionInSight(NamesOnlyWhatIsInSightMixin):
        @staticmethod
        def in_sight(user, ids):
            return (policy.instances_user_has_any_permission_for(user, ["change", "choose"])
                    .filter(pk__in=ids).values_list("pk", flat=True))

    return CollectionInSight


def scoped_bulk_actions():
    """Wagtail's page, image and document bulk actions, each with the mixin above (same action types)."""
    images, documents = collection_in_sight(image_permission_policy), collection_in_sight(document_permission_policy)
    wagtail_actions = [
        (PageInSight, page_delete.DeleteBulkAction), (PageInSight, page_move.MoveBulkAction),
        (PageInSight, page_publish.PublishBulkAction), (PageInSight, page_unpublish.UnpublishBulkAction),
        (images, image_delete.DeleteBulkAction), (images, image_add_tags.AddTagsBulkAction),
        (images, image_add_to_collection.AddToCollectionBulkAction),
        (documents, document_delete.DeleteBulkAction), (documents, document_add_tags.AddTagsBulkAction),
        (documents, document_add_to_collection.AddToCollectionBulkAction),
    ]
    return [type(action.__name__, (mixin, action), {"__module__": __name__}) for mixin, action in wagtail_actions]


# Page privacy: the dialog offers the groups of the page's training body only.

def groups_in_sight(user, page):
    """The groups a user may restrict a page to: every group for platform admins; for a body's staff, the groups
    holding permissions in the page's training body space (its authors and managers), none elsewhere."""
    if user.is_superuser:
        return Group.objects.all()
    body_page = TrainingBodyPage.objects.ancestor_of(page, inclusive=True).first()
    if body_page is None:
        return Group.objects.none()
    holders = GroupPagePermission.objects.filter(page__path__startswith=body_page.path).values("group_id")
    return Group.objects.filter(pk__in=holders).order_by("name")


class ScopedPageViewRestrictionForm(PageViewRestrictionForm):
    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups


def set_privacy(request, page_id):
    """Wagtail's page privacy dialog (wagtail.admin.views.page_privacy.set_privacy), the same steps and
    templates, with the group choices of groups_in_sight: a body's staff neither see nor set another's groups."""
    page = get_object_or_404(Page, id=page_id).specific_deferred
    if not page.permissions_for_user(request.user).can_set_view_restrictions():
        raise PermissionDenied
    if not page.private_page_options:
        return render_modal_workflow(request, "wagtailadmin/page_privacy/no_privacy.html", None)
    restrictions = list(page.get_view_restrictions().select_related("page").order_by("-page__depth"))
    own = restrictions.pop(0) if restrictions and restrictions[0].page_id == page.pk else None
    inherited = restrictions[0] if restrictions else None
    form_kwargs = {"groups": groups_in_sight(request.user, page), "private_page_options": page.private_page_options}
    if request.method == "POST":
        form = ScopedPageViewRestrictionForm(request.POST, instance=own, **form_kwargs)
        if form.is_valid():
            if form.cleaned_data["restriction_type"] == PageViewRestriction.NONE:
                if own:
                    own.delete(user=request.user)
            else:
                restriction = form.save(commit=False)
                restriction.page = page
                restriction.save(user=request.user)
                form.save_m2m()
            return render_modal_workflow(request, None, None, None, json_data={
                "step": "set_privacy_done",
                "is_public": form.cleaned_data["restriction_type"] == PageViewRestriction.NONE})
    else:
        form = ScopedPageViewRestrictionForm(instance=own, initial=None if own else {"restriction_type": "none"},
                                             **form_kwargs)
        if inherited:
            link = format_html('<a href="{}">{}</a>', reverse("wagtailadmin_pages:edit", args=[inherited.page_id]),
                               inherited.page.specific_deferred.get_admin_display_title())
            # The link is escaped by format_html; the sentence is Wagtail's own msgid.
            choice = (PageViewRestriction.NONE, format_html("<span>{}</span>", mark_safe(
                _("Privacy is inherited from the ancestor page - %(ancestor_page)s") % {"ancestor_page": link})))
            form.fields["restriction_type"].choices = [choice] + list(form.fields["restriction_type"].choices[1:])
    return render_modal_workflow(request, "wagtailadmin/shared/set_privacy.html", None, {
        "action_url": reverse("wagtailadmin_pages:set_privacy", args=(page.pk,)), "object": page, "form": form,
    }, json_data={"step": "set_privacy"})
