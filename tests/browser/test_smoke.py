"""The browser, the live server and its static files work together."""

import json

from playwright.sync_api import expect


def test_healthz_and_swagger_ui_render_in_the_browser(page, site):
    response = page.goto(f"{site}/healthz")
    assert response is not None and response.ok
    assert response.json() == {"status": "ok"}
    # What the page shows: Chromium's JSON viewer keeps the body in a <pre>.
    assert json.loads(page.locator("pre").first.inner_text()) == {"status": "ok"}

    # Swagger UI's JS and CSS come from drf-spectacular-sidecar's static files:
    # the operations only appear once they loaded and fetched the schema.
    response = page.goto(f"{site}/api/docs/")
    assert response is not None and response.ok
    expect(page.locator("#swagger-ui .information-container")).to_be_visible()
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
