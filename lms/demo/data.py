"""The demo data: one account per role, shared with the README's table."""
from datetime import date

DEMO_PASSWORD = "Demo-Parcours-2026"
DEMO_DOMAIN = "demo.parcours-am.fr"

# A fictional body: its SIRET passes the checksum but belongs to no one, its numbers are made up.
TRAINING_BODY = {"name": "Institut Santé Avenir", "slug": "institut-sante-avenir",
                 "legal_name": "Institut Santé Avenir SAS (fictif, démonstration)",
                 "address": "10 rue de l’Exemple\n75010 Paris", "siret": "90000000100017",
                 "registration_number": "11755555575", "registration_region": "Île-de-France", "city": "Paris",
                 "qualiopi_number": "DEMO-QUALIOPI-0001", "qualiopi_certifier": "Certificateur fictif",
                 "qualiopi_category": "training",
                 "signatory_name": "Dr Claire Moreau", "signatory_title": "directrice pédagogique"}
PRACTICE = {"name": "Cabinet médical des Tilleuls", "city": "Lyon"}

# (email local part, first name, last name, role, extra)
ACCOUNTS = [
    ("secretaire", "Camille", "Martin", "trainee", {
        "entry_profile": "secretary", "hired_on": date(2025, 9, 1), "cohort": "Session secrétaires — à distance",
        "place": "", "started_days_ago": 3, "lessons_done": 6}),
    # A month into her 4-month track with 3 lessons done: behind her planned pace, so the training body's report of
    # learners at risk lists her (tests/demo).
    ("aide-soignante", "Inès", "Bernard", "trainee", {
        "entry_profile": "care_assistant", "hired_on": date(2025, 3, 17), "cohort": "Session 4 mois — Lyon",
        "place": "Lyon", "started_days_ago": 30, "lessons_done": 3}),
    ("medecin", "Paul", "Lefèvre", "employer", {}),
    ("auteur", "Sophie", "Durand", "author", {}),
    ("responsable", "Marc", "Petit", "manager", {}),
    ("tuteur", "Julien", "Roux", "tutor", {}),
    ("admin", "Admin", "Plateforme", "admin", {}),
]


def demo_email(local_part):
    return f"{local_part}@{DEMO_DOMAIN}"

# Assistants without a login of their own, to show every deadline status on the employer's table.
# (local part, first name, last name, entry profile, days since hiring, scenario)
EXTRA_ASSISTANTS = [
    ("lucas.girard", "Lucas", "Girard", "other", 2 * 365 - 60, "not_enrolled"),         # to enrol, deadline near
    ("emma.faure", "Emma", "Faure", "nurse", 2 * 365 + 120, "not_enrolled"),            # enrolment overdue
    ("hugo.blanc", "Hugo", "Blanc", "care_assistant", 3 * 365 - 30, "declared_qualification"),
    # Finished the 12-day track (a training step, with its certificate of completion): "Training completed", not
    # qualified — her qualification deadline, its risk and its reminders run on.
    ("nadia.benali", "Nadia", "Benali", "secretary", 300, "completed"),
    # Finished the 4-month track and passed the CQP's exam; the training body recorded the jury's result: qualified.
    ("karim.haddad", "Karim", "Haddad", "other", 2 * 365 + 60, "certified"),
]
# Questions to the tutor (lms.support): (trainee's local part, lesson number in her track, subject, question,
# answer or None, hours ago asked, hours ago answered). The second waits, past the track's response time.
SUPPORT_EXCHANGES = [
    ("secretaire", 2, "Brassard et tour de bras",
     "Bonjour, comment choisir la taille du brassard quand le tour de bras est à la limite entre deux tailles ?",
     "Bonjour Camille, prenez la taille au-dessus et notez le tour de bras dans le dossier ; le médecin vérifiera.",
     30, 26),
    ("aide-soignante", 1, "Missions déléguées",
     "Puis-je préparer seule la salle pour un ECG si le médecin est en visite ?", None, 100, None),
]

# The result the training body recorded for the certified assistant: days ago, and the jury's reference.
CERTIFIED_RESULT = {"days_ago": 20, "jury_reference": "CQP-AM-2026-0142"}
