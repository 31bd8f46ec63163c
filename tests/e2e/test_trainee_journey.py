"""The trainee is led, not left (issue 16, point 1), in Chromium: on a 375 px phone 'Mon parcours' does not scroll
sideways and says what being behind means; 'continue' after a module's last lesson opens its quiz."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage, ModulePage
from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_practice, make_quiz, make_track, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_trainee_behind_on_a_phone_is_told_what_to_do_and_led_to_the_quiz(page, live_server):
    today = timezone.localdate()
    trainee = make_trainee(email="telephone@example.org", practice=make_practice(name="Cabinet des Tilleuls"),
                           hired_on=today - timedelta(days=400))
    track = make_track(modules=2, lessons=2, duration_value=2, duration_unit="months")
    module = ModulePage.objects.child_of(track).order_by("path").first()
    quiz = make_quiz(parent=module, title="Quiz du module 1")
    make_enrolment(trainee=trainee, track=track, starts_on=today - timedelta(days=40))
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, trainee.email, PASSWORD)
    page.goto(live_server.url + "/mon-parcours/")
    main = page.inner_text("main")
    assert "Rythme : En retard" in main and "de retard sur le rythme prévu" in main and "par semaine" in main
    assert "Entrée en formation avant le" in main  # the deadlines card, whose labels overflowed a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []

    last_of_module = LessonPage.objects.descendant_of(module).order_by("path").last()
    page.goto(live_server.url + reverse("lesson", args=[last_of_module.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Marquer comme terminée et continuer").click()
    assert page.get_by_role("heading", level=1).inner_text() == quiz.title
    assert axe_violations(page) == []
