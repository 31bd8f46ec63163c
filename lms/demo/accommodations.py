"""The demo's accommodations for disability (issue 17, point 2): the tutor is the body's disability referent, and
the aide-soignante has one third more time on timed quizzes and a 25 % longer planned duration. Idempotent."""
from lms.accommodations.models import DisabilityReferent
from lms.accommodations.services import accommodation_set, referent_name
from lms.accounts.models import User
from lms.core.site import base_url
from lms.demo import data as demo

NOTE = ("Dyslexie : prévoir des consignes écrites en police agrandie et laisser le temps de relire. "
        "Entretien avec la référente le 2 novembre.")


def seed_accommodations(body, *, stdout=None):
    """Name the demo tutor the body's referent (once) and give the aide-soignante her accommodation."""
    referent = User.objects.get(email=demo.demo_email("tuteur"))
    if not DisabilityReferent.objects.filter(training_body=body).exists():
        referent_name(training_body=body, user=referent, by=User.objects.get(email=demo.demo_email("responsable")),
                      phone="01 23 45 67 89", contact="Le mardi et le jeudi, de 9 h à 12 h, ou sur rendez-vous.")
    trainee = User.objects.get(email=demo.demo_email("aide-soignante"))
    referent = DisabilityReferent.objects.get(training_body=body).user
    accommodation_set(training_body=body, trainee=trainee, by=referent, extra_time_percent=33,
                      extra_duration_percent=25, note=NOTE, base_url=base_url())
    if stdout is not None:
        stdout.write(f"  accommodations: referent {referent.email}, one for {trainee.email}")
