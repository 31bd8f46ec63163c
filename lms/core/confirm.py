"""A confirmation step before an action that cannot be undone, posted from a one-click button in a list.

The button's POST answers with a page that says what will happen and posts the same fields again with the
confirmation; without it nothing is done. No JavaScript needed, and a replayed first click changes nothing.
"""
from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


def confirmed(request):
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


def confirmation_page(request, *, title, question, confirm_label, cancel_url):
    """The page that asks; its form posts the fields of the first POST again, with the confirmation."""
    fields = [(name, value) for name, value in request.POST.items() if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)]
    return render(request, "core/confirm.html", {
        "title": title, "question": question, "confirm_label": confirm_label, "cancel_url": cancel_url,
        "fields": fields, "confirm_field": CONFIRM_FIELD,
    })
