"""The site's URLconf plus a view that fails, to see the 500 page."""
from django.urls import path

from lms.urls import handler400, handler403, handler404, handler429, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("en-panne/", broken), *urlpatterns]
