"""The platform's legal pages: privacy notice, accessibility statement (RGAA), legal notice.

Each is a Wagtail page edited by platform admins in /cms/ and served at a fixed French URL (lms.legal.views),
whatever its place in the page tree: the pages sit directly under Wagtail's root, outside the catalogue.
"""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from lms.core.retention import PERIODS


class LegalKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    LEGAL_NOTICE = "legal_notice", _("Legal notice")


# The URL name serving each kind (lms/urls.py); the URL itself is fixed, the page's slug does not matter.
URL_NAMES = {LegalKind.PRIVACY: "privacy", LegalKind.ACCESSIBILITY: "accessibility",
             LegalKind.LEGAL_NOTICE: "legal_notice"}
BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class LegalPage(Page):
    """A legal page of the platform, one per kind, served at its fixed URL (/donnees-personnelles/...)."""

    kind = models.CharField(_("kind"), max_length=16, choices=LegalKind.choices, unique=True)
    last_updated = models.DateField(
        _("last updated"), help_text=_("Shown on the page: change it when the content changes in substance."))
    body = RichTextField(_("body"), features=BODY_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("last_updated"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []
    max_count = len(LegalKind.choices)  # one per kind: no fourth page, no copy

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")

    def get_context(self, request, *args, **kwargs):
        """The privacy notice states the retention periods the daily command applies, read from the same settings."""
        context = super().get_context(request, *args, **kwargs)
        if self.kind == LegalKind.PRIVACY:
            context["retention_periods"] = PERIODS
        return context

    def get_url_parts(self, request=None):
        """The fixed URL of the page's kind, so that Wagtail's "View live" and page.url lead there."""
        from django.conf import settings

        url_name = URL_NAMES.get(self.kind)
        if url_name is None:
            return None
        parts = super().get_url_parts(request)
        site_id = parts[0] if parts else None
        return site_id, settings.LMS_BASE_URL.rstrip("/"), reverse(url_name)
