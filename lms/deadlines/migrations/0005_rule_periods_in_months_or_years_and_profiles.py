"""Rule sets count in months or years and may apply to given entry profiles; they cite their text.

The periods in years become an amount and a unit (years for the existing rows); a rule set gains the entry
profiles it applies to (none: all), the date its text took effect, an address and a quoted passage of its source.
"""
import django.core.validators
import django.db.models.lookups
from django.db import migrations, models


def months(prefix):
    return models.Case(models.When(**{f"{prefix}_unit": "years"}, then=models.F(f"{prefix}_period") * 12),
                       default=models.F(f"{prefix}_period"), output_field=models.IntegerField())


class Migration(migrations.Migration):

    dependencies = [("deadlines", "0004_declaration_belongs_to_employment")]

    operations = [
        migrations.RemoveConstraint(model_name="deadlineruleset", name="qualification_after_enrolment"),
        migrations.RenameField(model_name="deadlineruleset", old_name="enrolment_years", new_name="enrolment_period"),
        migrations.RenameField(model_name="deadlineruleset", old_name="qualification_years",
                               new_name="qualification_period"),
        migrations.AlterField(
            model_name="deadlineruleset", name="enrolment_period",
            field=models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)],
                                                   verbose_name="period to start a training")),
        migrations.AlterField(
            model_name="deadlineruleset", name="qualification_period",
            field=models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)],
                                                   verbose_name="period to obtain the qualification")),
        migrations.AddField(
            model_name="deadlineruleset", name="enrolment_unit",
            field=models.CharField(choices=[("months", "months"), ("years", "years")], default="years", max_length=6,
                                   verbose_name="unit of the period to start a training")),
        migrations.AddField(
            model_name="deadlineruleset", name="qualification_unit",
            field=models.CharField(choices=[("months", "months"), ("years", "years")], default="years", max_length=6,
                                   verbose_name="unit of the period to obtain the qualification")),
        migrations.AddField(
            model_name="deadlineruleset", name="applies_to_profiles",
            field=models.JSONField(blank=True, default=list,
                                   help_text="Leave empty: applies to every entry profile. A rule for given profiles "
                                             "takes precedence over a rule for all.",
                                   verbose_name="entry profiles")),
        migrations.AddField(
            model_name="deadlineruleset", name="source_url",
            field=models.URLField(blank=True, help_text="Optional: where the text can be read (Légifrance, ameli.fr…).",
                                  verbose_name="address of the source text")),
        migrations.AddField(
            model_name="deadlineruleset", name="source_excerpt",
            field=models.TextField(blank=True, help_text="The sentence of the article that sets the periods, quoted.",
                                   verbose_name="passage of the text read")),
        migrations.AddField(
            model_name="deadlineruleset", name="takes_effect_on",
            field=models.DateField(blank=True, null=True,
                                   help_text="For the record; which assistants the rule applies to is decided by the "
                                             "hire dates below.",
                                   verbose_name="date the text took effect")),
        migrations.AlterField(
            model_name="deadlineruleset", name="name",
            field=models.CharField(help_text='Shown to employers and training bodies beside each deadline, for example '
                                             '"Avenant 7 — art. 9-2".',
                                   max_length=120, verbose_name="name")),
        migrations.AlterField(
            model_name="deadlineruleset", name="legal_source",
            field=models.CharField(help_text="The text and its article, as they are cited.", max_length=255,
                                   verbose_name="legal source")),
        migrations.AddConstraint(
            model_name="deadlineruleset",
            constraint=models.CheckConstraint(condition=models.Q(enrolment_period__gte=1, qualification_period__gte=1),
                                              name="deadline_periods_positive")),
        migrations.AddConstraint(
            model_name="deadlineruleset",
            constraint=models.CheckConstraint(
                condition=models.Q(django.db.models.lookups.GreaterThanOrEqual(months("qualification"),
                                                                               months("enrolment"))),
                name="qualification_period_after_enrolment_period")),
        migrations.AddConstraint(
            model_name="deadlineruleset",
            constraint=models.CheckConstraint(
                condition=models.Q(applies_from__isnull=True) | models.Q(applies_until__isnull=True)
                | models.Q(applies_until__gte=models.F("applies_from")),
                name="deadline_rule_until_after_from")),
    ]
