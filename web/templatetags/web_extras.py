"""Template filters of the web pages: Markdown, percentages, durations."""

from django import template

from accounts.roles import is_hiring_manager as _is_hiring_manager
from web.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown rendered to HTML with everything but an allow-list stripped."""
    return render_markdown(text)


@register.filter
def markdown_inline(text):
    """One line of Markdown (code, emphasis, links), sanitised the same way."""
    return render_markdown(text, inline=True)


@register.filter
def percent(share):
    return "–" if share is None else f"{round(share * 100)}%"


@register.filter
def duration(seconds):
    """Seconds as "1 h 5 min", "4 min 20 s" or "35 s"."""
    if seconds is None:
        return "–"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


@register.filter
def clock(seconds):
    """Seconds as a countdown reads: "12:05", or "1:02:05" past an hour."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def is_hiring_manager(user):
    return _is_hiring_manager(user)
