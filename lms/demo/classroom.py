"""The demo's séances (issue 17, point 3), in the aide-soignante's cohort: a past in-person morning she signed
with the trainer, the afternoon of the same day where she was marked absent (excused), and an upcoming virtual
class. Found again by topic on a later run: seeding twice changes nothing."""
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from lms.classroom import services
from lms.classroom.models import ClassSession
from lms.core.dates import LEGAL_TIME_ZONE
from lms.core.site import base_url
from lms.learning.models import Enrolment

PAST_DAYS, UPCOMING_DAYS = 7, 7
PLACE = "Salle 2, 15 rue de la République, 69002 Lyon"
VIDEO_URL = "https://visio.demo.parcours-am.fr/classe-constantes"


def _session(cohort, trainer, **fields):
    existing = ClassSession.objects.filter(cohort=cohort, title=fields["title"]).first()
    if existing is not None:
        return existing, False
    session = ClassSession(cohort=cohort, trainer=trainer, **fields)
    return services.class_session_save(session=session, base_url=base_url()), True


def seed_class_sessions(body, trainee_email, trainer_email, stdout=None):
    enrolment = (Enrolment.objects.filter(trainee__email=trainee_email, training_body=body, cohort__isnull=False)
                 .select_related("cohort", "trainee").first())
    if enrolment is None:
        return
    cohort, trainee = enrolment.cohort, enrolment.trainee
    trainer = body.memberships.get(user__email=trainer_email).user
    today = timezone.localdate()
    past = today - timedelta(days=PAST_DAYS)
    morning, created = _session(cohort, trainer, title="Mesure des constantes : atelier pratique", date=past,
                                half_day="morning", starts_at=time(9), ends_at=time(12, 30), kind="in_person",
                                place=PLACE, hours=Decimal("3.5"))
    if created:
        signed_at = datetime.combine(past, time(9, 12), tzinfo=LEGAL_TIME_ZONE)
        services.presence_sign(session=morning, user=trainee, now=signed_at)
        services.trainer_sign(session=morning, user=trainer, now=signed_at + timedelta(hours=3, minutes=20))
    afternoon, created = _session(cohort, trainer, title="Accueil et dossier patient : mises en situation",
                                  date=past, half_day="afternoon", starts_at=time(13, 30), ends_at=time(17),
                                  kind="in_person", place=PLACE, hours=Decimal("3.5"))
    if created:
        services.absence_mark(session=afternoon, enrolment=enrolment, by=trainer, excused=True,
                              reason="Rendez-vous médical (justificatif reçu)",
                              now=datetime.combine(past, time(17, 10), tzinfo=LEGAL_TIME_ZONE))
    _session(cohort, trainer, title="Classe virtuelle : préparer un ECG", date=today + timedelta(days=UPCOMING_DAYS),
             half_day="morning", starts_at=time(9, 30), ends_at=time(11, 30), kind="virtual", video_url=VIDEO_URL,
             hours=Decimal("2"))
    if stdout is not None:
        stdout.write(f"  séances: {ClassSession.objects.filter(cohort=cohort).count()} in {cohort.name}")
