"""Searching the lessons of a track: French words compared without accents, singular and plural alike, each result
with its module and an excerpt where the words found are marked (lms.core.text_search)."""
from dataclasses import dataclass

from lms.catalog.models import LessonPage
from lms.core import text_search

MAX_RESULTS = 30


@dataclass(frozen=True)
class LessonHit:
    """One lesson found: where it sits in the track, and the words around the first match (safe HTML, or "")."""
    lesson_id: int
    title: str
    module_title: str
    excerpt: str
    path: str = ""


def lesson_search(*, structure, words, quotable=lambda hit: True):
    """[LessonHit] of the live lessons of a track (its `structure`, lms.learning.selectors.track_structure) that
    hold every searched word, best first, at most MAX_RESULTS.

    One query: the engine's. The words are the stems of lms.core.text_search, which every lesson also indexes
    (LessonPage.search_terms): SQLite's full-text search finds them as PostgreSQL's french_unaccent does.
    `quotable(hit)` says whether the reader may see the lesson's text (page privacy): else no excerpt.
    """
    stems = text_search.query_stems(words)
    if not stems:
        return []
    if not structure.path:
        raise ValueError("A track structure without its tree path cannot scope a search.")
    modules = {lesson.id: module.title for module in structure.modules for lesson in module.lessons}
    found = (LessonPage.objects.live().filter(path__startswith=structure.path)
             .search(" ".join(stems), operator="and")[:MAX_RESULTS])
    hits = []
    for page in found:
        if page.pk not in modules:  # published after the structure was cached: found on the next search
            continue
        hit = LessonHit(page.pk, page.title, modules[page.pk], "", page.path)
        if quotable(hit):
            hit = LessonHit(page.pk, page.title, modules[page.pk], text_search.excerpt(page.plain_text(), stems),
                            page.path)
        hits.append(hit)
    return hits
