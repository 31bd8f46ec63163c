"""Wagtail admin hooks of the catalogue: staff reach only what Wagtail's permissions give them (admin_guards), and
one training body sees nothing of another (admin_isolation)."""
from wagtail import hooks

from lms.catalog import admin_guards, admin_isolation

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
