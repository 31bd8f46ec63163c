"""Wagtail hooks of learning: a lesson's documents go only to the lesson's readers (lms.learning.files)."""
from wagtail import hooks

from lms.learning.files import serve_document

# After Wagtail's own hook (order 0), which asks for a collection's password or login where one is set.
hooks.register("before_serve_document", serve_document, order=100)
