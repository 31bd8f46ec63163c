"""Question types as StreamField blocks; each refuses an inconsistent question with a clear message."""
from django.core.exceptions import ValidationError
from django.forms import Media
from django.forms.utils import ErrorList
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.telepath import Adapter, register
from wagtail.blocks.struct_block import StructBlockAdapter, StructBlockValidationError


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Choice"))
    correct = blocks.BooleanBlock(label=_("Right answer"), required=False)
    feedback = blocks.TextBlock(label=_("Feedback for this choice"), required=False)

    class Meta:
        icon = "radio-full"
        label = _("Choice")


class ChoiceListBlock(blocks.ListBlock):
    """The choices of a question: Wagtail's ListBlock on the server (same stored value, same validation, the same
    form fields posted), edited in the page editor as one compact table, a row per choice.

    Wagtail's own list editor gives each choice a panel with its header, five action buttons and three field
    wrappers: 355 of the 469 elements of a four-choice question. A 10-question quiz took over a second to open
    (issue 16, point 9; bench/cms_pages.py). The table (lms/quizzes/static/quizzes/choice-list.js) posts
    `<prefix>-count` and, per row, `-value-text`, `-value-correct`, `-value-feedback`, `-id`, `-order` and
    `-deleted`, the names ListBlock.value_from_datadict reads; the choice ids, which attempts and statements cite,
    are kept."""


class ChoiceListBlockAdapter(Adapter):
    js_constructor = "lms.blocks.ChoiceList"

    def js_args(self, block):
        return [block.name, {
            "label": block.label,
            "minNum": block.meta.min_num,
            "maxNum": block.meta.max_num,
            "strings": {
                "choice": str(_("Choice")),
                "correct": str(_("Right answer")),
                "feedback": str(_("Feedback for this choice")),
                "actions": str(_("Actions")),
                "add": str(_("Add a choice")),
                # "{n}": the number of the choice, from 1
                "choiceN": str(_("Choice {n}")),
                "correctN": str(_("Choice {n} is a right answer")),
                "feedbackN": str(_("Feedback for choice {n}")),
                "upN": str(_("Move choice {n} up")),
                "downN": str(_("Move choice {n} down")),
                "deleteN": str(_("Delete choice {n}")),
                "up": str(_("Move up")),
                "down": str(_("Move down")),
                "delete": str(_("Delete")),
            },
        }]

    @cached_property
    def media(self):
        return Media(js=["quizzes/choice-list.js"], css={"all": ["quizzes/choice-list.css"]})


register(ChoiceListBlockAdapter(), ChoiceListBlock)


class QuestionBlockAdapter(StructBlockAdapter):
    """A question in the page editor: Wagtail's StructBlock, whose fields are built when the author reaches it.

    The quiz editor opens with its questions collapsed, yet Wagtail builds every field of every question first
    (a 10-question quiz took 1.3 s to open, a 63-question one 2.9 s; bench/cms_pages.py). The client side
    (lms/quizzes/static/quizzes/lazy-question.js, on Wagtail's documented StructBlockDefinition) keeps the state of
    a question not yet opened and adds the fields it would post, under the same names, to every FormData built from
    the form; it builds Wagtail's own StructBlock when the question is opened and on the screen, focused, or given an
    error."""

    js_constructor = "lms.blocks.LazyQuestion"

    @cached_property
    def media(self):
        return super().media + Media(js=["js/near-screen.js", "quizzes/lazy-question.js"],
                                     css={"all": ["quizzes/question-editor.css"]})


class BaseQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"))
    points = blocks.DecimalBlock(label=_("Points"), min_value=0.5, max_value=100, default=1, decimal_places=1)
    feedback = blocks.TextBlock(label=_("Feedback shown after submission"), required=False)
    # In a positioning test: the module this question assesses (its score decides the module's exemption).
    module = blocks.PageChooserBlock(page_type="catalog.ModulePage", required=False,
                                     label=_("Module assessed (positioning test)"))

    def refuse(self, message):
        raise StructBlockValidationError(non_block_errors=ErrorList([ValidationError(message)]))


register(QuestionBlockAdapter(), BaseQuestionBlock)


class SingleChoiceBlock(BaseQuestionBlock):
    """One right answer among several choices."""

    choices = ChoiceListBlock(ChoiceBlock(), label=_("Choices"), min_num=2)

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for c in value["choices"] if c["correct"]) != 1:
            self.refuse(_("A single-choice question needs exactly one right answer."))
        return value

    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceBlock(BaseQuestionBlock):
    """Several right answers; all-or-nothing or partial credit."""

    choices = ChoiceListBlock(ChoiceBlock(), label=_("Choices"), min_num=2)
    scoring = blocks.ChoiceBlock(label=_("Scoring"), choices=[("all_or_nothing", _("All or nothing")),
                                                              ("partial", _("Partial credit"))],
                                 default="all_or_nothing")

    def clean(self, value):
        value = super().clean(value)
        if not any(c["correct"] for c in value["choices"]):
            self.refuse(_("A multiple-choice question needs at least one right answer."))
        return value

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")


class TrueFalseBlock(BaseQuestionBlock):
    answer = blocks.BooleanBlock(label=_("The statement is true"), required=False)

    class Meta:
        icon = "tick"
        label = _("True or false")


class WrittenDecimalBlock(blocks.DecimalBlock):
    """A decimal read as it was written: 22.9 stored as a JSON number is 22.9, not Decimal(22.9) =
    22.89999999999999857891..., which the page editor would show and then refuse (more than 4 decimals)."""

    def to_python(self, value):
        return super().to_python(str(value) if isinstance(value, float) else value)


class NumericBlock(BaseQuestionBlock):
    """A number within a tolerance, with its unit (a body-mass index, a dose)."""

    value = WrittenDecimalBlock(label=_("Expected value"), required=False, decimal_places=4)
    tolerance = WrittenDecimalBlock(label=_("Tolerance (±)"), required=False, min_value=0, decimal_places=4)
    unit = blocks.CharBlock(label=_("Unit"), required=False, max_length=30)

    def clean(self, value):
        value = super().clean(value)
        if value.get("value") is None:
            self.refuse(_("A numeric question needs an expected value."))
        return value

    class Meta:
        icon = "order"
        label = _("Numeric answer")


class TextAnswerBlock(BaseQuestionBlock):
    """A short text compared after normalising case, accents and spaces."""

    accepted = blocks.ListBlock(blocks.CharBlock(label=_("Accepted answer")), label=_("Accepted answers"), min_num=1)

    class Meta:
        icon = "pilcrow"
        label = _("Short text")


class OrderingBlock(BaseQuestionBlock):
    """Put the steps of a procedure in order; items are written in the right order and shuffled when shown."""

    items = blocks.ListBlock(blocks.CharBlock(label=_("Step")), label=_("Steps in the right order"), min_num=2)

    class Meta:
        icon = "list-ol"
        label = _("Ordering")


class QuestionStreamBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleChoiceBlock()
    truefalse = TrueFalseBlock()
    numeric = NumericBlock()
    text = TextAnswerBlock()
    ordering = OrderingBlock()

    class Meta:
        # The editor opens on the list of questions, each one line with its prompt, and the author expands the one
        # to edit: a 63-question final assessment expanded is some 130,000 elements that the browser lays out and
        # styles before the author can type (issue 16, point 9; bench/cms_pages.py).
        collapsed = True
