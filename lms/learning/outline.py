"""The track outline's HTML.

What every reader shares (modules, lessons, quizzes, links) is rendered once per version of the track's
structure and per language, then kept in the cache; each reader's statuses are filled into the slots
the shared HTML marks (``<!--status:lesson:12-->``), so a page view costs a substitution, not a render.
"""
import re
from functools import partial

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from lms.core.cache import get_or_build
from lms.core.dates import legal_date
from lms.core.display import long_date

SLOT = re.compile(r"<!--status:(lesson|quiz|module):(\d+)-->")


def shared_outline_key(track_id, version):
    """The key of the outline without statuses, per version of the track's structure and per language."""
    return f"outline-html:v3:{track_id}:{version}:{get_language()}"


def render_shared_outline(structure):
    return render_to_string("learning/_outline_modules.html", {"structure": structure})


def shared_outline_html(structure):
    """The outline without statuses, from the shared cache (keyed by the structure's version)."""
    return get_or_build(shared_outline_key(structure.id, structure.version), partial(render_shared_outline, structure),
                        timeout=3600)


def _status(done, text):
    css, icon = ("status-done", "✔") if done else ("status-todo", "○")
    return format_html('<span class="status {}"><span aria-hidden="true">{}</span> {}</span> ', css, icon, text)


def slot_statuses(structure, progress, exempted_on=None):
    """HTML for each slot of the outline, from a reader's progress (TrackProgress); `exempted_on`: {module id: date
    of the tutor's decision} of the modules the reader is exempted from."""
    done, todo = _status(True, gettext("Done")), _status(False, gettext("To do"))
    passed, to_pass = _status(True, gettext("Passed")), _status(False, gettext("To pass"))
    exempted = _status(True, gettext("Exempted"))
    statuses = {}
    for module_progress in progress.modules:
        module = module_progress.module
        if module_progress.exempted:
            for lesson in module.lessons:
                statuses[("lesson", lesson.id)] = exempted
            if module.quiz is not None:
                statuses[("quiz", module.quiz.id)] = exempted
            decided = (exempted_on or {}).get(module.id)
            text = (gettext("Exempted on %(date)s (positioning)") % {"date": long_date(legal_date(decided))} if decided
                    else gettext("Exempted (positioning)"))
            statuses[("module", module.id)] = format_html(" {}", _status(True, text))
            continue
        for lesson in module.lessons:
            statuses[("lesson", lesson.id)] = done if lesson.id in module_progress.completed_lesson_ids else todo
        if module.quiz is not None:
            statuses[("quiz", module.quiz.id)] = passed if module_progress.quiz_passed else to_pass
        if module_progress.complete:
            text = gettext("Module complete")
        else:
            text = ngettext("%(done)s/%(total)s lesson", "%(done)s/%(total)s lessons", module_progress.lessons_total) % {
                "done": module_progress.lessons_done, "total": module_progress.lessons_total}
        statuses[("module", module.id)] = format_html(" {}", _status(module_progress.complete, text))
    if structure.final_assessment is not None:
        statuses[("quiz", structure.final_assessment.id)] = passed if progress.final_passed else to_pass
    return statuses


def outline_html(structure, progress=None, shared_html=None, exempted_on=None):
    """The outline for one reader; without progress (staff, preview) the slots are left empty. `shared_html`: the
    outline without statuses when already read (else read from the cache)."""
    statuses = slot_statuses(structure, progress, exempted_on) if progress is not None else {}
    return mark_safe(SLOT.sub(lambda match: statuses.get((match[1], int(match[2])), ""),
                              shared_html if shared_html is not None else shared_outline_html(structure)))
