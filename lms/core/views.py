"""The public home page."""
from django.shortcuts import render


def home(request):
    """Tell each kind of visitor what the platform is and where to go."""
    return render(request, "core/home.html")

