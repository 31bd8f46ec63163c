"""The séance form (the body's staff) and the absence form (the trainer's sheet); French field errors."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.classroom.models import DEFAULT_TIMES, HalfDay, SessionKind
from lms.core.forms import BoundedDateField, DateInput, SafeModelChoiceField, refuse_markup


class TrainerChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class ClassSessionForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    half_day = forms.ChoiceField(label=_("Half-day"), choices=HalfDay.choices)
    starts_at = forms.TimeField(label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
                                help_text=_("Leave empty for the usual time (9:00 or 13:30)."))
    ends_at = forms.TimeField(label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
                              help_text=_("Leave empty for the usual time (12:30 or 17:00)."))
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    place = forms.CharField(label=_("Place"), max_length=300, required=False,
                            help_text=_("The address, for an in-person class session."))
    video_url = forms.URLField(label=_("Video link"), max_length=500, required=False, assume_scheme="https",
                               help_text=_("An https:// link, for a virtual class."))
    trainer = TrainerChoiceField(label=_("Trainer"), queryset=None)
    hours = forms.DecimalField(label=_("Hours"), min_value=Decimal("0.25"), max_value=Decimal("12"),
                               max_digits=4, decimal_places=2,
                               help_text=_("The hours the class session counts for: at most the length of the half-day."))

    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers

    def clean_title(self):
        return refuse_markup(self.cleaned_data["title"])

    def clean_place(self):
        return refuse_markup(self.cleaned_data["place"])

    def clean_video_url(self):
        url = self.cleaned_data["video_url"]
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("The video link must start with https://."))
        return url

    def clean(self):
        data = super().clean()
        half_day = data.get("half_day")
        if half_day in DEFAULT_TIMES:
            start, end = DEFAULT_TIMES[half_day]
            data["starts_at"] = data.get("starts_at") or start
            data["ends_at"] = data.get("ends_at") or end
        return data


class AbsenceForm(forms.Form):
    enrolment = forms.IntegerField(min_value=1, max_value=10 ** 17, widget=forms.HiddenInput)
    excused = forms.BooleanField(label=_("Excused absence"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean_reason(self):
        return refuse_markup(self.cleaned_data["reason"])
