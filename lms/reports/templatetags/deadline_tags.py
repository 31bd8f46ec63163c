"""The trainee's own deadlines, shown on 'Mon parcours'."""
from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("reports/_my_deadlines.html")
def my_deadlines(user):
    from lms.deadlines.selectors import employment_rows
    from lms.organisations.models import Employment

    employments = Employment.objects.filter(trainee=user).select_related("trainee", "practice").order_by("-hired_on")
    return {"rows": employment_rows(employments, timezone.localdate(), with_progress=False)}
