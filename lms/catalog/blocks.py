"""StreamField blocks of a lesson; each has its own template in templates/blocks/."""
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

RICH_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    """A section heading (h2) inside a lesson."""

    class Meta:
        template = "blocks/heading.html"
        icon = "title"
        label = _("Heading")


class TextBlock(blocks.RichTextBlock):
    """Paragraphs and lists."""

    def __init__(self, **kwargs):
        super().__init__(features=RICH_FEATURES, **kwargs)

    class Meta:
        template = "blocks/text.html"
        icon = "pilcrow"
        label = _("Text")


class LessonImageBlock(blocks.StructBlock):
    """An image; alternative text is required by Wagtail's ImageBlock unless marked decorative."""

    image = ImageBlock()
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        template = "blocks/image.html"
        icon = "image"
        label = _("Image")


class VideoBlock(blocks.StructBlock):
    """An embedded video with a title and a text transcript for accessibility."""

    title = blocks.CharBlock(label=_("Title"))
    video = EmbedBlock(label=_("Video URL"))
    transcript = blocks.TextBlock(label=_("Transcript"), help_text=_("Required for accessibility (RGAA 4.1)."))

    class Meta:
        template = "blocks/video.html"
        icon = "media"
        label = _("Video")


class DocumentBlock(blocks.StructBlock):
    """A document to download."""

    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(label=_("Link text"), required=False)

    class Meta:
        template = "blocks/document.html"
        icon = "doc-full"
        label = _("Document")


class KeyPointsBlock(blocks.StructBlock):
    """The 'À retenir' callout."""

    text = TextBlock(label=_("Key points"))

    class Meta:
        template = "blocks/key_points.html"
        icon = "warning"
        label = _("Key points")


class ProcedureBlock(blocks.StructBlock):
    """Ordered steps of a procedure."""

    title = blocks.CharBlock(required=False, label=_("Title"))
    steps = blocks.ListBlock(blocks.RichTextBlock(features=["bold", "italic", "link"]), label=_("Steps"))

    class Meta:
        template = "blocks/procedure.html"
        icon = "list-ol"
        label = _("Procedure steps")


class GlossaryBlock(blocks.StructBlock):
    """A term of the professional vocabulary and its definition."""

    term = blocks.CharBlock(label=_("Term"))
    definition = TextBlock(label=_("Definition"))

    class Meta:
        template = "blocks/glossary.html"
        icon = "help"
        label = _("Glossary term")


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = TextBlock()
    image = LessonImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    key_points = KeyPointsBlock()
    procedure = ProcedureBlock()
    glossary = GlossaryBlock()
