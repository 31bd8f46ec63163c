"""The demo's positioning test (issue 17, point 1): the 4-month track gets a positioning test of two questions per
module with an 80 % exemption threshold on each module, and the demo trainee "aide-soignante" has taken it: one
exemption confirmed by the tutor, one refused, both with their reason. Idempotent: run again, it changes nothing."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lms.accounts.models import User
from lms.catalog.models import ModulePage, TrackPage
from lms.learning.models import Enrolment, ExemptionStatus, ModuleExemption
from lms.learning.selectors import forget_tracks
from lms.learning.services import exemption_decide
from lms.quizzes.content import question_blocks
from lms.quizzes.grading import right_response
from lms.quizzes.models import Attempt, QuizPage, QuizPurpose
from lms.quizzes.questions import draw, question_specs
from lms.quizzes.services import attempt_submit

TITLE = "Test de positionnement — parcours 4 mois"
THRESHOLD = 80
TRAINEE, TUTOR = "aide-soignante", "tuteur"
# What she masters from her years as an aide-soignante: the tutor confirms the first, refuses the second (the
# first is the module she had begun, so that she stays behind her pace for the report of learners at risk).
CONFIRMED = ("metier-cadre", "Aide-soignante depuis 8 ans : connaît la délégation de tâches et le cadre des "
                             "professions de santé ; 100 % au positionnement. Dispense confirmée après entretien.")
REFUSED = ("posture-secret", "Score suffisant, mais le secret partagé en cabinet libéral diffère de l'hôpital : "
                             "module à suivre, avec la classe virtuelle sur le RGPD.")

# Two questions per module of the 4-month track (module slug -> questions), each worth one point.
QUESTIONS = {
    "metier-cadre": [
        ("L'assistant·e médical·e peut remplacer l'infirmier·ère pour une injection prescrite.", False),
        ("Les missions de l'assistant·e médical·e sont déléguées par le médecin employeur.", True)],
    "posture-secret": [
        ("Le secret professionnel s'applique aussi aux informations administratives du patient.", True),
        ("On peut confirmer au téléphone qu'un patient est suivi au cabinet si l'appelant dit être de sa famille.",
         False)],
    "accueil-relation": [
        ("À l'accueil, on vérifie l'identité du patient avant d'ouvrir son dossier.", True),
        ("Face à un patient agressif, il vaut mieux hausser le ton pour reprendre la main.", False)],
    "dossier-patient": [
        ("Un dossier patient peut être créé avec un seul prénom et une date de naissance approximative.", False),
        ("Les résultats d'examens reçus sont rattachés au dossier puis signalés au médecin.", True)],
    "outils-numeriques": [
        ("Une messagerie sécurisée de santé est requise pour envoyer un compte rendu à un confrère.", True),
        ("Le mot de passe du logiciel métier peut être partagé entre collègues du cabinet.", False)],
    "constantes": [
        ("Le patient se repose 3 à 5 minutes avant une mesure de la pression artérielle.", True),
        ("Un brassard trop petit sous-estime la pression artérielle.", False)],
    "prevention": [
        ("Le statut vaccinal se vérifie dans le carnet de vaccination ou le DMP.", True),
        ("L'assistant·e médical·e peut réaliser seul·e un test rapide d'angine (TROD).", False)],
    "actes-techniques": [
        ("Pour un ECG, les électrodes se posent sur une peau propre et sèche.", True),
        ("Le matériel stérile ouvert la veille peut être réutilisé le lendemain.", False)],
    "coordination": [
        ("Une admission à l'hôpital se prépare avec un courrier du médecin et les documents administratifs.", True),
        ("Le retour à domicile d'un patient fragile ne concerne que le médecin traitant.", False)],
    "organisation-cabinet": [
        ("Les dates de péremption des stocks se vérifient régulièrement.", True),
        ("En cas de malaise en salle d'attente, on attend la fin de la consultation en cours pour prévenir le "
         "médecin.", False)],
}


def _positioning_quiz(track):
    """The track's positioning test, created once (its questions name their module pages, found by slug)."""
    existing = QuizPage.objects.child_of(track).filter(purpose=QuizPurpose.POSITIONING).first()
    if existing is not None:
        return existing
    modules = {m.slug: m for m in ModulePage.objects.child_of(track)}
    questions = [{"type": "truefalse", "prompt": prompt, "answer": answer, "points": 1,
                  "module_id": modules[slug].pk}
                 for slug, items in QUESTIONS.items() if slug in modules for prompt, answer in items]
    ModulePage.objects.child_of(track).filter(slug__in=list(QUESTIONS), exemption_threshold__isnull=True).update(
        exemption_threshold=THRESHOLD)
    quiz = track.add_child(instance=QuizPage(
        title=TITLE, slug="positionnement", purpose=QuizPurpose.POSITIONING, pass_mark=50, max_attempts=1,
        feedback_mode="after_each", shuffle_choices=False,
        intro="Vingt questions, deux par module, pour mesurer ce que vous savez déjà. À passer une fois, avant la "
              "première leçon : à partir de 80 % sur un module, votre tuteur peut vous en dispenser.",
        questions=question_blocks(questions, "demo/positionnement-4-mois")))
    forget_tracks([track.pk])  # the track's structure now names its positioning test
    return QuizPage.objects.get(pk=quiz.pk)


@transaction.atomic
def seed_positioning(demo_email):
    """Give the 4-month track its positioning test and the demo trainee her taken test and two decisions."""
    trainee = User.objects.get(email=demo_email(TRAINEE))
    enrolment = Enrolment.objects.filter(trainee=trainee).select_related("track").first()
    if enrolment is None:
        return
    track = TrackPage.objects.get(pk=enrolment.track_id)
    quiz = _positioning_quiz(track)
    if Attempt.objects.filter(enrolment=enrolment, quiz=quiz).exists():
        return  # seeded already
    # She took it on her first morning, before her first lesson (the demo replays that day after her lessons, so
    # the attempt is written here rather than through attempt_start, which no longer offers it once started).
    taken_at = timezone.make_aware(timezone.datetime.combine(enrolment.starts_on, timezone.datetime.min.time())
                                   ) + timedelta(hours=9)
    attempt = Attempt.objects.create(enrolment=enrolment, quiz=quiz, number=1, started_at=taken_at,
                                     questions=draw(question_specs(quiz), shuffle_choices=False))
    masters = {m.pk for m in ModulePage.objects.child_of(track).filter(
        slug__in=[CONFIRMED[0], REFUSED[0], "accueil-relation"])}  # the third stays proposed, for the tutor's list
    answers = {q["id"]: right_response(q) for q in attempt.questions if q.get("module") in masters}
    attempt_submit(attempt=attempt, answers=answers, now=taken_at + timedelta(minutes=25))
    tutor = User.objects.get(email=demo_email(TUTOR))
    decided_at = taken_at + timedelta(days=1)
    for slug, reason, confirm in ((CONFIRMED[0], CONFIRMED[1], True), (REFUSED[0], REFUSED[1], False)):
        exemption = ModuleExemption.objects.filter(enrolment=enrolment, module__slug=slug,
                                                   status=ExemptionStatus.PROPOSED).first()
        if exemption is not None:
            exemption_decide(exemption=exemption, by=tutor, confirm=confirm, reason=reason, now=decided_at)
