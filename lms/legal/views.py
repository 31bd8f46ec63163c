"""The legal pages at their fixed French URLs."""
from django.http import Http404
from django.views.decorators.http import require_safe

from lms.legal.content import legal_page_for
from lms.legal.models import LegalKind


def _serve(request, kind):
    """Serve the live page of this kind. A page that does not exist (a fresh database, a page deleted by
    mistake) is created with the default content: the footer of every page links to it and the law requires
    it. A page an admin has unpublished answers 404: that is the admin's choice."""
    page = legal_page_for(kind)
    if not page.live:
        raise Http404
    return page.serve(request)


@require_safe
def privacy(request):
    """What personal data the platform processes (GDPR art. 13 and 14)."""
    return _serve(request, LegalKind.PRIVACY)


@require_safe
def accessibility(request):
    """The accessibility statement, in the form of the RGAA model."""
    return _serve(request, LegalKind.ACCESSIBILITY)


@require_safe
def legal_notice(request):
    """The legal notice (mentions légales: publisher, director of publication, host)."""
    return _serve(request, LegalKind.LEGAL_NOTICE)
