"""Wagtail admin hooks of the catalogue: staff reach only what Wagtail's permissions give them (admin_guards)."""
from wagtail import hooks

from lms.catalog import admin_guards

hooks.register("before_move_page", admin_guards.refuse_move_out_of_reach)
# After Wagtail's documents and images hooks (order 0), which register the endpoints replaced here.
hooks.register("construct_admin_api", admin_guards.register_reachable_media_endpoints, order=100)
