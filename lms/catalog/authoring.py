"""Wagtail authoring for training bodies: their page subtree, groups, collection and review workflow."""
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    Locale,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.catalog.models import CatalogIndexPage, TrainingBodyPage
from lms.organisations.models import StaffRole, TrainingBody, TrainingBodyMembership

AUTHOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
MANAGER_PAGE_PERMISSIONS = AUTHOR_PAGE_PERMISSIONS + ["publish_page", "unlock_page", "delete_page"]
COLLECTION_PERMISSIONS = ["add_image", "change_image", "choose_image", "add_document", "change_document",
                          "choose_document"]


@transaction.atomic
def catalog_root():
    """The catalogue page, created under Wagtail's root and made the default site's root if missing."""
    root = CatalogIndexPage.objects.first()
    if root is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        wagtail_root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        root = wagtail_root.add_child(instance=CatalogIndexPage(title="Formations", slug="formations"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True,
                            site_name="Parcours AM")
    elif site.root_page_id != root.pk:
        old_root = site.root_page
        site.root_page = root
        site.site_name = "Parcours AM"
        site.save()
        # The "Welcome to Wagtail" page of a fresh install has no purpose here.
        if old_root.depth == 2 and type(old_root.specific) is Page and not old_root.get_children().exists():
            old_root.delete()
    return root


def group_names(training_body):
    return f"{training_body.name} — auteurs", f"{training_body.name} — responsables"


def _perms(codenames, app_label):
    return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


@transaction.atomic
def training_body_setup(training_body):
    """Create (idempotently) the body's page, groups, collection and workflow."""
    root = catalog_root()
    page = TrainingBodyPage.objects.filter(training_body=training_body).first()
    if page is None:
        page = root.add_child(instance=TrainingBodyPage(
            title=training_body.name, slug=slugify(training_body.slug or training_body.name), training_body=training_body,
        ))
    authors_name, managers_name = group_names(training_body)
    authors, _ = Group.objects.get_or_create(name=authors_name)
    managers, _ = Group.objects.get_or_create(name=managers_name)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for group, codenames in ((authors, AUTHOR_PAGE_PERMISSIONS), (managers, MANAGER_PAGE_PERMISSIONS)):
        group.permissions.add(access_admin)
        for permission in _perms(codenames, "wagtailcore"):
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    collection = Collection.objects.filter(name=training_body.name).first()
    if collection is None:
        collection_root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        collection = collection_root.add_child(name=training_body.name)
    for group in (authors, managers):
        for permission in _perms(COLLECTION_PERMISSIONS[:3], "wagtailimages") + _perms(COLLECTION_PERMISSIONS[3:], "wagtaildocs"):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    workflow, created = Workflow.objects.get_or_create(name=f"Relecture — {training_body.name}")
    if created:
        task = GroupApprovalTask.objects.create(name=f"Validation par un responsable — {training_body.name}")
        task.groups.set([managers])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return page


def training_body_of_collection(collection):
    """The id of the training body owning a collection (its own, made by training_body_setup, or one below it).

    None for the platform's collections (the root and any other top-level one that no body is named after).
    """
    top_path = collection.path[: Collection.steplen * 2]  # the root's child that holds this collection
    if len(top_path) < Collection.steplen * 2:
        return None
    top = Collection.objects.filter(path=top_path).values("name")[:1]
    return TrainingBody.objects.filter(name=top).values_list("pk", flat=True).first()


def staff_groups_sync(user):
    """Put the user in the Wagtail groups matching their training-body roles, and only those."""
    wanted = set()
    for membership in TrainingBodyMembership.objects.filter(user=user).select_related("training_body"):
        authors_name, managers_name = group_names(membership.training_body)
        if membership.role == StaffRole.AUTHOR:
            wanted.add(authors_name)
        elif membership.role == StaffRole.MANAGER:
            wanted.update({authors_name, managers_name})
    managed = [g for g in user.groups.all() if g.name.endswith((" — auteurs", " — responsables"))]
    user.groups.remove(*[g for g in managed if g.name not in wanted])
    user.groups.add(*Group.objects.filter(name__in=wanted))
