"""Every field of every web form has a label, and its help text is tied to it (issue 7)."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

FORM_PAGES = [
    "/signup/",
    "/accounts/login/",
    "/accounts/password_reset/",
    "/accounts/password_change/",
    "/interviews/new/",
    "/interviews/{session}/q/2/",
    "/interviews/{session}/q/1/",
    "/settings/reminders/",
]


class _Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.ids, self.label_for, self.controls = set(), set(), []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label" and "for" in attrs:
            self.label_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.controls.append(attrs)


@pytest.mark.parametrize("path", FORM_PAGES)
def test_every_field_has_a_label_and_its_help_text_exists(client, candidate, web_world, path):
    if not path.startswith(("/signup/", "/accounts/login/", "/accounts/password_reset/")):
        client.force_login(candidate)
    page = _Page(client.get(path.format(**web_world)).content.decode())
    assert page.controls, "the page should have a form"
    for control in page.controls:
        assert control.get("id") in page.label_for, f"no <label for> for {control}"
        for described_by in control.get("aria-describedby", "").split():
            assert described_by in page.ids, f"{control['name']} points at missing help text {described_by}"


def test_the_skip_link_comes_first_and_leads_to_the_main_content(client, candidate):
    client.force_login(candidate)
    html = client.get("/").content.decode()
    body = html.split("<body>")[1]
    assert body.lstrip().startswith('<a class="skip-link" href="#main">Skip to content</a>')
    assert '<main id="main" tabindex="-1">' in html
