"""The demo (lms.demo, `manage.py seed_demo`): idempotent, matching the README, loaded through the services."""
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from lms.accounts.models import TraineeProfile, User
from lms.catalog.models import TrackPage
from lms.demo import data as demo
from lms.learning.models import Enrolment
from lms.learning.selectors import track_structure
from lms.organisations.models import Employment, TrainingBodyMembership
from lms.support import selectors as support_selectors
from lms.support.models import Message, Thread
from lms.xapi.models import Statement

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_matches_readme():
    call_command("seed_demo")
    counts = (User.objects.count(), Employment.objects.count(), TrainingBodyMembership.objects.count(),
              Thread.objects.count(), Message.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Employment.objects.count(), TrainingBodyMembership.objects.count(),
            Thread.objects.count(), Message.objects.count()) == counts
    # The tutor's inbox holds the demo's questions: one answered, one waiting past the track's response time.
    tutor = User.objects.get(email=demo.demo_email("tuteur"))
    lines = support_selectors.inbox(tutor, timezone.now())
    assert [(line.thread.status, line.late) for line in lines] == [("open", True), ("answered", False)]
    assert all(track.support_pedagogical_email and track.support_technical_email
               for track in TrackPage.objects.live())
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md"), encoding="utf-8").read()
    assert demo.DEMO_PASSWORD in readme
    for local_part, *_ in demo.ACCOUNTS:
        email = demo.demo_email(local_part)
        assert email in readme
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)
    assert TraineeProfile.objects.get(user__email=demo.demo_email("secretaire")).entry_profile == "secretary"
    # The demo's enrolments go through the enrolment service: each trace starts with one 'registered'. In the order
    # stored: a certification result is dated on the jury's day (lms.learning.traces.certification_passed), which
    # the demo's qualified assistant (Karim Haddad) reaches before the moment the demo enrolled him.
    enrolments = list(Enrolment.objects.all())
    assert len(enrolments) >= 3
    for enrolment in enrolments:
        trace = Statement.objects.filter(registration=enrolment.registration).order_by("stored_at", "timestamp")
        assert trace.first().verb == "http://adlnet.gov/expapi/verbs/registered", enrolment
        assert trace.filter(verb="http://adlnet.gov/expapi/verbs/registered").count() == 1, enrolment
    # The certificate holder followed her whole track through the services: quizzes told learning of each pass.
    holder = Enrolment.objects.get(trainee__email=demo.demo_email("nadia.benali"))
    assert holder.status == "completed" and holder.certificates.count() == 1
    assert holder.quiz_completions.count() == len(track_structure(holder.track_id).modules) + 1


def test_demo_shows_a_trained_not_qualified_and_a_qualified_assistant(client):
    """Issue 15: Nadia Benali finished the 12-day track (a training step): "Formation terminée", her qualification
    deadline still running; Karim Haddad's CQP result was recorded by the body: "Qualifié·e"."""
    from django.urls import reverse
    from django.utils import timezone

    from lms.deadlines.selectors import employment_rows
    from lms.learning.models import QualificationResult

    call_command("seed_demo")
    today = timezone.localdate()
    rows = {r.trainee.email: r for r in employment_rows(
        Employment.objects.select_related("trainee", "practice"), today)}
    nadia, karim = rows[demo.demo_email("nadia.benali")], rows[demo.demo_email("karim.haddad")]
    assert nadia.deadline.status == "training_completed" and nadia.qualified_on is None
    assert nadia.deadline.qualification_days_left > 0
    assert karim.deadline.status == "qualified"
    result = QualificationResult.objects.get(enrolment__trainee__email=demo.demo_email("karim.haddad"))
    assert result.enrolment.track.leads_to_certification and result.enrolment.track.rncp_code == "RNCP40913"
    assert result.jury_reference == demo.CERTIFIED_RESULT["jury_reference"] and result.recorded_by is not None
    call_command("seed_demo")  # idempotent: still one result
    assert QualificationResult.objects.count() == 1
    client.force_login(User.objects.get(email=demo.demo_email("medecin")))
    html = client.get(reverse("practice_home")).content.decode()
    assert "Formation terminée" in html and "Qualifié·e" in html


def test_demo_has_a_learner_at_risk_behind_her_pace(client):
    """Issue 16, point 4: the manager's report of learners at risk is not empty in the demo — Inès Bernard, a month
    into her 4-month track with 3 lessons done, is listed with the pace as her reason; the learners list shows
    her pace too."""
    from django.urls import reverse

    call_command("seed_demo")
    client.force_login(User.objects.get(email=demo.demo_email("responsable")))
    html = client.get(reverse("training_body_deadlines")).content.decode()
    row = html[html.index("Inès Bernard"):].split("</tr>")[0]
    assert "sur le rythme prévu" in row and "En retard de" in row
    learners = client.get(reverse("enrolment_list")).content.decode()
    row = learners[learners.index("Inès Bernard"):].split("</tr>")[0]
    # 3 lessons done, and the module she was exempted from after positioning counted done (issue 17, point 1)
    assert "5 / " in row and "En retard de" in row
    assert "Dans les temps" in learners  # Camille Martin, on time


def test_demo_has_a_disability_referent_and_an_accommodation(client):
    """Issue 17, point 2: the demo tutor is the body's disability referent; the aide-soignante has one third more
    time and a 25 % longer duration, read in her space and by the tutor; seeding twice records it once."""
    from django.urls import reverse

    from lms.accommodations.models import Accommodation, AccommodationChange

    call_command("seed_demo")
    call_command("seed_demo")
    accommodation = Accommodation.objects.get()
    assert (accommodation.trainee.email, accommodation.extra_time_percent, accommodation.extra_duration_percent) == (
        demo.demo_email("aide-soignante"), 33, 25)
    assert AccommodationChange.objects.count() == 1
    client.force_login(User.objects.get(email=demo.demo_email("aide-soignante")))
    html = client.get(reverse("my_accommodations")).content.decode()
    assert "+33 %" in html and "Julien Roux" in html and "Dyslexie" in html
    client.force_login(User.objects.get(email=demo.demo_email("secretaire")))
    html = client.get(reverse("my_track")).content.decode()
    assert "Référent·e handicap" in html and "Julien Roux" in html


def test_demo_trainee_was_positioned_with_one_exemption_confirmed_and_one_refused(
        client, django_capture_on_commit_callbacks):
    """Issue 17, point 1: the 4-month track has a positioning test; Inès Bernard took it; the tutor confirmed one
    exemption and refused another, each with its reason; a third waits in the tutor's list. Seeding twice changes
    nothing."""
    from django.urls import reverse

    from lms.learning.models import ModuleExemption
    from lms.quizzes.models import Attempt

    with django_capture_on_commit_callbacks(execute=True):  # the positioning test is published: caches forgotten
        call_command("seed_demo")
        call_command("seed_demo")
    enrolment = Enrolment.objects.get(trainee__email=demo.demo_email("aide-soignante"))
    assert track_structure(enrolment.track_id).positioning is not None
    assert Attempt.objects.filter(enrolment=enrolment, quiz__purpose="positioning").count() == 1
    statuses = dict(ModuleExemption.objects.filter(enrolment=enrolment).values_list("module__slug", "status"))
    assert statuses == {"metier-cadre": "confirmed", "posture-secret": "refused", "accueil-relation": "proposed"}
    assert all(e.reason for e in ModuleExemption.objects.filter(enrolment=enrolment).exclude(status="proposed"))
    client.force_login(User.objects.get(email=demo.demo_email("aide-soignante")))
    page = client.get(reverse("positioning", args=[enrolment.pk])).content.decode()
    assert "Dispensé le" in page and "Refusée le" in page
    client.force_login(User.objects.get(email=demo.demo_email("tuteur")))
    assert "Inès Bernard" in client.get(reverse("exemption_list")).content.decode()
