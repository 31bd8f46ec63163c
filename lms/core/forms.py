"""Form fields and URL converters that refuse ids a database cannot hold (a huge number is a 404 or a field
error, never a 500)."""
import re

from django import forms

ID_PATTERN = re.compile(r"^[0-9]{1,18}$")


def valid_id(value):
    return bool(ID_PATTERN.match(str(value).strip()))


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not valid_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not valid_id(item):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": item})
        return super()._check_values(value)


class IdConverter:
    """Like <int:…> but at most 18 digits, so that it always fits a 64-bit primary key."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
