"""Content-Security-Policy and Permissions-Policy on every kind of response,
templates the strict policy can serve as they are, and the favicon (issue 12)."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from web.markdown import render_markdown

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"


def _directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def _assert_strict_scripts(policy: dict[str, list[str]]) -> None:
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


@pytest.fixture
def candidate_browser(candidate):
    client = Client()
    client.force_login(candidate)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/interviews/new/",
        "/interviews/{session}/q/1/",
        "/reviews/{question}/",
        "/settings/reminders/",
        "/invitations/{token}/",
        "/accounts/password_change/",
        "/no-such-page/",
    ],
)
def test_candidate_pages_carry_the_strict_policy(candidate_browser, web_world, path):
    response = candidate_browser.get(path.format(**web_world))
    policy = _directives(response)
    _assert_strict_scripts(policy)
    # No inline style either: the pages' styles all live in web/static.
    assert policy["style-src"] == ["'self'"] and policy["img-src"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/signup/", "/admin/login/"])
def test_visitor_pages_and_the_admin_login_carry_the_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    _assert_strict_scripts(_directives(response))


def test_admin_pages_carry_the_strict_policy(client, hiring_manager):
    client.force_login(hiring_manager)
    for path in ("/admin/", "/admin/questions/question/", "/admin/questions/question/add/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_strict_scripts(_directives(response))


def test_api_json_responses_carry_the_policy(candidate_client, anon_client):
    for response in (candidate_client.get("/api/v1/questions/"), anon_client.get("/api/v1/questions/")):
        assert response.status_code in (200, 401)
        _assert_strict_scripts(_directives(response))
        assert "camera=()" in response.headers["Permissions-Policy"]


def test_swagger_ui_runs_no_inline_script_and_only_widens_styles_and_images(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = _directives(response)
    _assert_strict_scripts(policy)
    assert "'unsafe-inline'" in policy["style-src"] and "data:" in policy["img-src"]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "Swagger UI page has an inline <script>"
    # Its start-up script is a separate file from this origin.
    init = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', html)
    assert init, html
    script = client.get(init.group(1).replace("&amp;", "&"))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize("path", ["/", "/api/v1/questions/", "/api/docs/", "/admin/login/", "/healthz"])
def test_every_kind_of_response_denies_unused_browser_features(client, path):
    header = client.get(path).headers.get("Permissions-Policy", "")
    features = dict(part.strip().split("=", 1) for part in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features.get(feature) == "()", f"{path}: {feature} is not denied in {header!r}"


def test_candidate_templates_hold_no_inline_script_handler_style_or_javascript_url():
    offences = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        for pattern, what in (
            (r"<script(?![^>]*\bsrc=)[^>]*>", "inline <script>"),
            (r"\son[a-z]+\s*=", "inline event handler"),
            (r"\sstyle\s*=", "inline style attribute"),
            (r"<style\b", "<style> block"),
            (r"javascript:", "javascript: URL"),
        ):
            offences += [f"{template.relative_to(TEMPLATES)}: {what}" for _ in re.finditer(pattern, text, re.I)]
    assert offences == []


def test_markdown_table_alignment_is_a_class_not_an_inline_style():
    html = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert "style=" not in html
    assert '<th class="align-left">a</th>' in html and '<td class="align-right">3</td>' in html


def test_pages_link_the_favicon_and_favicon_ico_leads_to_it(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()  # a new client: WhiteNoise reads STATIC_ROOT at start
    html = client.get("/").content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert link and link.group(1).endswith("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == link.group(1)
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)
