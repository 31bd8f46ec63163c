"""Training bodies author in the Wagtail admin, each in its own subtree, with a review workflow."""
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from wagtail.models import WorkflowPage

from lms.catalog.models import TrackPage, TrainingBodyPage
from tests.factories import SAMPLE_QUESTIONS, make_quiz, make_staff, make_track, make_training_body

pytestmark = pytest.mark.django_db


def test_new_training_body_gets_its_subtree_groups_and_workflow():
    body = make_training_body(name="Organisme Nord")
    page = TrainingBodyPage.objects.get(training_body=body)
    assert page.get_parent().specific_class.__name__ == "CatalogIndexPage"
    assert Group.objects.filter(name="Organisme Nord — auteurs").exists()
    assert Group.objects.filter(name="Organisme Nord — responsables").exists()
    workflow = WorkflowPage.objects.get(page=page).workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Organisme Nord — responsables"]


def test_author_edits_own_pages_but_cannot_publish_and_manager_can():
    body = make_training_body()
    track = make_track(training_body=body)
    author = make_staff(training_body=body, role="author")
    manager = make_staff(training_body=body, role="manager")
    assert track.permissions_for_user(author).can_edit()
    assert not track.permissions_for_user(author).can_publish()
    assert track.permissions_for_user(manager).can_publish()


def test_author_of_one_body_cannot_edit_another_bodys_pages(client):
    mine, theirs = make_training_body(), make_training_body()
    their_track = make_track(training_body=theirs, title="Parcours protégé")
    author = make_staff(training_body=mine, role="author")
    assert not their_track.permissions_for_user(author).can_edit()
    client.force_login(author)
    response = client.get(f"/cms/pages/{their_track.pk}/edit/")
    assert response.status_code in (302, 403)
    client.post(f"/cms/pages/{their_track.pk}/edit/", {"title": "Piraté", "slug": their_track.slug})
    their_track.refresh_from_db()
    assert their_track.title == "Parcours protégé"
    assert their_track.get_latest_revision() is None


def test_author_reaches_admin_edit_page_of_own_track(client):
    body = make_training_body()
    track = make_track(training_body=body)
    author = make_staff(training_body=body, role="author")
    client.force_login(author)
    assert client.get(f"/cms/pages/{track.pk}/edit/").status_code == 200


def test_removing_membership_removes_groups():
    body = make_training_body()
    author = make_staff(training_body=body, role="author")
    assert author.groups.count() == 1
    author.training_body_memberships.get().delete()
    assert author.groups.count() == 0


def test_track_records_its_training_body():
    body = make_training_body()
    track = make_track(training_body=body)
    assert TrackPage.objects.get(pk=track.pk).training_body == body


def test_author_submits_and_a_manager_publishes_through_the_workflow():
    """Moderation: an author's change waits for a manager's approval before it goes live."""
    from wagtail.models import TaskState

    body = make_training_body()
    track = make_track(training_body=body, title="Titre initial")
    author = make_staff(training_body=body, role="author")
    manager = make_staff(training_body=body, role="manager")
    workflow = track.get_workflow()
    assert workflow is not None and workflow.name.startswith("Relecture")
    track.title = "Titre proposé"
    revision = track.save_revision(user=author)
    workflow.start(track, author)
    task_state = TaskState.objects.get(revision=revision, status="in_progress")
    task = task_state.task.specific
    assert task.get_actions(track, author) == []  # an author cannot approve their own change
    assert "approve" in [name for name, *_ in task.get_actions(track, manager)]
    live = TrackPage.objects.get(pk=track.pk)
    assert live.title == "Titre initial"  # not published yet
    task.on_action(task_state, manager, "approve")
    assert TrackPage.objects.get(pk=track.pk).title == "Titre proposé"


def test_the_quiz_editor_opens_on_collapsed_questions(client):
    """A 60-question quiz expanded is some 130,000 elements for the browser to lay out before the author can type
    (bench/cms_pages.py): the editor lists the questions collapsed, each expanded on demand."""
    body = make_training_body()
    track = make_track(training_body=body)
    quiz = make_quiz(parent=track, title="Évaluation finale", questions=SAMPLE_QUESTIONS * 15)
    author = make_staff(training_body=body, role="author")
    client.force_login(author)
    html = unescape(client.get(f"/cms/pages/{quiz.pk}/edit/").content.decode())
    assert len(quiz.questions) == 60 and html.count("Combien de minutes de repos") >= 15
    streams = re.findall(r'"blockCounts": \{[^}]*\}, "collapsed": (true|false)', html)  # the meta of a StreamBlock
    assert streams == ["true"], streams
