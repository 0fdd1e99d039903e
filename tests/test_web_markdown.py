"""Markdown renders, and script in it stays inert (issue 7)."""

from html.parser import HTMLParser

import pytest

from interviews.services import answer_submit, session_start_from_request
from tests.factories import QuestionFactory
from web.markdown import render_markdown

HOSTILE = (
    "Intro <script>alert('x')</script>\n\n"
    "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
    '<a href="javascript:alert(2)">raw link</a> <img src=x onerror="alert(3)"> '
    "[ok](https://example.com/docs)\n"
)


class _Elements(HTMLParser):
    """Every element a browser would build from the HTML: (tag, attributes)."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html):
    for tag, attrs in _Elements(html).found:
        assert tag not in {"script", "img", "iframe", "object", "embed"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            if name in attrs and tag != "link" and not attrs[name].startswith("/"):
                assert attrs[name].split(":")[0] in {"http", "https", "mailto"}, (tag, attrs)


def test_markdown_renders_emphasis_code_lists_and_tables():
    html = render_markdown("**bold** `code`\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert "<li>one</li>" in html and "<td>1</td>" in html


def test_script_tags_event_handlers_and_script_links_render_inert():
    html = render_markdown(HOSTILE)
    assert_inert(html)
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html  # shown as text, not run
    assert '<a href="https://example.com/docs" rel="noopener noreferrer nofollow">ok</a>' in html


@pytest.mark.django_db
def test_a_hostile_answer_and_model_answer_render_inert_on_the_pages(client, candidate):
    inline = "`EXPLAIN` <script>alert(4)</script> [x](javascript:alert(5))"
    question = QuestionFactory(model_answer=HOSTILE, prompt=HOSTILE, key_points=[inline], follow_ups=[inline])
    session = session_start_from_request(candidate=candidate, now=question.created_at, count=1, time_limit_minutes=600)
    answer_submit(session_id=session.pk, candidate=candidate, now=question.created_at, position=1, answer=HOSTILE)
    client.force_login(candidate)
    html = client.get(f"/interviews/{session.pk}/q/1/").content.decode()
    assert html.count("&lt;script&gt;alert") == 5  # prompt, answer, model answer, key point, follow-up
    assert html.count("<code>EXPLAIN</code>") == 2  # key point and follow-up: inline Markdown
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert_inert(main)


def test_fenced_code_in_a_known_language_is_highlighted_with_token_classes():
    html = str(render_markdown("Plan:\n\n```sql\nSELECT id FROM orders WHERE total > 10;\n```\n"))
    assert '<pre class="highlight"><code class="language-sql">' in html
    assert '<span class="k">SELECT</span>' in html  # a keyword, coloured by highlight.css
    assert "style=" not in html  # classes only: the CSP refuses inline styles


def test_markup_inside_highlighted_code_stays_text():
    html = str(render_markdown("```html\n<script>alert(1)</script>\n```\n"))
    assert "<script>" not in html
    assert "&lt;" in html and "script" in html
    assert {tag for tag, _ in _Elements(html).found} <= {"pre", "code", "span"}


def test_fenced_code_in_an_unknown_language_is_shown_plain():
    html = str(render_markdown("```no-such-language\nx < y\n```\n"))
    assert '<pre class="highlight">' not in html
    assert "<pre><code" in html and "x &lt; y" in html


def test_the_highlight_stylesheet_is_the_one_pygments_writes():
    from pathlib import Path

    from web.highlight_css import PATH, highlight_css

    shipped = (Path(__file__).resolve().parent.parent / PATH).read_text()
    assert shipped == highlight_css(), "run: .venv/bin/python manage.py highlight_css"
    assert "@media (prefers-color-scheme: dark)" in shipped
