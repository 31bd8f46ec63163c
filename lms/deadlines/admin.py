from django import forms
from django.contrib import admin
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import EntryProfile

from lms.core.forms import BOUNDED_DATES, CheckedEvidenceField
from lms.deadlines.models import DeadlineRuleSet, DeclaredTraining, ReminderSent


class DeadlineRuleSetForm(forms.ModelForm):
    """The entry profiles as checkboxes (none ticked: every profile); the model's clean() checks the rest."""

    source_url = forms.URLField(label=capfirst(DeadlineRuleSet._meta.get_field("source_url").verbose_name),
                                help_text=DeadlineRuleSet._meta.get_field("source_url").help_text, required=False,
                                assume_scheme="https")
    applies_to_profiles = forms.TypedMultipleChoiceField(
        label=capfirst(_("entry profiles")), choices=EntryProfile.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none: applies to every entry profile. A rule for given profiles takes precedence over a "
                    "rule for all."))

    class Meta:
        model = DeadlineRuleSet
        fields = ["name", "legal_source", "source_url", "source_excerpt", "takes_effect_on", "applies_from",
                  "applies_until", "applies_to_profiles", "enrolment_period", "enrolment_unit",
                  "qualification_period", "qualification_unit"]

    def clean_applies_to_profiles(self):
        return sorted(set(self.cleaned_data["applies_to_profiles"]))


@admin.register(DeadlineRuleSet)
class DeadlineRuleSetAdmin(admin.ModelAdmin):
    """Platform admins add a rule set when the law changes; the deadlines shown are recomputed once it is saved."""

    form = DeadlineRuleSetForm
    list_display = ["name", "applies_from", "applies_until", "profiles", "enrolment", "qualification",
                    "legal_source"]
    formfield_overrides = BOUNDED_DATES
    fieldsets = [
        (_("Legal source"), {"fields": ["name", "legal_source", "source_url", "source_excerpt", "takes_effect_on"]}),
        (_("Who it applies to"), {"fields": ["applies_from", "applies_until", "applies_to_profiles"]}),
        (_("Periods from the hire date"), {"fields": [("enrolment_period", "enrolment_unit"),
                                                      ("qualification_period", "qualification_unit")]}),
    ]

    @admin.display(description=_("entry profiles"))
    def profiles(self, rule):
        labels = dict(EntryProfile.choices)
        return ", ".join(str(labels.get(p, p)) for p in rule.applies_to_profiles) or _("All")

    @admin.display(description=_("to start a training"))
    def enrolment(self, rule):
        return "%s %s" % (rule.enrolment_period, rule.get_enrolment_unit_display())

    @admin.display(description=_("to obtain the qualification"))
    def qualification(self, rule):
        return "%s %s" % (rule.qualification_period, rule.get_qualification_unit_display())


@admin.register(DeclaredTraining)
class DeclaredTrainingAdmin(admin.ModelAdmin):
    list_display = ["trainee", "employment", "kind", "occurred_on", "organisation", "declared_by", "declared_at"]
    raw_id_fields = ["employment"]
    list_filter = ["kind"]
    formfield_overrides = {**BOUNDED_DATES, models.FileField: {"form_class": CheckedEvidenceField}}


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["employment", "deadline", "threshold", "deadline_date", "sent_at"]
    readonly_fields = [f.name for f in ReminderSent._meta.fields]
