"""The public home page."""
from django.shortcuts import render


def home(request):
    """Tell each kind of visitor what the platform is and where to go."""
    return render(request, "core/home.html")


def accessibility(request):
    """The accessibility statement (RGAA)."""
    return render(request, "core/accessibility.html")


def privacy(request):
    """What personal data the platform processes."""
    return render(request, "core/privacy.html")
