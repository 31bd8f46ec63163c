"""Issue 15, points 1 and 2: finishing a track is "Training completed", not the qualification; only a recorded
result (or an employer's declaration with evidence) qualifies. Deadlines that are met read as met. The rule, the
employer's table, timeline, CSV and calendar, the reminders, the body's report and the trainee's page agree."""
import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lms.catalog.loader import ContentError, read_content
from lms.deadlines.models import DeadlineRuleSet
from lms.deadlines.rules import (IN_TRAINING, QUALIFICATION_OVERDUE, QUALIFIED, TRAINING_COMPLETED, deadline_status,
                                 reminder_due)
from lms.deadlines.services import reminders_send
from lms.organisations.models import Employment
from tests.certificates.test_certificates import complete
from tests.factories import (make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee,
                             record_result)

pytestmark = pytest.mark.django_db

RULE = DeadlineRuleSet(name="Avenant 7 (2019)", legal_source="Avenant 7, art. 9-2", enrolment_period=2,
                       qualification_period=3)
HIRED = date(2024, 3, 1)  # enrolment deadline 1 March 2026, qualification deadline 1 March 2027


def status(today, **kwargs):
    return deadline_status(hired_on=HIRED, today=today, rule=RULE, **kwargs)


# --- The rule ----------------------------------------------------------------------------------------------

def test_a_completed_track_is_training_completed_and_the_qualification_deadline_runs_on():
    done = {"training_started_on": date(2025, 1, 6), "training_completed_on": date(2025, 6, 1)}
    before = status(date(2025, 5, 31), **done)
    assert before.status == IN_TRAINING
    after = status(date(2025, 7, 1), **done)
    assert after.status == TRAINING_COMPLETED and str(after.label) == "Formation terminée"
    assert not after.at_risk and after.soonest_open_deadline == date(2027, 3, 1)
    near = status(date(2027, 1, 1), **done)  # 59 days before the qualification deadline: still at risk
    assert near.status == TRAINING_COMPLETED and near.at_risk and "59" in near.risk_reason
    assert status(date(2027, 3, 2), **done).status == QUALIFICATION_OVERDUE
    assert status(date(2025, 7, 1), **done, qualified_on=date(2025, 6, 20)).status == QUALIFIED


def test_a_finished_track_is_not_at_risk_for_its_planned_end():
    """The pace of a track is no risk once it is finished (its planned end may fall after the deadline)."""
    result = status(date(2025, 7, 1), training_started_on=date(2025, 1, 6), training_completed_on=date(2025, 6, 1),
                    planned_end=date(2027, 6, 1))
    assert result.status == TRAINING_COMPLETED and not result.at_risk


def test_the_enrolment_deadline_is_met_once_training_started_or_the_person_qualified():
    """Point 2: never "passed" once met; met late when the training started after the deadline."""
    assert status(date(2027, 1, 1), training_started_on=date(2025, 1, 6)).enrolment_met_on == date(2025, 1, 6)
    qualified = status(date(2027, 1, 30), qualified_on=date(2025, 2, 1))  # declared elsewhere, no start known
    assert qualified.enrolment_met_on == date(2025, 2, 1) and not qualified.enrolment_met_late
    late = status(date(2026, 6, 1), training_started_on=date(2026, 4, 1))
    assert late.enrolment_met_on == date(2026, 4, 1) and late.enrolment_met_late
    assert status(date(2026, 6, 1)).enrolment_met_on is None


def test_reminders_are_due_after_completion_until_qualified():
    due = reminder_due(hired_on=HIRED, today=date(2027, 2, 1), rule=RULE, training_started_on=date(2025, 1, 6))
    assert due.deadline == "qualification" and due.threshold == 30
    assert reminder_due(hired_on=HIRED, today=date(2027, 2, 1), rule=RULE, training_started_on=date(2025, 1, 6),
                        qualified_on=date(2027, 1, 15)) is None


# --- Everything the employer, the body and the trainee read -------------------------------------------------

@pytest.fixture
def practice_world():
    """A practice with an assistant who finished a training-step track 10 days ago, one who finished a
    certification track and whose result was recorded, both hired nearly three years ago."""
    today = timezone.localdate()
    practice = make_practice(name="Cabinet des Acacias")
    employer = make_employer(practice=practice)
    hired = today - timedelta(days=3 * 365 - 60)
    trained = make_trainee(first_name="Nadia", last_name="Terminee", practice=practice, hired_on=hired)
    qualified = make_trainee(first_name="Karim", last_name="Certifie", practice=practice, hired_on=hired)
    step = complete(make_enrolment(trainee=trained, track=make_track(modules=1, lessons=1, title="Parcours court"),
                                   starts_on=today - timedelta(days=400)))  # within the 2 years
    body = step.training_body
    certification = complete(make_enrolment(
        trainee=qualified, track=make_track(modules=1, lessons=1, training_body=body, certification=True,
                                            title="Parcours CQP"), starts_on=today - timedelta(days=400)))
    record_result(certification, obtained_on=today - timedelta(days=1))
    return {"today": today, "employer": employer, "trained": trained, "qualified": qualified, "step": step,
            "body": body}


def row_of(html, name):
    start = html.index(name)
    return html[html.rindex("<tr", 0, start):html.index("</tr>", start)]


def test_employer_table_csv_and_calendar_agree(client, practice_world):
    client.force_login(practice_world["employer"])
    html = client.get(reverse("practice_home")).content.decode()
    trained, qualified = row_of(html, "Nadia Terminee"), row_of(html, "Karim Certifie")
    assert "deadline-training_completed" in trained and "Formation terminée" in trained
    assert "deadline-qualified" not in trained and "obtenue le" not in trained and "respectée le" in trained
    assert "deadline-qualified" in qualified and "obtenue le" in qualified
    assert "dépassée" not in trained + qualified
    filtered = client.get(reverse("practice_home"), {"statut": "training_completed"}).content.decode()
    assert "Nadia Terminee" in filtered and "Karim Certifie" not in filtered
    rows = list(csv.reader(io.StringIO(client.get(reverse("employer_csv")).content.decode("utf-8-sig")),
                           delimiter=";"))
    cells = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert cells["Terminee"]["Statut"] == "Formation terminée"
    assert cells["Certifie"]["Statut"] == "Qualifié·e"
    terminee = next(row for row in rows if row[0] == "Terminee")
    assert rows[0][8:12] == ["Échéance d'entrée en formation", "Jours restants", "Échéance de qualification",
                             "Jours restants"]
    assert terminee[9].startswith("respectée le")  # met, not a negative count of days
    assert 0 < int(terminee[11]) <= 62  # the qualification deadline still counts down (about 60 days)
    feed_html = client.post(reverse("calendar_settings"), {"action": "create"}).content.decode()
    path = feed_html.split('readonly value="')[1].split('"')[0].replace("http://testserver", "")
    feed = client.get(path).content.decode().replace("\r\n ", "")
    assert "Nadia Terminee : échéance de qualification" in feed.replace("\\", "")
    assert "Formation terminée" in feed and "Karim" not in feed
    assert feed.count("BEGIN:VEVENT") == 1  # her enrolment deadline is met: no event for it


def test_timeline_shows_the_completion_not_a_planned_end_and_the_met_deadline(client, practice_world):
    client.force_login(practice_world["employer"])
    employment = Employment.objects.get(trainee=practice_world["trained"])
    html = client.get(reverse("employment_detail", args=[employment.pk])).content.decode()
    assert "Parcours terminé : Parcours court" in html
    assert "Fin prévue du parcours en cours" not in html
    assert "Formation terminée" in html and "respectée le" in html and "dépassée" not in html
    employment = Employment.objects.get(trainee=practice_world["qualified"])
    html = client.get(reverse("employment_detail", args=[employment.pk])).content.decode()
    assert "Qualification obtenue (résultat enregistré par l&#x27;organisme) : Parcours CQP" in html
    assert "Qualifié·e" in html


def test_reminders_still_go_after_completion_until_a_result_is_recorded(practice_world):
    """About 60 days before the qualification deadline: the 90-day reminder, for the trained assistant only."""
    today = practice_world["today"]
    assert reminders_send(today=today, base_url="http://testserver") == 1
    assert practice_world["trained"].email in mail.outbox[-1].to
    enrolment = practice_world["trained"].enrolments.get()
    # Her track was a training step; she then passed the CQP through a certification track of the body.
    cqp = make_enrolment(trainee=practice_world["trained"], starts_on=today - timedelta(days=5),
                         track=make_track(modules=1, lessons=1, training_body=enrolment.training_body,
                                          certification=True))
    record_result(cqp, obtained_on=today)
    later = today + timedelta(days=40)  # the 30-day threshold: nothing more for her
    assert reminders_send(today=later, base_url="http://testserver") == 0


def test_the_bodys_report_and_the_trainees_page_say_training_completed(client, practice_world):
    client.force_login(make_staff(training_body=practice_world["body"], role="tutor"))
    # 60 days before the deadline: at risk, so listed; the qualified one is not.
    html = client.get(reverse("training_body_deadlines")).content.decode()
    assert "Nadia Terminee" in html and "Formation terminée" in html and "Karim Certifie" not in html
    html = client.get(reverse("learner_detail", args=[practice_world["step"].pk])).content.decode()
    assert "Formation terminée" in html
    client.force_login(practice_world["trained"])
    html = client.get(reverse("my_track")).content.decode()
    assert "Formation terminée" in html and "Qualifié·e" not in html and "respectée le" in html


# --- What a track leads to, from content/ ------------------------------------------------------------------

def test_shipped_tracks_declare_what_they_lead_to():
    content = read_content(Path(settings.BASE_DIR) / "content")
    outcomes = {t.slug: t.outcome for t in content.tracks}
    assert outcomes["assistant-medical-4-mois"] == {
        "outcome": "certification", "certification_name": "CQP Assistant médical", "rncp_code": "RNCP40913",
        "certifying_body": "ACQPCM, pour la CPNEFP de la branche des cabinets médicaux"}
    assert outcomes["assistant-medical-secretaires-12-jours"]["outcome"] == "module"


def test_a_certification_without_its_rncp_code_is_refused(tmp_path):
    import shutil

    target = tmp_path / "content"
    shutil.copytree(Path(settings.BASE_DIR) / "content", target)
    track_yaml = target / "tracks" / "assistant-medical-4-mois" / "track.yaml"
    track_yaml.write_text(track_yaml.read_text(encoding="utf-8").replace("  rncp: RNCP40913\n", "  rncp: 40913\n"),
                          encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_content(target)
    assert any(fld == "leads_to.rncp" for _f, fld, _m in error.value.problems)


def test_a_certification_track_needs_its_name_code_and_body_and_the_admin_edits_them(client):
    from django.core.exceptions import ValidationError

    from tests.factories import make_user

    track = make_track(modules=1, lessons=1)
    assert track.outcome == "module" and not track.leads_to_certification  # by default a track qualifies nobody
    track.outcome = "certification"
    with pytest.raises(ValidationError) as error:
        track.clean()
    assert {"certification_name", "rncp_code", "certifying_body"} <= set(error.value.message_dict)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[track.pk])).content.decode()
    for name in ("outcome", "certification_name", "rncp_code", "certifying_body"):
        assert f'name="{name}"' in html
