"""The public pages in bokmål (the default) and English: the browser's Accept-Language, the switch
in the header (a cookie set by /sprak/), the page cache keyed by the chosen language, and the
English catalogue (complete, nothing fuzzy, the committed .mo compiled from the committed .po).
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser_fixtures import AXE_JS
from tests.marked import marked_strings

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "samarbeid"
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
COOKIE = django_settings.LANGUAGE_COOKIE_NAME
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

NORWEGIAN = "Hopp til hovedinnholdet"
ENGLISH = "Skip to main content"


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _list_url(mapping) -> str:
    return reverse("web:arrangements", args=[mapping.pk]) + "?kommune=3006&status=telles"


# --- Choosing the language ----------------------------------------------------------------------


@pytest.mark.django_db
def test_default_is_bokmal(loaded_example) -> None:
    response = Client().get(_list_url(loaded_example))
    html = _html(response)
    assert '<html lang="nb">' in html
    assert NORWEGIAN in html and "Vis ordninger" in html and "ordninger funnet" in html
    assert response.headers["Content-Language"] == "nb"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["en", "en-GB,en;q=0.9", "de-DE,en;q=0.8,nb;q=0.5"])
def test_accept_language_english(loaded_example, header) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=header).get(_list_url(loaded_example))
    html = _html(response)
    assert '<html lang="en">' in html
    assert ENGLISH in html and NORWEGIAN not in html
    assert "Show arrangements" in html and "arrangements found" in html
    assert response.headers["Content-Language"] == "en"
    assert "Accept-Language" in response.headers["Vary"] and "Cookie" in response.headers["Vary"]


@pytest.mark.django_db
def test_norwegian_browsers_and_unknown_languages_get_bokmal(loaded_example) -> None:
    for header in ["nb-NO,nb;q=0.9,en;q=0.8", "no", "fr-FR"]:
        html = _html(Client(HTTP_ACCEPT_LANGUAGE=header).get("/"))
        assert '<html lang="nb">' in html and NORWEGIAN in html, header


@pytest.mark.django_db
def test_switch_in_the_header(loaded_example) -> None:
    url = _list_url(loaded_example)
    html = _html(Client().get(url))
    form = re.search(r'<form class="language-switch".*?</form>', html, re.S).group(0)
    assert f'action="{reverse("set_language")}"' in form and 'method="post"' in form
    assert f'name="next" value="{url.replace("&", "&amp;")}"' in form
    assert "<legend>" in form and 'lang="en">Language<' in form
    assert re.search(
        r'<button type="submit" name="language" value="nb" lang="nb" aria-current="true">'
        r"Norsk bokmål</button>",
        form,
    )
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in form
    # No CSRF token on public pages: they stay shareable from the page cache.
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.django_db
def test_switching_sets_the_cookie_and_returns_to_the_page(loaded_example) -> None:
    url = _list_url(loaded_example)
    client = Client(enforce_csrf_checks=True)  # the switch works without a CSRF token
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response.url == url
    cookie = response.cookies[COOKIE]
    assert cookie.value == "en"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 365 * 24 * 60 * 60
    html = _html(client.get(response.url))
    assert '<html lang="en">' in html and "Show arrangements" in html
    assert re.search(r'value="en" lang="en" aria-current="true">English<', html)

    # Back to bokmål; the cookie wins over a browser that asks for English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(reverse("set_language"), {"language": "nb", "next": url})
    assert response.status_code == 302 and response.url == url
    assert response.cookies[COOKIE].value == "nb"
    html = _html(client.get(url))
    assert '<html lang="nb">' in html and "Vis ordninger" in html


@pytest.mark.django_db
def test_switch_only_redirects_within_the_site(loaded_example) -> None:
    response = Client().post(
        reverse("set_language"), {"language": "en", "next": "https://example.org/"}
    )
    assert response.status_code == 302 and response.url == "/"
    # A GET changes nothing.
    response = Client().get(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and COOKIE not in response.cookies


@pytest.mark.django_db
def test_unknown_language_in_the_cookie_falls_back(loaded_example) -> None:
    client = Client()
    client.cookies[COOKIE] = "de"
    assert '<html lang="nb">' in _html(client.get("/"))


@pytest.mark.django_db
def test_error_pages_follow_the_language(loaded_example) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and '<html lang="en">' in html


# --- The page cache -----------------------------------------------------------------------------


def _get(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), _html(response)


def _with_cookie(language: str) -> Client:
    client = Client()
    client.cookies[COOKIE] = language
    return client


@pytest.mark.django_db
def test_page_cache_keeps_the_languages_apart(cached, loaded_example) -> None:
    url = _list_url(loaded_example)
    first_nb, nb = _get(_with_cookie("nb"), url)
    assert '<html lang="nb">' in nb
    # Same URL and Accept-Language, other cookie: rendered afresh in English, not the cached page.
    first_en, en = _get(_with_cookie("en"), url)
    assert first_en > 1 and '<html lang="en">' in en and "Show arrangements" in en
    # Both are now served from the cache (the generation query only), each in its language.
    again_nb, cached_nb = _get(_with_cookie("nb"), url)
    again_en, cached_en = _get(_with_cookie("en"), url)
    assert again_nb == again_en == 1 < first_nb
    assert cached_nb == nb and cached_en == en


@pytest.mark.django_db
def test_page_cache_keys_by_the_chosen_language_not_the_raw_header(cached, loaded_example) -> None:
    url = reverse("web:mapping", args=[loaded_example.pk])
    first, english = _get(Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"), url)
    hit, same = _get(Client(HTTP_ACCEPT_LANGUAGE="en-US"), url)  # also English: one copy
    assert hit == 1 < first and same == english
    # No cookie and no Accept-Language is bokmål; so is a cookie saying nb with English headers.
    _, plain = _get(Client(), url)
    assert '<html lang="nb">' in plain
    client = _with_cookie("nb")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    count, cookie_nb = _get(client, url)
    assert count == 1 and cookie_nb == plain


@pytest.mark.django_db
def test_switching_is_not_served_from_the_cache(cached, loaded_example) -> None:
    url = _list_url(loaded_example)
    client = Client()
    _get(client, url)
    _get(client, url)  # cached, in bokmål
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response.cookies[COOKIE].value == "en"
    _, html = _get(client, url)
    assert '<html lang="en">' in html
    # The switch leaves no session and no CSRF cookie: the reader stays anonymous and cacheable.
    assert set(client.cookies) == {COOKIE}
    hit, _ = _get(client, url)
    assert hit == 1


# --- The English catalogue ----------------------------------------------------------------------


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file (the header and obsolete ones left out): msgctxt, msgid,
    msgid_plural, msgstr (a list: one string, or one per plural form) and flags. Entries are
    separated by blank lines, as makemessages writes them."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"flags": set()}
        field = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue  # comments, locations, obsolete entries (#~)
            elif line.startswith('"'):
                if field == "msgstr":
                    entry["msgstr"][-1] += _unquote(line)
                else:
                    entry[field] += _unquote(line)
            else:
                keyword, _, value = line.partition(" ")
                field = "msgstr" if keyword.startswith("msgstr") else keyword
                if field == "msgstr":
                    entry.setdefault("msgstr", []).append(_unquote(value))
                else:
                    entry[field] = _unquote(value)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_english_catalogue_is_complete_and_not_fuzzy() -> None:
    entries = _po_entries(PO)
    assert len(entries) > 100
    problems = []
    for e in entries:
        label = e["msgid"][:70]
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {label}")
        expected = 2 if "msgid_plural" in e else 1
        if len(e["msgstr"]) != expected or not all(s.strip() for s in e["msgstr"]):
            problems.append(f"not translated: {label}")
        wanted = set(PLACEHOLDER.findall(e["msgid"] + e.get("msgid_plural", "")))
        for text in e["msgstr"]:
            if not set(PLACEHOLDER.findall(text)) <= wanted or (
                expected == 1 and set(PLACEHOLDER.findall(text)) != wanted
            ):
                problems.append(f"placeholders differ: {label} -> {text[:70]}")
    assert not problems, "Kjør scripts/messages.sh og oversett:\n" + "\n".join(problems)
    header = PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header
    assert '#, fuzzy\nmsgid ""' not in header


def test_compiled_catalogue_matches_the_po() -> None:
    """The committed .mo holds exactly the translations of the committed .po (run
    scripts/messages.sh after editing the .po)."""
    with MO.open("rb") as file:
        catalog = dict(gettext.GNUTranslations(file)._catalog)
    catalog.pop("", None)  # the header
    expected: dict = {}
    for e in _po_entries(PO):
        msgid = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            for n, text in enumerate(e["msgstr"]):
                expected[(msgid, n)] = text
        else:
            expected[msgid] = e["msgstr"][0]
    stale = sorted(str(k)[:70] for k in expected.keys() ^ catalog.keys())
    assert not stale, "django.mo er ikke kompilert fra django.po; kjør scripts/messages.sh:\n" + (
        "\n".join(stale)
    )
    changed = sorted(str(k)[:70] for k in expected if expected[k] != catalog[k])
    assert not changed, "django.mo er utdatert; kjør scripts/messages.sh:\n" + "\n".join(changed)


TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')""")
GETTEXT_NAMES = {"gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}


def _source_msgids() -> dict[str, str]:
    """The msgids of {% translate "…" %} tags and of gettext calls on string literals under
    src/samarbeid (blocktranslate is left to makemessages): msgid -> where it is."""
    found: dict[str, str] = {}
    for template in PACKAGE.rglob("templates/**/*.html"):
        for match in TRANSLATE_TAG.finditer(template.read_text(encoding="utf-8")):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            if "%" not in text:
                found.setdefault(text, str(template.relative_to(PACKAGE)))
    for text, where in marked_strings(_django_markers).items():
        found.setdefault(text, where)
    return found


def _django_markers(node: ast.ImportFrom) -> set[str]:
    if node.module != "django.utils.translation":
        return set()
    return {a.asname or a.name for a in node.names if a.name in GETTEXT_NAMES}


def test_every_marked_string_is_in_the_catalogue() -> None:
    """A new {% translate %} or gettext string fails here until scripts/messages.sh has put it
    in the .po and it has been translated."""
    in_po = {e["msgid"] for e in _po_entries(PO)}
    missing = {text: where for text, where in _source_msgids().items() if text not in in_po}
    assert not missing, "Kjør scripts/messages.sh og oversett:\n" + "\n".join(
        f"{where}: {text[:70]}" for text, where in sorted(missing.items(), key=lambda i: i[1])
    )


# --- In the browser -----------------------------------------------------------------------------


def _tab_to_button(page, name: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "name => { const el = document.activeElement;"
            " return el.tagName === 'BUTTON' && el.textContent.trim() === name; }",
            name,
        ):
            return
    pytest.fail(f"the button {name!r} is not reachable with Tab")


def _focus_visible(page) -> bool:
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )
    return (style[0] != "none" and style[1] != "0px") or style[2] != "none"


def _serious_axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
    )
    return [
        f"{v['id']} ({v['impact']}): {[' '.join(n['target']) for n in v['nodes'][:5]]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_switch_by_keyboard_in_the_browser(page, live_example) -> None:
    url, mapping = live_example
    address = f"{url}/kartlegginger/{mapping.pk}/ordninger/?kommune=3006"
    page.goto(address)
    assert page.locator("html").get_attribute("lang") == "nb"
    switch = page.get_by_role("group", name="Språk / Language")
    assert switch.get_by_role("button", name="Norsk bokmål").get_attribute("aria-current") == "true"

    _tab_to_button(page, "English")
    assert _focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == address  # back on the same page, filters kept
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="Skip to main content")).to_have_count(1)
    expect(page.get_by_role("button", name="Show arrangements")).to_be_visible()
    expect(page.get_by_role("group", name="Language / Språk")).to_be_visible()

    _tab_to_button(page, "Norsk bokmål")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.url == address
    assert page.locator("html").get_attribute("lang") == "nb"
    expect(page.get_by_role("button", name="Vis ordninger")).to_be_visible()
    assert page.console_errors == []  # nothing blocked by the Content-Security-Policy


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_axe_on_pages_with_the_switch(axe_page, live_example) -> None:
    url, mapping = live_example
    problems = {}
    for language in ("nb", "en"):
        axe_page.context.add_cookies([{"name": COOKIE, "value": language, "url": url}])
        for path in ["/", f"/kartlegginger/{mapping.pk}/ordninger/?kommune=3006"]:
            assert axe_page.goto(url + path).status == 200
            assert axe_page.locator("html").get_attribute("lang") == language
            found = _serious_axe_violations(axe_page)
            if found:
                problems[f"{language} {path}"] = found
    assert problems == {}
    # Reflow: at 320 CSS px the header with the switch needs no sideways scrolling.
    axe_page.set_viewport_size({"width": 320, "height": 800})
    axe_page.goto(f"{url}/")
    overflow = axe_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
