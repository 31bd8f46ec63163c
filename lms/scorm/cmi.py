"""The SCORM 1.2 run-time data model (SCORM 1.2 RTE, section 3.4), on the server: what a SCO may write, checked
again here whatever the browser's API object said (static/scorm/runtime.js applies the same rules and answers
the SCO with the standard error codes).

`clean_commit(values)` takes the elements a SCO set during a session, as {element: string}, and returns them
validated and typed, or raises CmiError naming the first fault.
"""
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

STATUSES = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")
DONE_STATUSES = ("passed", "completed")
EXITS = ("time-out", "suspend", "logout", "")
INTERACTION_TYPES = ("true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric")
RESULTS = ("correct", "wrong", "unanticipated", "neutral")
MAX_OBJECTIVES = 100
MAX_INTERACTIONS = 250
MAX_ARRAY_ITEMS = 50  # an interaction's objectives and correct responses
TIMESPAN = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")  # CMITimespan HHHH:MM:SS.SS
TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")  # CMITime HH:MM:SS.SS
IDENTIFIER = re.compile(r"^[\x21-\x7e]{1,255}$")  # CMIIdentifier: no white space


class CmiError(ValueError):
    def __init__(self, element, message):
        super().__init__(f"{element}: {message}")
        self.element = element
        self.message = message


def timespan_seconds(value):
    """'0001:30:05.5' -> 5405.5 (CMITimespan)."""
    match = TIMESPAN.match(value)
    if not match:
        raise ValueError(value)
    hours, minutes, seconds, fraction = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + (float(fraction) if fraction else 0)


def seconds_timespan(seconds):
    """5405 -> '0001:30:05' (what cmi.core.total_time reads)."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{min(hours, 9999):04d}:{rest // 60:02d}:{rest % 60:02d}"


def _string(limit):
    def check(value):
        if len(value) > limit:
            raise ValueError(_("at most %(max)s characters") % {"max": limit})
        if "\x00" in value:  # no database stores it (PostgreSQL refuses a NUL byte in text)
            raise ValueError(_("unexpected value"))
        return value
    return check


def _choice(options):
    def check(value):
        if value not in options:
            raise ValueError(_("unexpected value"))
        return value
    return check


def _decimal(low=None, high=None, blank=False):
    def check(value):
        if blank and value == "":
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(_("a number is expected")) from None
        if not number.is_finite() or len(value) > 30 or (low is not None and number < low) or (
                high is not None and number > high):
            raise ValueError(_("out of range"))
        return number
    return check


def _identifier(value):
    if not IDENTIFIER.match(value):
        raise ValueError(_("an identifier without spaces is expected"))
    return value


def _timespan(value):
    try:
        return timespan_seconds(value)
    except ValueError:
        raise ValueError(_("a duration HHHH:MM:SS is expected")) from None


def _time(value):
    if not TIME.match(value):
        raise ValueError(_("a time HH:MM:SS is expected"))
    return value


def _status(value):
    if value == "not attempted" or value not in STATUSES:  # a SCO never sets "not attempted"
        raise ValueError(_("unexpected value"))
    return value


def _result(value):
    if value in RESULTS:
        return value
    return _decimal()(value)


SCORE = _decimal(Decimal(0), Decimal(100), blank=True)
# The elements a SCO may write (SCORM 1.2 RTE 3.4), with their check.
WRITABLE = {
    "cmi.core.lesson_location": _string(255),
    "cmi.core.lesson_status": _status,
    "cmi.core.score.raw": SCORE,
    "cmi.core.score.min": SCORE,
    "cmi.core.score.max": SCORE,
    "cmi.core.exit": _choice(EXITS),
    "cmi.core.session_time": _timespan,
    "cmi.suspend_data": _string(4096),
    "cmi.comments": _string(4096),
    "cmi.student_preference.audio": _decimal(Decimal(-1), Decimal(100)),
    "cmi.student_preference.language": _string(255),
    "cmi.student_preference.speed": _decimal(Decimal(-100), Decimal(100)),
    "cmi.student_preference.text": _choice(("-1", "0", "1")),
}
OBJECTIVE = {"id": _identifier, "score.raw": SCORE, "score.min": SCORE, "score.max": SCORE, "status": _status}
INTERACTION = {"id": _identifier, "time": _time, "type": _choice(INTERACTION_TYPES), "weighting": _decimal(),
               "student_response": _string(255), "result": _result, "latency": _timespan}
ARRAY = re.compile(r"^cmi\.(objectives|interactions)\.(\d{1,4})\.(.+)$")
SUB_ARRAY = re.compile(r"^(objectives|correct_responses)\.(\d{1,3})\.(id|pattern)$")


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def clean_commit(values):
    """{element: value} as a SCO set them -> {"core": {...}, "objectives": [...], "interactions": [...]}.

    Arrays must be filled in order (index n only after n-1), as LMSSetValue requires; an unknown or read-only
    element, a value of the wrong type or too long raises CmiError.
    """
    if not isinstance(values, dict):
        raise CmiError("", _("The data sent is not a set of SCORM elements."))
    core, objectives, interactions = {}, {}, {}
    for element, value in values.items():
        if not isinstance(element, str) or not isinstance(value, str):
            raise CmiError(str(element)[:100], _("every value must be a character string"))
        if element in WRITABLE:
            try:
                core[element] = WRITABLE[element](value)
            except ValueError as error:
                raise CmiError(element, str(error)) from None
            continue
        match = ARRAY.match(element)
        if not match:
            raise CmiError(element[:100], _("this element does not exist or cannot be written"))
        kind, index, field = match.group(1), int(match.group(2)), match.group(3)
        target, fields, limit = ((objectives, OBJECTIVE, MAX_OBJECTIVES) if kind == "objectives"
                                 else (interactions, INTERACTION, MAX_INTERACTIONS))
        if index >= limit:
            raise CmiError(element, _("at most %(max)s entries") % {"max": limit})
        row = target.setdefault(index, {})
        sub = SUB_ARRAY.match(field) if kind == "interactions" else None
        try:
            if field in fields:
                row[field] = fields[field](value)
            elif sub:
                name, sub_index, _part = sub.groups()
                if int(sub_index) >= MAX_ARRAY_ITEMS:
                    raise ValueError(_("at most %(max)s entries") % {"max": MAX_ARRAY_ITEMS})
                checker = _identifier if name == "objectives" else _string(255)
                row.setdefault(name, {})[int(sub_index)] = checker(value)
            else:
                raise CmiError(element, _("this element does not exist or cannot be written"))
        except ValueError as error:
            if isinstance(error, CmiError):
                raise
            raise CmiError(element, str(error)) from None
    for kind, target in (("objectives", objectives), ("interactions", interactions)):
        if sorted(target) != list(range(len(target))):
            raise CmiError(f"cmi.{kind}", _("the entries must be numbered from 0 without gaps"))
        for row in target.values():
            for name in ("objectives", "correct_responses"):
                if name in row:
                    if sorted(row[name]) != list(range(len(row[name]))):
                        raise CmiError(f"cmi.{kind}.n.{name}", _("the entries must be numbered from 0 without gaps"))
                    row[name] = [row[name][i] for i in range(len(row[name]))]
    return {"core": {key: _plain(value) for key, value in core.items()},
            "objectives": [{k: _plain(v) for k, v in objectives[i].items()} for i in range(len(objectives))],
            "interactions": [{k: _plain(v) for k, v in interactions[i].items()} for i in range(len(interactions))]}
