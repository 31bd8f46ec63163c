"""The site's header and footer, rendered once per language and variant in each process.

They are the same on every page but for the CSRF token of their two forms and the current path that the
language form returns to: those holes are filled per request. Rendering the layout with Django's templates
cost about as much as a trainee's page content itself.
"""
from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from lms.core.cache import local_get

register = template.Library()

CSRF_HOLE = "LMS-LAYOUT-CSRF-HOLE-7f3a9c"
PATH_HOLE = "LMS-LAYOUT-PATH-HOLE-7f3a9c"
CURRENT_PAGE_ITEMS = ("accounts_dashboard",)  # nav items marked aria-current on their own page


@register.simple_tag(takes_context=True)
def site_header(context):
    request = context.get("request")  # None when a template is rendered outside a request
    user = context.get("user")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.url_name in CURRENT_PAGE_ITEMS else ""
    variant = (get_language(), bool(user and user.is_authenticated), current, settings.LMS_SITE_NAME)

    def build():
        return render_to_string("includes/site_header.html", {
            "site_name": settings.LMS_SITE_NAME, "authenticated": variant[1], "current": current,
            "LANGUAGE_CODE": variant[0], "LANGUAGES": settings.LANGUAGES, "csrf_token": CSRF_HOLE,
            "next_path": PATH_HOLE,
        })

    html = local_get(("layout-header",) + variant, build)
    token, path = (get_token(request), request.get_full_path()) if request is not None else ("", "/")
    return mark_safe(html.replace(CSRF_HOLE, escape(token)).replace(PATH_HOLE, escape(path)))


@register.simple_tag
def site_footer():
    variant = (get_language(), settings.LMS_SITE_NAME)
    return mark_safe(local_get(("layout-footer",) + variant, lambda: render_to_string(
        "includes/site_footer.html", {"site_name": settings.LMS_SITE_NAME})))
