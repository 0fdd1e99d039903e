"""Markdown to safe HTML for prompts, model answers and candidates' answers."""

from html import escape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

# Fenced code that names a language Pygments knows is highlighted here, on the
# server: token classes only (no inline styles, which the CSP refuses), coloured
# by web/static/web/highlight.css (make highlight-css writes it).
_formatter = HtmlFormatter(nowrap=True)


def _highlight(code: str, language: str, attrs) -> str:
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return ""  # markdown-it's own <pre><code>, escaped
    lang = escape(language, quote=True)
    return f'<pre class="highlight"><code class="language-{lang}">{highlight(code, lexer, _formatter)}</code></pre>\n'


# Raw HTML in the source is escaped, not passed through; markdown-it also
# refuses javascript:/vbscript:/data: links. nh3 then keeps only the tags and
# URL schemes below, so a gap in either layer alone cannot run script.
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "highlight": _highlight}).enable(
    ["table", "strikethrough"]
)
ALIGNMENTS = {"left", "center", "right"}


def _alignment_as_class(state) -> None:
    """A table column's alignment as a class (app.css) rather than a style
    attribute, which the Content-Security-Policy (style-src 'self') refuses."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style", "").startswith("text-align:"):
            align = token.attrs.pop("style").partition(":")[2].strip()
            if align in ALIGNMENTS:
                token.attrSet("class", f"align-{align}")


_renderer.core.ruler.push("alignment_as_class", _alignment_as_class)

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "code": {"class"}}
ALLOWED_TAGS.add("span")
HIGHLIGHT_CLASSES = {name for name in STANDARD_TYPES.values() if name}
ALLOWED_CLASSES = {
    **{tag: {f"align-{align}" for align in ALIGNMENTS} for tag in ("th", "td")},
    "pre": {"highlight"},
    "span": HIGHLIGHT_CLASSES,
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str, *, inline: bool = False) -> SafeString:
    """Block Markdown (paragraphs, lists, code) or, with `inline`, one line's
    worth (emphasis, code, links) for key points and follow-ups."""
    html = _renderer.renderInline(text or "") if inline else _renderer.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        allowed_classes=ALLOWED_CLASSES,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
