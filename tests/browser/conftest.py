"""Real-browser tests: Playwright drives Debian's chromium against pytest-django's live server.

The browser is the system's /usr/bin/chromium (CHROMIUM_PATH overrides it),
installed by .ci/run; `playwright install` never downloads one.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, and
# Django refuses ORM calls (the test's own, transactional_db's flush) while
# one runs. The playwright fixture lives for the whole session, so this has to
# hold for the whole worker process, not just the browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root; Playwright passes it by default too
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine's network is closed: without these Chromium's background
    # requests (updates, sync, QUIC probes) hang on refused connections.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000


@pytest.hookimpl(tryfirst=True)  # before xdist's hook reads the xdist_group markers
def pytest_collection_modifyitems(config, items):
    """One xdist group: a single worker starts the browser and the live server."""
    if not config.pluginmanager.hasplugin("xdist"):
        return  # `-p no:xdist`: no groups, and --strict-markers would refuse the unknown marker
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"CI needs the browser tests: {message}", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def context(context):
    # Failing lookups and navigations fail in seconds instead of hanging.
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture
def site(live_server):
    """Base URL of the live server (it also serves static files)."""
    return live_server.url


# Playwright's init scripts run outside the page's Content-Security-Policy, so
# this listener sees every violation, including ones the console does not print.
_RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy violation of the page so far (call it after each navigation's checks)."""
    console = []
    page.add_init_script(_RECORD_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )

    def collected():
        return console + page.evaluate("window.__cspViolations || []")

    return collected
