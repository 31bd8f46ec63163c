"""A web worker made ready before it takes its first request (gunicorn's post_worker_init, lms/gunicorn_conf.py).

Django loads lazily what a request first needs: the URLconf (every app's URLs, Wagtail's admin and API: about
0.7 s of CPU here), each template and the tag libraries it loads, each language's catalogue. Left to the first
requests, that cost falls on the people who send them, on every worker of every node after each deployment or
restart: measured with `make bench-class` (300 trainees arriving within 30 s), the pages of the first ten seconds
took 200-400 ms at the median on the server, 20-90 ms afterwards. Done here, in the worker, before it accepts.
"""
import logging
from pathlib import Path

import allauth
import django.forms
from django.apps import apps
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import resolve, reverse
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")
# allauth's templates that every visitor meets (the login, sign-up and password pages and their elements); its
# others (MFA, social accounts, OpenID provider) and Wagtail's admin load when first used.
ALLAUTH_TEMPLATE_DIRS = ("account", "allauth")


def _names_under(root, subdirs=None):
    if not root.is_dir():
        return set()
    return {path.relative_to(root).as_posix() for path in root.rglob("*")
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
            and (subdirs is None or path.relative_to(root).parts[0] in subdirs)}


def project_template_names():
    """The names of the project's own templates (TEMPLATES' DIRS, the lms apps' `templates`) and of allauth's
    account pages."""
    names = set()
    for directory in (d for engine in settings.TEMPLATES for d in engine.get("DIRS", ())):
        names |= _names_under(Path(directory))
    for config in apps.get_app_configs():
        if config.name.startswith("lms."):
            names |= _names_under(Path(config.path) / "templates")
    names |= _names_under(Path(allauth.__file__).parent / "templates", ALLAUTH_TEMPLATE_DIRS)
    return sorted(names)


def form_template_names():
    """Django's form and widget templates (rendered through the form renderer, which has its own engine)."""
    return sorted(_names_under(Path(django.forms.__file__).parent / "templates"))


def warm_up():
    """Load the URLconf and every language's catalogue, compile the templates of project_template_names() and
    form_template_names(); return the names of the templates compiled. A template that does not compile is logged,
    not raised: the worker still serves the rest (and the page that needs it fails as it would have)."""
    resolve("/")
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Parcours AM")
            reverse("account_login")  # the URLconf's reverse table, built once per language
    compiled = []
    renderer = get_default_renderer()
    for load, names in ((get_template, project_template_names()), (renderer.get_template, form_template_names())):
        for name in names:
            try:
                load(name)
            except (TemplateDoesNotExist, TemplateSyntaxError) as error:
                logger.warning("warm-up: template %s not compiled: %s", name, error)
            else:
                compiled.append(name)
    return compiled
