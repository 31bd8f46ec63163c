"""Install the 2019 rule: avenant 7 to the national medical convention, art. 9-2 — 2 years to start, 3 to qualify."""
from django.db import migrations


def install(apps, schema_editor):
    DeadlineRuleSet = apps.get_model("deadlines", "DeadlineRuleSet")
    DeadlineRuleSet.objects.get_or_create(
        name="Avenant 7 (2019)",
        defaults={"legal_source": "Avenant n° 7 à la convention nationale médicale (2019), article 9-2",
                  "applies_from": None, "applies_until": None, "enrolment_years": 2, "qualification_years": 3},
    )


def uninstall(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRuleSet").objects.filter(name="Avenant 7 (2019)").delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
