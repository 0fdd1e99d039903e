"""The stylesheet of server-side highlighted code (web/markdown.py): Pygments'
token classes, a light style and a dark one for `prefers-color-scheme: dark`."""

from pygments.formatters import HtmlFormatter

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
PATH = "web/static/web/highlight.css"


def highlight_css() -> str:
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(".highlight")
    dark = HtmlFormatter(style=DARK_STYLE).get_style_defs(".highlight")
    dark = "\n".join(f"  {line}" for line in dark.splitlines())
    return (
        f"/* Written by `manage.py highlight_css` from Pygments' {LIGHT_STYLE!r} and {DARK_STYLE!r} styles. */\n"
        f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )
