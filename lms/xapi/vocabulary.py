"""Verb and activity-type IRIs, in one place; ADL's vocabulary where one exists."""
ADL = "http://adlnet.gov/expapi"

REGISTERED = ("http://adlnet.gov/expapi/verbs/registered", "s'est inscrit·e")
EXPERIENCED = ("http://adlnet.gov/expapi/verbs/experienced", "a étudié")
ANSWERED = ("http://adlnet.gov/expapi/verbs/answered", "a répondu")
ATTEMPTED = ("http://adlnet.gov/expapi/verbs/attempted", "a tenté")
PASSED = ("http://adlnet.gov/expapi/verbs/passed", "a réussi")
FAILED = ("http://adlnet.gov/expapi/verbs/failed", "a échoué")
COMPLETED = ("http://adlnet.gov/expapi/verbs/completed", "a terminé")
EARNED = ("http://id.tincanapi.com/verb/earned", "a obtenu")
ATTENDED = ("http://adlnet.gov/expapi/verbs/attended", "a assisté à")
# A module exempted after the positioning test (ADL's verb for a requirement waived), and the score per module.
WAIVED = ("https://w3id.org/xapi/adl/verbs/waived", "a été dispensé·e de")
SCORED = ("http://adlnet.gov/expapi/verbs/scored", "a obtenu le score")
# A statement recorded by mistake is voided (xAPI 1.0.3, 2.4.4.1: only by this verb, on a StatementRef).
VOIDED = ("http://adlnet.gov/expapi/verbs/voided", "a annulé")

COURSE = "http://adlnet.gov/expapi/activities/course"
MODULE = "http://adlnet.gov/expapi/activities/module"
LESSON = "http://adlnet.gov/expapi/activities/lesson"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
MEETING = "http://adlnet.gov/expapi/activities/meeting"  # a séance, in person or a virtual class (issue 17)
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
CERTIFICATE = "https://w3id.org/xapi/cmi5/activitytype/certificate"
# The certification a track leads to (the CQP's exam): "passed" on an assessment, ADL's vocabulary for an exam
# passed; the attestation of the training keeps "earned" on a certificate.
CERTIFICATION = ASSESSMENT

# xAPI interactionType for each question type of the quiz engine.
INTERACTION_TYPES = {"single": "choice", "multiple": "choice", "truefalse": "true-false", "numeric": "numeric",
                     "text": "fill-in", "ordering": "sequencing"}

VERSION = "1.0.3"
LANGUAGE = "fr-FR"
PLATFORM = "Parcours AM"
# A SCORM 1.2 SCO's session (issue 18, point 1): ADL's verbs for a launch, a suspension and an end of session.
INITIALIZED = ("http://adlnet.gov/expapi/verbs/initialized", "a commencé")
SUSPENDED = ("http://adlnet.gov/expapi/verbs/suspended", "a suspendu")
TERMINATED = ("http://adlnet.gov/expapi/verbs/terminated", "a quitté")
