"""Forget a track's cached structure when one of its pages changes; open a study session at each login; show the
offers to enrol waiting for an answer in 'Mon espace'."""
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.accounts.dashboard import DashboardSection, dashboard_sections
from lms.catalog.models import LessonPage, ModulePage, TrackPage, assessment_page_models
from lms.core.cache import TRAINEES_SCOPE, trainee_scope, watch_rows
from lms.learning.attendance import session_start
from lms.learning.models import Cohort, Enrolment, ModuleExemption, QualificationResult
from lms.learning.selectors import forget_restrictions, forget_tracks, offers_waiting_for, path_and_ancestors

# What a trainee's own page ('Mon parcours') shows, built again once a change commits (lms.core.cache): their
# enrolments, certification results and exemptions here; every trainee's cohort; the lessons and quizzes done
# through services.enrolment_refresh_completion, which every completion calls (a bulk write sends no signal).
watch_rows(Enrolment, lambda row: [trainee_scope(row.trainee_id)])
watch_rows(Cohort, lambda row: [TRAINEES_SCOPE])
watch_rows(QualificationResult, lambda row: [trainee_scope(row.enrolment.trainee_id)])
# an exemption is deleted only with its enrolment, which says so itself
watch_rows(ModuleExemption, lambda row: [trainee_scope(row.enrolment.trainee_id)], deletions=False)


def forget_structure(page):
    """The tracks that contain `page` (or are it) are rebuilt by every node once the change commits; so are the page
    restrictions' paths (a page moved, an alias published or deleted)."""
    forget_restrictions()
    if page.path:
        forget_tracks(TrackPage.objects.filter(path__in=path_and_ancestors(page.path)).values_list("pk", flat=True))


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, instance, **kwargs):
    forget_structure(instance)


@receiver(post_page_move)
def _page_moved(sender, instance, url_path_before=None, **kwargs):
    forget_structure(instance)
    if kwargs.get("parent_page_before") is not None:
        forget_structure(kwargs["parent_page_before"])


def _page_deleted(sender, instance, **kwargs):
    forget_structure(instance)


def connect_page_deletions():
    """Listen to the deletion of the catalogue's pages only (called once the app registry is ready, when every
    assessment page model is known): a receiver of every model's deletions would keep Django from deleting any
    other rows in one statement (the attendance log's, for one)."""
    for model in (TrackPage, ModulePage, LessonPage, *assessment_page_models()):
        post_delete.connect(_page_deleted, sender=model, dispatch_uid=f"learning-page-deleted:{model._meta.label}")


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restriction_changed(sender, raw=False, **kwargs):
    if not raw:
        forget_restrictions()


@receiver(user_logged_in)
def _study_session_on_login(sender, request, user, **kwargs):
    """Each login opens a session of the attendance record."""
    if request is not None and hasattr(request, "session"):
        if request.session.session_key is None:
            request.session.save()
        session_start(user=user, session_key=request.session.session_key)


@receiver(dashboard_sections)
def _offers_in_dashboard(sender, request, **kwargs):
    """The training bodies' offers to enrol that the user may accept or decline."""
    offers = list(offers_waiting_for(request.user, timezone.now()))
    return DashboardSection("learning/_enrolment_offers.html", {"offers": offers}) if offers else None
