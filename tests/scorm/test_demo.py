"""The demo's SCORM lesson (lms.demo.scorm): a valid SCORM 1.2 package, attached once however often it runs."""
import pytest

from lms.demo.scorm import package_bytes, seed_scorm_lesson
from lms.scorm.models import ScormLessonPage, ScormPackage
from lms.scorm.validation import inspect_package
from tests.factories import make_track
from tests.scorm.packages import upload

pytestmark = pytest.mark.django_db


def test_the_demo_package_is_valid_scorm_12():
    info = inspect_package(upload(package_bytes()))
    assert info.title == "Les constantes vitales : auto-évaluation" and info.mastery_score == 67
    assert info.launch_path == "index.html" and info.file_count == 4


def test_seeding_twice_attaches_one_lesson_to_the_four_month_track():
    track = make_track(modules=2, lessons=1, duration_value=4, duration_unit="months")
    first = seed_scorm_lesson(track.training_body)
    second = seed_scorm_lesson(track.training_body)
    assert first.pk == second.pk and first.live
    assert ScormLessonPage.objects.count() == 1 and ScormPackage.objects.count() == 1
    assert first.get_parent().get_parent().pk == track.pk
