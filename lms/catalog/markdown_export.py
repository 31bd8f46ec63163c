"""Turn a lesson's StreamField blocks back into the Markdown of content/ (the inverse of markdown_blocks).

It reads the HTML that markdown_blocks writes (Python-Markdown's) and the HTML Wagtail's editor writes when an author
edits a lesson (`<b>`, `<i>`, `data-block-key` attributes): paragraphs, bold, italics, links, bullet and numbered
lists. Anything else keeps its text.
"""
from html.parser import HTMLParser


class _Node:
    def __init__(self, tag, attrs=None):
        self.tag, self.attrs, self.children = tag, dict(attrs or {}), []


class _TreeBuilder(HTMLParser):
    VOID = {"br", "img", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _parse(html):
    builder = _TreeBuilder()
    builder.feed(html or "")
    builder.close()
    return builder.root


INLINE_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*"}


def _inline(node):
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag in INLINE_MARKS:
            mark = INLINE_MARKS[child.tag]
            parts.append(f"{mark}{_inline(child)}{mark}")
        elif child.tag == "a" and child.attrs.get("href"):
            parts.append(f"[{_inline(child)}]({child.attrs['href']})")
        elif child.tag == "br":
            parts.append("  \n")
        elif child.tag == "code":
            parts.append(f"`{_inline(child)}`")
        else:
            parts.append(_inline(child))
    return "".join(parts)


def _list_item(node):
    """An item's text: a loose list's item holds paragraphs; their text is joined."""
    blocks = [c for c in node.children if not isinstance(c, str) and c.tag in ("p", "ul", "ol")]
    if not blocks:
        return _inline(node).strip()
    return "\n".join(_inline(c).strip() for c in blocks if c.tag == "p")


def html_to_markdown(html):
    """The Markdown of a rich-text fragment: one paragraph or list per chunk, separated by blank lines."""
    chunks, loose = [], _Node("span")

    def flush():
        text = _inline(loose).strip()
        if text:
            chunks.append(text)
        loose.children = []

    for child in _parse(html).children:
        if isinstance(child, str) or child.tag not in ("p", "h2", "h3", "h4", "blockquote", "div", "ul", "ol"):
            loose.children.append(child)  # inline content outside a paragraph (a procedure step)
            continue
        flush()
        if child.tag in ("ul", "ol"):
            items = [c for c in child.children if not isinstance(c, str) and c.tag == "li"]
            start = int(child.attrs.get("start") or 1) if child.tag == "ol" else 1
            lines = [(f"{start + n}. " if child.tag == "ol" else "- ") + _list_item(item) for n, item in enumerate(items)]
            chunks.append("\n".join(lines))
        else:
            text = _inline(child).strip()
            if text:
                chunks.append(("## " if child.tag == "h2" else "### " if child.tag in ("h3", "h4") else "") + text)
    flush()
    return "\n\n".join(chunks)


def inline_to_markdown(html):
    """The Markdown of an inline fragment (a procedure step), whether or not Wagtail wrapped it in a paragraph."""
    return html_to_markdown(html).replace("\n\n", "\n")


def _media_line(kind, reference, text=""):
    return f":::{kind} {reference}\n{text}\n:::" if text else f":::{kind} {reference}\n:::"


def blocks_to_markdown(blocks, *, media_reference=None):
    """The Markdown body of a lesson from its StreamField blocks: (type, value) pairs where value is the block's raw
    JSON value (RichText as HTML). `media_reference(kind, id)` names in the package the image or document of that id."""
    parts = []
    for kind, value in blocks:
        if kind == "heading":
            parts.append(f"## {value}")
        elif kind == "text":
            text = html_to_markdown(value)
            if text:
                parts.append(text)
        elif kind == "key_points":
            parts.append(f":::retenir\n{html_to_markdown(value.get('text', ''))}\n:::")
        elif kind == "glossary":
            parts.append(f":::glossaire {value.get('term', '').strip()}\n{html_to_markdown(value.get('definition', ''))}\n:::")
        elif kind == "procedure":
            title = (value.get("title") or "").strip()
            # A ListBlock saved by Wagtail holds {"type": "item", "value": …, "id": …}; loaded from content/, values.
            steps = [inline_to_markdown(step["value"] if isinstance(step, dict) else step)
                     for step in value.get("steps") or []]
            lines = [f"{n}. {step}" for n, step in enumerate(steps, start=1)]
            parts.append(f":::etapes{' ' + title if title else ''}\n" + "\n".join(lines) + "\n:::")
        elif kind == "image" and media_reference:
            image = value.get("image") or {}
            reference = media_reference("image", image.get("image") if isinstance(image, dict) else image)
            if reference:
                alt = "" if (isinstance(image, dict) and image.get("decorative")) else \
                    (image.get("alt_text") or "" if isinstance(image, dict) else "")
                caption = (value.get("caption") or "").strip()
                alt, caption = alt.replace("]", ")").replace("\n", " "), caption.replace('"', "”").replace("\n", " ")
                parts.append(f"![{alt}]({reference}" + (f' "{caption}"' if caption else "") + ")")
        elif kind == "document" and media_reference:
            reference = media_reference("document", value.get("document"))
            if reference:
                parts.append(_media_line("document", reference, " ".join((value.get("label") or "").split())))
        elif kind == "video":
            parts.append(f":::video {value.get('video') or ''}\n{(value.get('title') or '').strip()}\n\n"
                         f"{(value.get('transcript') or '').strip()}\n:::")
    return "\n\n".join(parts) + "\n"
