"""Wagtail admin hooks of the catalogue: staff reach only what Wagtail's permissions give them (admin_guards), and
one training body sees nothing of another (admin_isolation)."""
from django.urls import path, re_path
from wagtail import hooks

from lms.catalog import admin_guards, admin_isolation, admin_package

hooks.register("before_move_page", admin_guards.refuse_move_out_of_reach)
# After Wagtail's documents and images hooks (order 0), which register the endpoints replaced here.
hooks.register("construct_admin_api", admin_guards.register_reachable_media_endpoints, order=100)
hooks.register("construct_page_chooser_queryset", admin_isolation.restrict_page_chooser)


@hooks.register("register_admin_viewset", order=100)
def page_listings():
    # After Wagtail's base page viewset: its registry keeps the last viewset registered for a page model.
    return admin_isolation.PageListings()


# Registered after Wagtail's own (order 0): the registry keeps the last class for each action type.
for action_class in admin_isolation.scoped_bulk_actions():
    hooks.register("register_bulk_action", action_class, order=100)


@hooks.register("register_admin_urls")
def package_urls():
    # Wagtail puts these behind its admin login (require_admin_access); the views check the page permissions.
    return [
        # At most 18 digits, so that the id fits a 64-bit key (lms.core.forms.IdConverter is registered after
        # Wagtail's admin URLs are built, hence the pattern).
        re_path(r"^catalogue/parcours/(?P<page_id>[0-9]{1,18})/exporter/$", admin_package.track_export,
                name=admin_package.EXPORT_URL_NAME),
        path("catalogue/importer/", admin_package.package_import, name=admin_package.IMPORT_URL_NAME),
    ]


@hooks.register("register_page_header_buttons")
def package_header_buttons(page, user, view_name, next_url=None):
    for button in (admin_package.export_button(page, user), admin_package.import_button(page, user)):
        if button is not None:
            yield button


@hooks.register("register_page_listing_more_buttons")
def package_listing_buttons(page, user, next_url=None):
    for button in (admin_package.export_button(page, user), admin_package.import_button(page, user)):
        if button is not None:
            yield button
