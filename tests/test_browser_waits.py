"""Browser tests wait for what they check.

Playwright's ``click`` returns before the next page has arrived, and ``count()``/``is_visible()``
answer at once; an assertion after them may read the previous page. That made a CI run fail
(the portfolio's axe test read the form before its error page came back). The browser tests
therefore follow links and submit buttons with ``follow`` (``tests/browser_fixtures.py``) and
check the page with Playwright's retrying ``expect``. A click that does not navigate says so
with ``# stays on the page``."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
NAVIGATING_CLICK = re.compile(r'get_by_role\("(?:button|link)"[^\n]*\)\.click\(\)')
NON_WAITING = re.compile(r"assert [^\n]*(?:get_by_\w+|locator)\([^\n]*\)\.(?:count|is_visible)\(\)")


def _browser_tests() -> list[Path]:
    return [
        path
        for path in sorted(TESTS.rglob("test_*.py"))
        if path.name != Path(__file__).name and "browser_fixtures import" in path.read_text()
    ]


def _offences(pattern: re.Pattern[str], path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if pattern.search(line) and "# stays on the page" not in line:
            found.append(f"{path.name}:{number}: {line.strip()}")
    return found


def test_the_browser_tests_are_found():
    assert len(_browser_tests()) >= 8


def test_navigating_clicks_wait_for_the_next_page():
    offences = [o for path in _browser_tests() for o in _offences(NAVIGATING_CLICK, path)]
    assert offences == [], "use follow(locator) (or mark: # stays on the page)"


def test_no_assertion_reads_the_page_without_waiting():
    offences = [o for path in _browser_tests() for o in _offences(NON_WAITING, path)]
    assert offences == [], "use expect(locator).to_have_count(n) / .to_be_visible()"


def test_the_checks_catch_what_they_are_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'page.get_by_role("button", name="Lagre").click()\n'
        'assert page.get_by_role("alert").count() >= 1\n'
        'page.get_by_role("button", name="Vis").click()  # stays on the page\n'
    )
    assert len(_offences(NAVIGATING_CLICK, sample)) == 1
    assert len(_offences(NON_WAITING, sample)) == 1
