"""The user's own space: what they can do, according to their roles."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lms.accounts.dashboard import sections_for
from lms.accounts.roles import roles_for


@login_required
def dashboard(request):
    """'Mon espace': links to every space the user has a role in, what waits for their answer, their account."""
    return render(request, "accounts/dashboard.html", {"roles": roles_for(request.user),
                                                       "sections": sections_for(request)})
