"""The public home page, and the error pages: the site's layout, in the visitor's language."""
import logging

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Served when even the minimal 500 template cannot be rendered: plain, bilingual, nothing to load.
SERVER_ERROR_FALLBACK = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur du serveur</title></head><body>'
    "<main><h1>Erreur du serveur</h1><p>Une erreur s'est produite. Réessayez dans quelques minutes.</p>"
    '<p lang="en">Server error. Please try again in a few minutes.</p><p><a href="/">Accueil</a></p></main>'
    "</body></html>"
)


def favicon(request):
    """/favicon.ico, asked by browsers on pages without an icon link (the admin's): the site's icon."""
    return redirect(static("img/favicon.svg"), permanent=True)


def home(request):
    """Tell each kind of visitor what the platform is and where to go."""
    return render(request, "core/home.html")


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token (often a page left open too long)."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def too_many_requests(request, exception=None):
    """Also what allauth answers when one of its rate limits refuses (it calls the URLconf's handler429)."""
    return render(request, "429.html", status=429)


def server_error(request):
    """Rendered without the request: no context processor, no session, nothing that needs the database."""
    try:
        html = render_to_string("500.html", {"site_name": settings.LMS_SITE_NAME})
    except Exception:  # the page that reports an error must not fail in turn
        logger.exception("The 500 page could not be rendered")
        html = SERVER_ERROR_FALLBACK
    return HttpResponseServerError(html)
