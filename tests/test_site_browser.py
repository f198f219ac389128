"""The evidence browser in a real headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium; nothing downloads a browser): highlights per layer equal the table rows and their quotes,
links lead article -> event -> another article, search, layer toggles, event filters, screenshots.

``DIPLONEWS_README_SCREENSHOTS=1`` also writes the README's screenshots to docs/img/."""

from __future__ import annotations

import os
import shutil
import threading
from collections import Counter
from pathlib import Path

import pytest

from diplonews import load
from diplonews.site import build_site, make_server
from tests.test_site import LAYER, expected_spans, hostile_dataset

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900")

# Every highlight of the page, its fragments joined: layer, words, and the UTF-16 offsets of its
# start and end in the text as the browser holds it (ranges count UTF-16 code units).
SPANS_JS = """
const text = document.getElementById("text"), spans = {};
for (const m of text.querySelectorAll("mark.hl")) {
  const s = spans[m.dataset.k] || (spans[m.dataset.k] = {layer: m.dataset.layer, words: "", start: null, end: 0});
  const r = document.createRange();
  r.setStart(text, 0); r.setEndBefore(m);
  if (s.start === null) s.start = r.toString().length;
  s.words += m.textContent;
  r.setEndAfter(m);
  s.end = r.toString().length;
}
return {text: text.textContent, spans: Object.values(spans)};
"""


def utf16(text: str, offset: int) -> int:
    """A code-point offset into ``text`` as a UTF-16 offset (what the browser counts)."""
    return len(text[:offset].encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    """A headless Chromium with a fresh profile, or a skip saying what is missing."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        pytest.skip(f"browser tests need Debian's chromium and chromium-driver: {', '.join(missing)} missing "
                    "(apt-get install chromium chromium-driver; .ci/run does it)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    # The driver path is given, so Selenium Manager never looks for (or downloads) one.
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.implicitly_wait(0)
    yield browser
    browser.quit()


def _serve(folder: Path):
    server = make_server(folder, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory):
    """The seed site, served on 127.0.0.1 by the test; yields its base URL."""
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(repo / "dataset", out)
    server, url = _serve(out)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tables(repo):
    """The committed dataset's tables."""
    return load(repo / "dataset")


def _check_page(driver, article) -> dict:
    shown = driver.execute_script(SPANS_JS)
    assert shown["text"] == article.text
    return shown


def test_each_article_highlights_every_row_with_its_quote(driver, site, tables):
    for article in tables["articles"].itertuples():
        driver.get(f"{site}articles/{article.article_id}.html")
        shown = _check_page(driver, article)
        expected = expected_spans(tables, article.article_id)
        per_layer = Counter(s["layer"] for s in shown["spans"])
        assert per_layer == Counter({LAYER[t]: int((tables[t].article_id == article.article_id).sum())
                                     for t in LAYER})
        got = Counter((s["layer"], s["start"], s["end"], s["words"]) for s in shown["spans"])
        assert got == Counter((layer, utf16(article.text, a), utf16(article.text, b), quote)
                              for layer, a, b, quote in expected.elements())


def test_hostile_article_renders_as_text_in_the_browser(driver, repo, tmp_path):
    dataset = tmp_path / "dataset"
    article_id = hostile_dataset(repo / "dataset", dataset)
    build_site(dataset, tmp_path / "site")
    tables = load(dataset)
    article = tables["articles"][tables["articles"].article_id == article_id].iloc[0]
    server, url = _serve(tmp_path / "site")
    try:
        driver.get(f"{url}articles/{article_id}.html")
        shown = _check_page(driver, article)  # CRLF, RTL and astral characters survive, nothing ran
        assert driver.execute_script("return document.querySelectorAll('#text script, #text b, aside img').length") == 0
        got = Counter((s["layer"], s["start"], s["end"], s["words"]) for s in shown["spans"])
        assert got == Counter((layer, utf16(article.text, a), utf16(article.text, b), quote)
                              for layer, a, b, quote in expected_spans(tables, article_id).elements())
    finally:
        server.shutdown()
        server.server_close()


def test_article_to_event_to_another_article(driver, site):
    from selenium.webdriver.common.by import By

    first = "2025-03-16-erdogan-trump-call-readout"
    driver.get(f"{site}articles/{first}.html")
    # Focus the highlight (as a keyboard user would): its pop-up says what it is and links to the event.
    mark = driver.find_element(By.CSS_SELECTOR, "#text mark.hl-event[data-first][id*='erdogan-trump-call']")
    driver.execute_script("arguments[0].focus()", mark)
    pop = driver.find_element(By.ID, "pop")
    assert pop.is_displayed() and "reported occurred" in pop.text
    pop.find_element(By.CSS_SELECTOR, "a[href*='events/2025-03-16-erdogan-trump-call.html']").click()
    _arrive(driver, lambda url: url.endswith("events/2025-03-16-erdogan-trump-call.html"))
    assert "Reported by 4 articles" in driver.find_element(By.CSS_SELECTOR, "section.agree h2").text
    other = next(a for a in driver.find_elements(By.CSS_SELECTOR, "a.inline-quote")
                 if first not in a.get_attribute("href"))
    quote, href = other.text, other.get_attribute("href")
    other.click()
    _arrive(driver, lambda url: url == href)
    assert "/articles/" in href
    target = driver.find_element(By.ID, href.split("#", 1)[1])
    words = driver.execute_script(
        "return Array.from(document.querySelectorAll('#text mark[data-k=\"' + arguments[0] + '\"]'))"
        ".map(m => m.textContent).join('')", target.get_attribute("data-k"))
    assert words == quote and target.get_attribute("data-layer") == "event"


def _arrive(driver, wanted) -> None:
    """Wait until the browser's URL is ``wanted`` and that page has loaded (a click or Enter navigates
    asynchronously, so the URL read straight after it may still be the old page's; CI once caught it there)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(
        lambda d: wanted(d.current_url) and d.execute_script("return document.readyState") == "complete",
        message="the expected page did not load")


def _results(driver) -> list:
    """The result links, once the index shard of the query has arrived and been searched."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: "result" in d.find_element(By.ID, "count").text)
    return driver.find_elements(By.CSS_SELECTOR, "#results a")


def test_search_box_finds_names_aliases_and_quotes(driver, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(f"{site}index.html")
    box = driver.find_element(By.ID, "q-top")
    box.send_keys("erdogan", Keys.ENTER)  # without the accent: the index folds diacritics
    _arrive(driver, lambda url: "search.html?q=erdogan" in url)
    results = _results(driver)
    assert any(a.get_attribute("href").endswith("actors/recep-tayyip-erdogan.html") for a in results)
    query = driver.find_element(By.ID, "q")
    query.clear()
    query.send_keys("non-operational")
    results = _results(driver)
    assert results and all("non-operational" in a.text for a in results)
    quotes = [a.get_attribute("href") for a in results if "#" in a.get_attribute("href")]
    assert quotes  # a quote links to its place in the article
    driver.get(quotes[0])
    assert "non-operational" in driver.find_element(By.ID, quotes[0].split("#", 1)[1]).text


def test_toggling_a_layer_hides_its_highlights(driver, site):
    from selenium.webdriver.common.by import By

    driver.get(f"{site}articles/2025-03-26-fidan-washington-visit-talks.html")
    style = ("return Array.from(document.querySelectorAll('#text mark.hl-' + arguments[0])).map(m => {"
             "const s = getComputedStyle(m); return s.backgroundColor + '|' + s.borderBottomStyle; })")
    assert set(driver.execute_script(style, "actor")) == {"rgb(207, 227, 255)|solid"}
    events_before = driver.execute_script(style, "event")
    driver.find_element(By.CSS_SELECTOR, "input.toggle[data-layer='actor']").click()
    assert set(driver.execute_script(style, "actor")) == {"rgba(0, 0, 0, 0)|none"}
    assert driver.execute_script(style, "event") == events_before  # other layers untouched
    driver.find_element(By.CSS_SELECTOR, "input.toggle[data-layer='actor']").click()
    assert set(driver.execute_script(style, "actor")) == {"rgb(207, 227, 255)|solid"}


def test_event_index_filters_by_status(driver, site, tables):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(f"{site}events/index.html")
    rows = driver.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert len(rows) == len(tables["events"])
    # The seeds' one denial is a denial for a week (schema 2.0).
    Select(driver.find_element(By.NAME, "status")).select_by_visible_text("denied_for_period")
    shown = [r for r in rows if r.is_displayed()]
    assert len(shown) == int((tables["events"].status == "denied_for_period").sum()) > 0
    assert {r.get_attribute("data-status") for r in shown} == {"denied_for_period"}


def test_screenshots(driver, site, repo, tmp_path):
    shots = {"article.png": "articles/2025-03-26-fidan-washington-visit-talks.html",
             "event.png": "events/2025-03-16-erdogan-trump-call.html"}
    readme = os.environ.get("DIPLONEWS_README_SCREENSHOTS") == "1"
    for name, path in shots.items():
        driver.get(site + path)
        # The article from its legend, with the pop-up of a demand open (as on keyboard focus).
        driver.execute_script("""const legend = document.querySelector(".legend");
            if (legend) { window.scrollTo(0, legend.offsetTop - 8);
              document.querySelector("#text mark.hl-demand[data-first]").focus({preventScroll: true}); }""")
        assert driver.save_screenshot(str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 10_000
        if readme:
            (repo / "docs" / "img").mkdir(exist_ok=True)
            shutil.copyfile(tmp_path / name, repo / "docs" / "img" / f"site-{name}")
