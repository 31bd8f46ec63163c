"""The shipped 2019 rule names its article and quotes the sentence that sets its periods.

Only the row the data migration 0002 installed is touched (same name and source): a rule an admin has edited
since keeps what the admin wrote.
"""
from django.db import migrations

INSTALLED = {"name": "Avenant 7 (2019)",
             "legal_source": "Avenant n° 7 à la convention nationale médicale (2019), article 9-2"}
CITED = {
    "name": "Avenant 7 — art. 9-2",
    "legal_source": "Avenant n° 7 (2019) à la convention nationale des médecins libéraux du 25 août 2016, "
                    "article 9-2, approuvé par l'arrêté du 14 août 2019",
    "source_excerpt": "« Pour les assistants médicaux recrutés sans être titulaires du certificat de qualification "
                      "professionnelle (CQP) et sous réserve de la mise en place des formations qualifiantes, le "
                      "médecin s'engage à ce que la personne recrutée en qualité d'assistant médical suive cette "
                      "formation ad hoc dans les deux ans suivant son recrutement et obtienne sa qualification "
                      "professionnelle dans un délai maximum de trois ans suivant son recrutement. »",
}


def cite(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRuleSet").objects.filter(**INSTALLED).update(**CITED)


def uncite(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRuleSet").objects.filter(
        name=CITED["name"], legal_source=CITED["legal_source"]).update(source_excerpt="", **INSTALLED)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0005_rule_periods_in_months_or_years_and_profiles")]
    operations = [migrations.RunPython(cite, uncite)]
