"""The user's own space: what they can do, according to their roles."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lms.accounts.roles import roles_for


@login_required
def dashboard(request):
    """'Mon espace': links to every space the user has a role in; only their own account otherwise."""
    return render(request, "accounts/dashboard.html", {"roles": roles_for(request.user)})
