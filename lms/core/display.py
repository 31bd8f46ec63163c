"""Plain-text display of a few values, for tables that format their cells once in Python rather than per cell
in a template."""
from django.utils.dates import MONTHS


class DateText:
    """Dates the French way ('24 novembre 2026', the template filter date:"j F Y"), month names translated once
    (a callable made per request: the active language may change between requests)."""

    def __init__(self):
        self.months = {number: str(name) for number, name in MONTHS.items()}

    def __call__(self, day):
        return f"{day.day} {self.months[day.month]} {day.year}" if day else ""


def full_name(first_name, last_name, email):
    """What User.__str__ shows, from values rather than an instance: the full name, else the email address."""
    return f"{first_name} {last_name}".strip() or email


def choice_labels(choices):
    """The labels of a TextChoices class by value, in the active language."""
    return {value: str(label) for value, label in choices.choices}
