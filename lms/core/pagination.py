"""One page of a long table, as Moodle and Open edX show their participant lists: the rest of the query kept."""
from django.core.paginator import Paginator
from django.utils.http import urlencode

PER_PAGE = 50


def page_of(items, request, *, per_page=PER_PAGE, keep=None, count=None):
    """The page asked for with ?page= (anything that is not a page number gives the first or the last page).

    `keep` is the query to carry in the page links (the sort and filters); by default every parameter of the
    request but the page. `count`: the number of items when the caller knows it (no COUNT query then).
    Returns the context of templates/includes/pagination.html.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached property: this value is used instead of counting
    raw = request.GET.get("page", "")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), paginator.num_pages)  # 0, -3 or 9999: the nearest real page, never an error
    page = paginator.page(number)
    if keep is None:
        keep = [(key, value) for key, values in request.GET.lists() if key != "page" for value in values]
    elif isinstance(keep, dict):
        keep = [(key, value) for key, value in keep.items() if value not in ("", None)]
    query = urlencode(keep)
    return {
        "page": page,
        "page_items": [{"gap": True} if n == Paginator.ELLIPSIS else {"number": n, "current": n == number}
                       for n in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)],
        "page_link": f"?{query}&page=" if query else "?page=",
    }
