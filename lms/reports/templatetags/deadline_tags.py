"""The trainee's own deadlines, shown on 'Mon parcours'."""
from django import template

from lms.core.dates import legal_today
from lms.deadlines.selectors import trainee_rows
from lms.reports.tables import DEFAULT_ICON, STATUS_ICONS

register = template.Library()


@register.inclusion_tag("reports/_my_deadlines.html")
def my_deadlines(user, enrolments, structures=None):
    """The trainee's two deadlines per employment; `enrolments` (and their tracks' `structures`) are those the
    page already read."""
    return {"rows": trainee_rows(user, enrolments, legal_today(), structures)}


@register.filter
def status_icon(status):
    """The icon of a deadline status (never shown alone: the label follows it)."""
    return STATUS_ICONS.get(status, DEFAULT_ICON)
