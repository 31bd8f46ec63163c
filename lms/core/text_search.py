"""French words as a search engine should compare them: without accents or case, singular and plural alike.

One normalisation for both sides of a search — the text that is indexed and the words that are typed — and for the
highlighting of the results, so that what is found is also what is marked. PostgreSQL's `french` configuration
stems better (lms.core.migrations.0002), but SQLite has no French stemmer: the terms made here are indexed next to
the text, so that both engines find the same lessons (lms.catalog.models.LessonPage.search_terms).

The stemmer is a light one, in the spirit of J. Savoy's French light stemmer: it folds number and gender
(tensions → tension, artérielles → arteriel, médicaux → medical, infirmières → infirmier), never derivations.
"""
import re
import unicodedata

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

WORD = re.compile(r"\w+")

# Words too common to search or to highlight: a query made only of them still searches them.
STOP_WORDS = frozenset("""
a au aux avec ce ces d dans de des du elle en et il ils j je l la le les leur lui m ma mais me mes moi mon n ne
nos notre nous on ou par pas pour qu que qui s sa se ses son sur t ta te tes toi ton tu un une vos votre vous y
est sont
""".split())


def fold(word):
    """The word in lower case without its accents or ligatures (Artérielle → arterielle, cœur → coeur)."""
    word = word.lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def stem(word):
    """The word's light stem: folded, then without the marks of plural and feminine."""
    word = fold(word)
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("eaux"):  # bureaux → bureau
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 4:  # médicaux → medical
        word = word[:-3] + "al"
    elif word.endswith(("s", "x")) and not word.endswith(("ss", "us", "is")):  # tensions → tension
        word = word[:-1]
    while len(word) > 4 and word.endswith("e"):  # artérielle → arteriell, mesurée → mesur
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] in "lnt":  # arteriell → arteriel, ancienn → ancien
        word = word[:-1]
    return word


def query_stems(words):
    """The stems to look for, in the order typed, without repeats; stop words left out unless there is nothing
    else."""
    stems = list(dict.fromkeys(stem(word) for word in words))
    meaningful = [s for s in stems if s not in STOP_WORDS]
    return meaningful or stems


def index_terms(text):
    """The text as the stems of its words, for the search index: what query_stems is compared with."""
    return " ".join(stem(word) for word in WORD.findall(text))


def excerpt(text, stems, *, size=30):
    """About `size` words of `text` around the first word whose stem is in `stems`, those words in <mark>; safe
    HTML, every piece of the text escaped. The opening words when nothing matches; "" for no text."""
    words = list(WORD.finditer(text))
    if not words:
        return ""
    stems = set(stems)
    first = next((i for i, match in enumerate(words) if stem(match.group()) in stems), 0)
    start = max(0, min(first - size // 3, len(words) - size))
    end = min(len(words), start + size)
    # The whole sentence around the words where the excerpt reaches the text's ends (a closing full stop, an opening
    # quote); the words alone where it is cut, with an ellipsis.
    begin_at = words[start].start() if start > 0 else 0
    end_at = words[end - 1].end() if end < len(words) else len(text)
    parts = ["… " if start > 0 else ""]
    position = begin_at
    for match in words[start:end]:
        if stem(match.group()) in stems:
            parts.append(escape(text[position:match.start()]))
            parts.append(format_html("<mark>{}</mark>", match.group()))
            position = match.end()
    parts.append(escape(text[position:end_at]))
    parts.append(" …" if end < len(words) else "")
    return mark_safe("".join(str(part) for part in parts))  # every piece is escaped or built by format_html
