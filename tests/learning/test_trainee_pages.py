"""The trainee's pages: my track, outline, lesson, mark done, search; only their own tracks."""
from datetime import timedelta

import pytest
from django.urls import reverse

from lms.catalog.models import LessonPage
from lms.learning.models import LessonCompletion
from tests.factories import make_employer, make_enrolment, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db


def lessons_of(track):
    return list(LessonPage.objects.descendant_of(track).order_by("path"))


def test_my_track_shows_progress_next_lesson_and_planned_end(client):
    enrolment = make_enrolment()
    first = lessons_of(enrolment.track)[0]
    client.force_login(enrolment.trainee)
    html = client.get(reverse("my_track")).content.decode()
    assert enrolment.track.title in html
    assert "Progression : 0 %" in html
    assert reverse("lesson", args=[first.pk]) in html and "Commencer" in html and "<dt>Début</dt>" in html
    assert "Fin prévue" in html


def test_outline_lists_modules_and_lessons_with_status(client):
    enrolment = make_enrolment()
    lessons = lessons_of(enrolment.track)
    LessonCompletion.objects.create(enrolment=enrolment, lesson=lessons[0])
    client.force_login(enrolment.trainee)
    html = client.get(reverse('track_outline', args=[enrolment.track_id])).content.decode()
    assert "Module 1" in html and "Module 2" in html
    assert html.count("Terminée") == 1
    assert html.count("À faire") == len(lessons) - 1
    assert "1/2 leçons" in html and "0/2 leçons" in html
    assert "<!--status:" not in html  # every slot of the shared outline is filled or emptied


def test_outline_statuses_follow_each_reader_and_published_changes(client, django_capture_on_commit_callbacks):
    """The outline's shared HTML is cached; statuses are per reader; a publication shows once committed."""
    enrolment = make_enrolment()
    other = make_enrolment(track=enrolment.track)
    lessons = lessons_of(enrolment.track)
    for lesson in lessons[:2]:
        LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
    url = reverse("track_outline", args=[enrolment.track_id])
    client.force_login(enrolment.trainee)
    html = client.get(url).content.decode()
    assert "Module terminé" in html and html.count("Terminée") == 2
    client.force_login(other.trainee)
    html = client.get(url).content.decode()
    assert "Module terminé" not in html and html.count("Terminée") == 0
    revision = lessons[3].save_revision()
    lessons[3].title = "Nouveau titre publié"
    revision = lessons[3].save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    assert "Nouveau titre publié" in client.get(url).content.decode()
    staff = make_staff(training_body=enrolment.track.training_body)
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "Nouveau titre publié" in html and "À faire" not in html and "<!--status:" not in html


def test_lesson_page_has_navigation_mark_done_and_time(client):
    enrolment = make_enrolment()
    lessons = lessons_of(enrolment.track)
    client.force_login(enrolment.trainee)
    html = client.get(reverse('lesson', args=[lessons[1].pk])).content.decode()
    assert "Temps estimé : 15 min" in html
    assert reverse('lesson', args=[lessons[0].pk]) in html and reverse('lesson', args=[lessons[2].pk]) in html
    assert "Marquer comme terminée" in html
    assert "Texte de la leçon 1.2" in html


def test_mark_done_records_completion_once_and_moves_on(client):
    enrolment = make_enrolment()
    lessons = lessons_of(enrolment.track)
    client.force_login(enrolment.trainee)
    url = reverse("lesson_mark_done", args=[lessons[0].pk])
    response = client.post(url, {"next": "1"})
    assert response.status_code == 302 and response.url == reverse('lesson', args=[lessons[1].pk])
    client.post(url, {"next": "1"})
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1
    assert "Progression : 25 %" in client.get(reverse("my_track")).content.decode()


def test_continue_follows_the_track_in_order_quizzes_included(client):
    """Issue 16, point 1: after a module's last lesson comes its quiz, after the last module the final assessment;
    the lesson page's 'Next' link says the same."""
    from lms.catalog.models import ModulePage
    from tests.factories import make_quiz

    track = make_track(modules=2, lessons=2)
    first_module, second_module = ModulePage.objects.child_of(track).order_by("path")
    module_quiz = make_quiz(parent=first_module, title="Quiz du module 1")
    final = make_quiz(parent=track, title="Évaluation finale")
    enrolment = make_enrolment(track=track)
    lessons = lessons_of(track)
    client.force_login(enrolment.trainee)
    expected = [(lessons[0], reverse("lesson", args=[lessons[1].pk])),
                (lessons[1], reverse("quiz", args=[module_quiz.pk])),  # the module's quiz, not the next lesson
                (lessons[2], reverse("lesson", args=[lessons[3].pk])),
                (lessons[3], reverse("quiz", args=[final.pk]))]  # module 2 has no quiz: the final assessment
    for lesson, after in expected:
        html = client.get(reverse("lesson", args=[lesson.pk])).content.decode()
        assert f'href="{after}" rel="next"' in html and "et continuer" in html, lesson.title
        response = client.post(reverse("lesson_mark_done", args=[lesson.pk]), {"next": "1"})
        assert response.status_code == 302 and response.url == after, lesson.title
    assert 'rel="prev"' in client.get(reverse("lesson", args=[lessons[2].pk])).content.decode()
    html = client.get(reverse("lesson", args=[lessons[2].pk])).content.decode()
    assert f'href="{reverse("quiz", args=[module_quiz.pk])}" rel="prev"' in html  # back to the quiz before it


def test_behind_schedule_says_by_how_much_and_what_to_do(client):
    """Issue 16, point 1: "Rythme : En retard" with the gap and the weekly pace that finishes on time."""
    from django.utils import timezone

    today = timezone.localdate()
    track = make_track(modules=2, lessons=5, duration_value=2, duration_unit="months")  # 10 lessons
    enrolment = make_enrolment(track=track, starts_on=today - timedelta(days=30))
    client.force_login(enrolment.trainee)
    html = client.get(reverse("my_track")).content.decode()
    assert "En retard" in html and "éléments de retard sur le rythme prévu" in html
    assert "éléments par semaine (leçons et quiz)" in html or "élément par semaine (leçons et quiz)" in html
    late = make_enrolment(track=make_track(modules=1, lessons=3), starts_on=today - timedelta(days=60))
    client.force_login(late.trainee)
    html = client.get(reverse("my_track")).content.decode()
    assert "est passée et il reste 3 éléments : convenez d&#x27;un nouveau calendrier" in html or \
        "est passée et il reste 3 éléments : convenez d'un nouveau calendrier" in html


def test_not_enrolled_trainee_gets_404_on_another_tracks_pages(client):
    enrolment = make_enrolment()
    other = make_trainee()
    make_enrolment(trainee=other)
    client.force_login(other)
    lesson = lessons_of(enrolment.track)[0]
    assert client.get(reverse('track_outline', args=[enrolment.track_id])).status_code == 404
    response = client.get(reverse('lesson', args=[lesson.pk]))
    assert response.status_code == 404
    assert "Texte de la leçon" not in response.content.decode()
    assert client.post(reverse("lesson_mark_done", args=[lesson.pk])).status_code == 404
    assert not LessonCompletion.objects.filter(lesson=lesson).exists()


def test_employer_and_other_staff_cannot_read_lessons(client):
    enrolment = make_enrolment()
    lesson = lessons_of(enrolment.track)[0]
    for user in (make_employer(), make_staff()):
        client.force_login(user)
        assert client.get(reverse('lesson', args=[lesson.pk])).status_code == 404


def test_staff_of_the_body_can_read_without_marking(client):
    enrolment = make_enrolment()
    staff = make_staff(training_body=enrolment.training_body, role="tutor")
    client.force_login(staff)
    response = client.get(reverse('lesson', args=[lessons_of(enrolment.track)[0].pk]))
    assert response.status_code == 200
    assert "Marquer comme terminée" not in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    track = make_track()
    response = client.get(reverse('lesson', args=[lessons_of(track)[0].pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_search_within_own_track_only(client):
    enrolment = make_enrolment()
    other_track = make_track()
    client.force_login(enrolment.trainee)
    html = client.get(reverse("track_search", args=[enrolment.pk]), {"q": "tension"}).content.decode()
    assert "Leçon 1.1" in html
    other_titles = {reverse('lesson', args=[lesson.pk]) for lesson in lessons_of(other_track)}
    assert not any(url in html for url in other_titles)
    stranger = make_trainee()
    client.force_login(stranger)
    assert client.get(reverse("track_search", args=[enrolment.pk]), {"q": "tension"}).status_code == 404


def test_outline_and_lesson_queries_do_not_grow_with_track_size(client, django_assert_max_num_queries):
    """A 50-module track reads in a bounded number of queries."""
    big = make_track(modules=50, lessons=2)
    enrolment = make_enrolment(track=big)
    lessons = lessons_of(big)
    for lesson in lessons[:30]:
        LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
    client.force_login(enrolment.trainee)
    client.get(reverse('track_outline', args=[big.pk]))  # warm the structure cache and the site root paths
    # user, enrolment, progress, the accommodation's longer duration: the track's pages come from the cache
    with django_assert_max_num_queries(4):
        assert client.get(reverse('track_outline', args=[big.pk])).status_code == 200
    with django_assert_max_num_queries(10):  # first view also stores the opening time in the session
        assert client.get(reverse('lesson', args=[lessons[57].pk])).status_code == 200
    with django_assert_max_num_queries(2):  # user, and the enrolment found through the lesson with its done flag
        assert client.get(reverse('lesson', args=[lessons[57].pk])).status_code == 200
    client.get(reverse("my_track"))
    # user (with the session), the enrolments with what counts of them, their accommodations' longer durations and
    # the body's disability referent, progress, certificates, then the employment for the two deadlines: the
    # track's structure and the rule sets come from the cache
    with django_assert_max_num_queries(5):
        response = client.get(reverse("my_track"))
    # this body named no disability referent: none is shown, the link to the accommodations' page is
    assert response.status_code == 200 and "Référent·e handicap" not in response.content.decode()
    assert reverse("my_accommodations") in response.content.decode()


def test_wagtail_urls_redirect_to_the_learning_pages(client):
    enrolment = make_enrolment()
    lesson = lessons_of(enrolment.track)[0]
    client.force_login(enrolment.trainee)
    assert client.get(lesson.url).url == reverse("lesson", args=[lesson.pk])
    assert client.get(enrolment.track.url).url == reverse("track_outline", args=[enrolment.track_id])


def test_lesson_for_reader_answers_like_the_orm_selectors():
    """The lesson page's one-query selector: enrolment, done flag, withdrawn learners and unpublished lessons."""
    from django.http import Http404

    from lms.learning import selectors
    from lms.learning.models import EnrolmentStatus

    enrolment = make_enrolment()
    lessons = lessons_of(enrolment.track)
    LessonCompletion.objects.create(enrolment=enrolment, lesson=lessons[1])
    for lesson, expected_done in ((lessons[0], False), (lessons[1], True)):
        page, found, done = selectors.lesson_for_reader(enrolment.trainee, lesson.pk)
        assert (page.pk, page.title, found.pk, found.track_id, done) == (
            lesson.pk, lesson.title, enrolment.pk, enrolment.track_id, expected_done)
        assert found == selectors.enrolment_for_page(enrolment.trainee, lesson)
        assert list(page.body.raw_data) == list(LessonPage.objects.get(pk=lesson.pk).body.raw_data)  # loaded on demand
    stranger = make_trainee()
    assert selectors.lesson_for_reader(stranger, lessons[0].pk)[1:] == (None, False)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save()
    assert selectors.lesson_for_reader(enrolment.trainee, lessons[1].pk)[1:] == (None, False)
    lessons[0].unpublish()
    with pytest.raises(Http404):
        selectors.lesson_for_reader(stranger, lessons[0].pk)
    with pytest.raises(Http404):
        selectors.lesson_for_reader(stranger, 10**15)


def test_done_items_of_several_enrolments_in_one_query(django_assert_num_queries):
    """Mon parcours reads what each of the trainee's enrolments has done in one query, each kept apart."""
    from django.utils import timezone

    from lms.learning import selectors
    from lms.learning.models import QuizCompletion

    first = make_enrolment()
    second = make_enrolment(trainee=first.trainee)
    idle = make_enrolment()
    lesson_a, lesson_b = lessons_of(first.track)[:2]
    LessonCompletion.objects.create(enrolment=first, lesson=lesson_a)
    LessonCompletion.objects.create(enrolment=second, lesson=lessons_of(second.track)[0])
    quiz = lesson_b.get_parent()  # any page of the track stands for a passed quiz here
    QuizCompletion.objects.create(enrolment=first, quiz=quiz, completed_at=timezone.now())
    with django_assert_num_queries(1):
        done = selectors.done_items_of([first.pk, second.pk, idle.pk])
    # (lessons done, quizzes passed, modules exempted after positioning)
    assert done[first.pk] == ({lesson_a.pk}, {quiz.pk}, set())
    assert done[second.pk] == ({lessons_of(second.track)[0].pk}, set(), set())
    assert done[idle.pk] == (set(), set(), set())
    assert selectors.done_items(first) == done[first.pk]
    with django_assert_num_queries(0):
        assert selectors.done_items_of([]) == {}
