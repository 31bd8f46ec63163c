"""The rich text widget of the Wagtail editor: Wagtail's Draftail, started when its field comes near the screen.

A lesson's StreamField holds about a dozen rich text fields, and the editor used to start a Draftail editor for each
before the page could be used (1.7 s for a lesson, issue 16, point 9). `LazyDraftailRichTextArea` is Wagtail's
`DraftailRichTextArea` (same features, same stored format, same server-side conversion); in a StreamField its client
side (lms/core/assets/js/lazy-rich-text.js, a telepath constructor) is handed Wagtail's own Draftail definition and
renders it when the field is within a screen of the viewport, focused or clicked. Rich text outside a StreamField is
rendered by Django's template as before. Selected for every rich text by WAGTAILADMIN_RICH_TEXT_EDITORS.
"""
from django.forms import Media
from django.utils.functional import cached_property
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.admin.telepath import register
from wagtail.admin.telepath.widgets import WidgetAdapter


class LazyDraftailRichTextArea(DraftailRichTextArea):
    @cached_property
    def media(self):
        return super().media + Media(js=["js/near-screen.js", "js/lazy-rich-text.js"])

    @cached_property
    def eager(self):
        """Wagtail's widget with the same features: what the client renders when the field is reached."""
        return DraftailRichTextArea(features=self.features)


class LazyDraftailRichTextAreaAdapter(WidgetAdapter):
    js_constructor = "lms.widgets.LazyRichTextArea"

    def js_args(self, widget):
        return [widget.eager]  # packed by Wagtail's own adapter (telepath packs nested adaptable objects)


register(LazyDraftailRichTextAreaAdapter(), LazyDraftailRichTextArea)
