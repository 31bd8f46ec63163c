"""Turn a lesson's Markdown (with :::retenir, :::etapes, :::glossaire fences) into StreamField blocks."""
import re

import markdown as md

FENCE_OPEN = re.compile(r"^:::(retenir|etapes|glossaire|document|video)\s*(.*)$")
# An image on a line of its own: ![alternative text](media/images/file.png "caption"); an empty text: decorative.
IMAGE_LINE = re.compile(r'^!\[([^\]]*)\]\((media/[^\s)"]+)(?:\s+"([^"]*)")?\)\s*$')
STEP = re.compile(r"^\s*\d+[.)]\s+(.*)$")
# A line that starts a list and may interrupt a paragraph, as in CommonMark: any bullet, but only an
# ordered list starting at 1 (so that a wrapped line beginning "2019. " stays text).
LIST_START = re.compile(r"^ {0,3}(?:[-*+]|1[.)])\s+\S")
LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])\s+\S")


class MarkdownError(ValueError):
    pass


def separate_lists(text):
    """Put a blank line between a paragraph and a list that follows it directly.

    Python-Markdown only starts a list after a blank line, so "Les signes :" followed by "- a" and
    "- b" used to render as one paragraph ("Les signes : - a - b"). Authors write it that way (and
    CommonMark reads it as a list), so the loader renders it as the list it is.
    """
    out, in_list, previous_blank, in_code = [], False, True, False
    for line in text.splitlines():
        if line.lstrip().startswith("```") or in_code:
            in_code = in_code != line.lstrip().startswith("```")
        elif not line.strip():
            previous_blank = True
            out.append(line)
            continue
        elif LIST_ITEM.match(line):
            starts = LIST_START.match(line) is not None
            if starts and not in_list and not previous_blank:
                out.append("")
            in_list = in_list or previous_blank or starts
        elif previous_blank and not line.startswith((" ", "\t")):
            in_list = False
        out.append(line)
        previous_blank = False
    return "\n".join(out)


def to_html(text):
    return md.markdown(separate_lists(text.strip()), extensions=["sane_lists"], output_format="html")


def _inline_html(text):
    html = to_html(text)
    return html[3:-4] if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1 else html


def markdown_to_blocks(text):
    """Return a list of (block_type, value) for a lesson's StreamField body."""
    blocks, buffer, lines = [], [], text.splitlines()

    def flush():
        if "".join(buffer).strip():
            blocks.append(("text", to_html("\n".join(buffer))))
        buffer.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE_OPEN.match(line.strip())
        image = IMAGE_LINE.match(line.strip())
        if image:
            # A file of the package (media/…): the loader checks it and puts the Wagtail image's id in its place.
            flush()
            alt, reference, caption = image.groups()
            blocks.append(("image", {"file": reference, "alt": alt.strip(), "caption": (caption or "").strip()}))
        elif line.startswith("## "):
            flush()
            blocks.append(("heading", line[3:].strip()))
        elif fence:
            flush()
            kind, argument = fence.groups()
            inner = []
            i += 1
            while i < len(lines) and lines[i].strip() != ":::":
                inner.append(lines[i])
                i += 1
            if i == len(lines):
                raise MarkdownError(f"unclosed :::{kind} block")
            content = "\n".join(inner)
            if kind == "document":
                if not argument.strip().startswith("media/"):
                    raise MarkdownError(":::document needs a file of the package (media/…)")
                blocks.append(("document", {"file": argument.strip(), "label": " ".join(content.split())}))
            elif kind == "video":
                if not argument.strip().startswith("https://"):
                    raise MarkdownError(":::video needs the video's https:// address")
                title, _, transcript = content.strip().partition("\n")
                blocks.append(("video", {"video": argument.strip(), "title": title.strip(),
                                         "transcript": transcript.strip()}))
            elif kind == "retenir":
                blocks.append(("key_points", {"text": to_html(content)}))
            elif kind == "glossaire":
                if not argument.strip():
                    raise MarkdownError(":::glossaire needs a term")
                blocks.append(("glossary", {"term": argument.strip(), "definition": to_html(content)}))
            else:
                steps = []
                for step_line in inner:
                    match = STEP.match(step_line)
                    if match:
                        steps.append(match.group(1))
                    elif step_line.strip() and steps:
                        steps[-1] += " " + step_line.strip()
                if not steps:
                    raise MarkdownError(":::etapes needs numbered steps")
                blocks.append(("procedure", {"title": argument.strip(), "steps": [_inline_html(s) for s in steps]}))
        else:
            buffer.append(line)
        i += 1
    flush()
    return blocks
