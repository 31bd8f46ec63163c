"""Demo data for the body's quality evidence (issue 17, points 4 and 5): satisfaction answers of the demo's trainees
who completed their track, and two complaints, one answered and one open. Loaded through the services, like a user
would; safe to run again (fixed one-time keys, answers looked up before they are given)."""
import uuid
from datetime import timedelta

from django.utils import timezone

from lms.accounts.models import User
from lms.complaints import services as complaint_services
from lms.complaints.models import Complaint, ComplaintCategory, ComplaintStatus
from lms.core.dates import legal_today
from lms.core.site import base_url
from lms.demo import data as demo
from lms.learning.models import Enrolment, EnrolmentStatus
from lms.surveys.models import SurveyKind, SurveyResponse
from lms.surveys.services import opens_on, survey_submit

# (trainee's local part, survey kind, scores, comment). The two trainees of the demo who completed a track; the
# cold survey is only answered where the track was completed 90 days ago or more (never in the current demo, whose
# completions are recent: the results page then shows no cold answer, and the track's public page says there are
# too few answers for a satisfaction rate — lms.learning.indicators.MIN_OUTCOMES).
SURVEY_ANSWERS = [
    ("nadia.benali", SurveyKind.HOT,
     {"overall": 5, "content": 5, "support": 4, "platform": 4},
     "Formation claire et concrète : les vidéos sur la prise de tension m'ont beaucoup aidée. J'aurais aimé plus "
     "d'exercices sur le dossier patient."),
    ("karim.haddad", SurveyKind.HOT,
     {"overall": 4, "content": 4, "support": 5, "platform": 3},
     "Tuteur très disponible. La plateforme est parfois lente le soir, mais le contenu correspond bien à ce que je "
     "fais au cabinet."),
    ("karim.haddad", SurveyKind.COLD,
     {"overall": 4, "content": 4, "support": 4, "platform": 4, "applied": 5},
     "Trois mois après, j'utilise tous les jours ce que j'ai appris sur l'accueil et la préparation des "
     "consultations."),
]

# (author's local part, category, subject, text, answer or None, days ago filed, days ago answered)
COMPLAINTS = [
    ("secretaire", ComplaintCategory.PLATFORM, "Quiz interrompu par une coupure de connexion",
     "Bonjour, pendant le quiz du module 1 ma connexion a coupé et, au retour, le temps restant avait continué à "
     "s'écouler. Je n'ai pas pu répondre aux deux dernières questions. Est-il possible de refaire une tentative ?",
     "Bonjour Camille, nous avons vérifié l'historique de votre tentative : la coupure est bien visible. Votre "
     "tentative a été annulée et vous pouvez repasser le quiz. Nous avons aussi signalé "
     "l'incident à notre équipe technique. Merci de nous l'avoir signalé.",
     12, 10),
    ("medecin", ComplaintCategory.ADMINISTRATIVE, "Attestation d'entrée en formation pour la CPAM",
     "Bonjour, la CPAM me demande l'attestation d'entrée en formation de mon assistante avec le cachet de "
     "l'organisme. Le document téléchargé n'indique pas le numéro de convention de financement. Pouvez-vous me "
     "dire comment l'obtenir ?",
     None, 2, None),
]


def seed_quality(body, *, stdout=None):
    """The demo's satisfaction answers and complaints for `body`."""
    now = timezone.now()
    for local_part, kind, scores, comment in SURVEY_ANSWERS:
        enrolment = (Enrolment.objects.filter(trainee__email=demo.demo_email(local_part), training_body=body,
                                              status=EnrolmentStatus.COMPLETED).order_by("pk").first())
        opening = opens_on(enrolment, kind) if enrolment else None
        if opening is None or opening > legal_today() or SurveyResponse.objects.filter(enrolment=enrolment,
                                                                                    kind=kind).exists():
            continue  # not completed, not open yet (the cold survey of a recent completion), or answered already
        survey_submit(enrolment=enrolment, kind=kind, answers={**scores, "comment": comment}, now=now)
    manager = User.objects.filter(email=demo.demo_email("responsable")).first()
    for local_part, category, subject, text, answer, filed_days, answered_days in COMPLAINTS:
        author = User.objects.get(email=demo.demo_email(local_part))
        complaint = complaint_services.complaint_file(
            author=author, training_body_id=body.pk, category=category, subject=subject, text=text,
            submission_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-complaint/{local_part}/{subject}"),
            base_url=base_url(), now=now - timedelta(days=filed_days))
        if answer and manager and complaint.status != ComplaintStatus.ANSWERED:
            complaint_services.complaint_answer(complaint=complaint, by=manager, answer=answer, base_url=base_url(),
                                                now=now - timedelta(days=answered_days))
    if stdout is not None:
        stdout.write(f"  quality: {SurveyResponse.objects.filter(enrolment__training_body=body).count()} survey "
                     f"answers, {Complaint.objects.filter(training_body=body).count()} complaints")
