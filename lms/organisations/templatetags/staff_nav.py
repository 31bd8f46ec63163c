"""{% staff_nav %}: the one sub-navigation of the training body's staff pages."""
from django import template

from lms.organisations.staff_space import current_state, staff_pages_for, staff_roles

register = template.Library()


@register.inclusion_tag("organisations/_staff_nav.html", takes_context=True)
def staff_nav(context):
    """The staff pages the user may open, the current one marked (aria-current) from the request's URL name."""
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match else None
    return {"entries": [{"page": page, "current": current_state(page, url_name)}
                        for page in staff_pages_for(staff_roles(request.user))]}
