"""Plain-text display of a few values, for tables that format their cells once in Python rather than per cell
in a template."""
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import get_language, ngettext


def _first_of_month():
    """How the first day of a month is written: '1er' in French ('1er septembre 2026'), '1' otherwise."""
    return "1er" if (get_language() or "").startswith("fr") else "1"


def long_date(value, time_format=None):
    """A date in words, '1er septembre 2026' or '24 novembre 2026' in French, optionally followed by the time."""
    if not value:
        return ""
    text = formats.date_format(value, "j F Y")
    if value.day == 1:
        text = _first_of_month() + text[1:]
    return f"{text} {formats.date_format(value, time_format)}" if time_format else text


class DateText:
    """long_date() for the many cells of a table, month names translated once
    (a callable made per request: the active language may change between requests)."""

    def __init__(self):
        self.months = {number: str(name) for number, name in MONTHS.items()}
        self.first = _first_of_month()

    def __call__(self, day):
        if not day:
            return ""
        return f"{self.first if day.day == 1 else day.day} {self.months[day.month]} {day.year}"


def full_name(first_name, last_name, email):
    """What User.__str__ shows, from values rather than an instance: the full name, else the email address."""
    return f"{first_name} {last_name}".strip() or email


def choice_labels(choices):
    """The labels of a TextChoices class by value, in the active language."""
    return {value: str(label) for value, label in choices.choices}


def french_hours(value, decimals=1):
    """A number of hours the French way, for legal documents whatever the reader's language: 7 -> '7,0 h',
    Decimal('12.5') -> '12,5 h'; decimals=0 drops the decimals of a whole number only (84 -> '84 h', 7.5 -> '7,5 h')."""
    number = float(value or 0)
    if decimals == 0 and number != int(number):
        decimals = 1
    return f"{number:.{decimals}f}".replace(".", ",") + " h"


def french_number(value, decimals=1):
    """A number with a decimal comma: 87.5 -> '87,5' (percentages, scores)."""
    if value is None:
        return ""
    return f"{float(value):.{decimals}f}".replace(".", ",")


def points(value):
    """A number of points in words, in the active language: '1 point', '2 points', '1,5 points' ('2 pt' is a slip)."""
    number = float(value or 0)
    count = int(number) if number == int(number) else 2  # a fraction reads as a plural in both languages
    shown = formats.number_format(value if number != int(number) else int(number), use_l10n=True)
    return ngettext("%(points)s point", "%(points)s points", count) % {"points": shown}


def colon():
    """':' preceded by a space in French ('Motif : …'), glued to the word in English ('Reason: …')."""
    return " :" if (get_language() or "").startswith("fr") else ":"
