"""Browser and static-file fixtures shared by the web and verification tests (one Chromium per run).

The browser is Debian's Chromium (``scripts/browser-deps.sh`` installs it and axe-core). Without
``/usr/bin/chromium`` the browser tests are skipped on a developer's machine and fail in CI
(``CI`` set): CI must run them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("SAMARBEID_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(os.environ.get("SAMARBEID_AXE_DIR", ROOT / "var" / "axe")) / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETUP_HINT = "kjør scripts/browser-deps.sh"


@pytest.fixture(scope="session", autouse=True)
def _static_files_without_collectstatic(tmp_path_factory):
    """Pages link their CSS through the plain storage (the hashed manifest storage of production
    needs ``collectstatic``, which ``samarbeid serve`` runs and ``test_serve.py`` covers)."""
    from django.test.utils import override_settings

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path_factory.mktemp("static")):
        yield


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium mangler ({CHROMIUM}); {SETUP_HINT}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Python-pakken playwright mangler; installer med pip install -e '.[test]'")
    # Playwright's sync API keeps an event loop running in this thread; Django would then refuse
    # the test's own database calls. Nothing here is async, so the check does not apply.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _context(browser, **options):
    context = browser.new_context(
        locale="nb-NO", viewport={"width": 1280, "height": 900}, **options
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser):
    """A page under the site's real Content-Security-Policy; console errors are collected in
    ``page.console_errors`` (a CSP violation shows up there)."""
    context = _context(browser)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def axe_page(browser):
    """A page where axe-core can be injected: CSP is bypassed for the checker's own script only
    in this browser context (the site itself never allows inline scripts)."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core mangler ({AXE_JS}); {SETUP_HINT}")
    context = _context(browser, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_example(live_server):
    """The live server with the Buskerud 2021 example loaded (transactional database)."""
    from django.core.management import call_command

    from samarbeid.registry.models import Mapping

    call_command("load_example", stdout=_Null())
    mapping = Mapping.objects.get(name="Buskerud 2021")
    return live_server.url, mapping


class _Null:
    def write(self, *_: object) -> None:
        pass

    def flush(self) -> None:
        pass


#: The rule sets the pages are held to (WCAG 2.1 A and AA, and axe's best practices).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it stands once loaded: a check right after a click
    that navigates would otherwise catch the next page half-drawn (text before its stylesheet,
    on the wrong background) and report contrast that no reader sees."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


def follow(locator) -> None:
    """Click a link or submit button and wait for the page it leads to.

    Playwright's ``click`` returns once the click is dispatched, not when the next page has
    arrived; an assertion right after it may read the old page (the CI failure of
    ``test_axe_on_every_portfolio_page_type``). Every click that navigates goes through here;
    ``tests/test_browser_waits.py`` keeps it so."""
    with locator.page.expect_navigation():
        locator.click()


def login(page, url: str, username: str, password: str, next_path: str = "") -> None:
    """Sign in through the real form and wait until the site says who is signed in."""
    from playwright.sync_api import expect

    suffix = f"?next={next_path}" if next_path else ""
    page.goto(f"{url}/logg-inn/{suffix}")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    follow(page.get_by_role("button", name="Logg inn"))
    assert "logg-inn" not in page.url, page.url
    expect(page.locator(".user-bar")).to_contain_text("Innlogget som")
