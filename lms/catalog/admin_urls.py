"""Admin screens of Wagtail replaced by their per-body versions (lms.catalog.admin_isolation).

Included in lms/urls.py just before Wagtail's admin, at the same paths: Wagtail's own register_admin_urls hook adds
URLs after its built-in ones, so it cannot take their place. The URL names stay Wagtail's, so that every link
Wagtail builds (reverse("wagtailadmin_reports:workflow")...) leads here.
"""
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import workflows
from wagtail.utils.urlpatterns import decorate_urlpatterns

from lms.catalog import admin_isolation as scoped


def report(view, url):
    return [path(url, view.as_view()), path(f"{url}results/", view.as_view(results_only=True))]


urlpatterns = [
    *report(scoped.WorkflowReport, "reports/workflow/"),
    *report(scoped.WorkflowTasksReport, "reports/workflow_tasks/"),
    *report(scoped.LockedPagesReport, "reports/locked/"),
    *report(scoped.SiteHistoryReport, "reports/site-history/"),
    *report(scoped.PageTypesUsageReport, "reports/page-types-usage/"),
    path("pages/<int:page_id>/privacy/", scoped.set_privacy),
    path("choose-page/", scoped.PageChooserBrowse.as_view()),
    path("choose-page/<int:parent_page_id>/", scoped.PageChooserBrowse.as_view()),
    path("choose-page/chosen-multiple/", scoped.PageChooserChosenMultiple.as_view()),
    path("workflows/task_chooser/", scoped.workflow_editors_only(workflows.TaskChooserView.as_view())),
    path("workflows/task_chooser/results/", scoped.workflow_editors_only(workflows.TaskChooserResultsView.as_view())),
    path("workflows/task_chooser/create/", scoped.workflow_editors_only(workflows.TaskChooserCreateView.as_view())),
    path("workflows/task_chooser/<int:task_id>/", scoped.workflow_editors_only(workflows.task_chosen)),
]
urlpatterns = decorate_urlpatterns(decorate_urlpatterns(urlpatterns, require_admin_access), never_cache)
