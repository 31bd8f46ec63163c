"""'Mon espace' is made of the user's roles and of sections that higher apps add: accounts imports none of them,
they connect a receiver to `dashboard_sections` (learning adds the training bodies' offers waiting for an answer).
"""
from dataclasses import dataclass, field

from django.dispatch import Signal

# sender: the user model; kwargs: request. A receiver returns a DashboardSection, or None when it has nothing to show.
dashboard_sections = Signal()


@dataclass(frozen=True)
class DashboardSection:
    """A block of 'Mon espace': a template included with `context` as `section`."""

    template: str
    context: dict = field(default_factory=dict)


def sections_for(request):
    """The sections the apps add for this request's user, in the order their receivers were connected."""
    return [section for _receiver, section in dashboard_sections.send(sender=type(request.user), request=request)
            if section is not None]
