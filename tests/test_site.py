"""The static evidence browser (``diplonews site``): deterministic output, every span highlighted with
its exact words at its exact offsets, every internal link resolving, hostile texts rendered as text."""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from diplonews import load
from diplonews.cli import main
from diplonews.schema import EVIDENCE_TABLES, TABLES_BY_NAME
from diplonews.site import build as site_build
from diplonews.site import SiteError, build_site

LAYER = {"actor_mentions": "actor", "event_mentions": "event", "positions": "position", "demands": "demand",
         "attribution_sources": "source", "event_relations": "relation", "errata": "erratum"}


class ArticlePage(HTMLParser):
    """Reads an article page: the text of ``div#text`` and every highlight in it, with the offsets
    (code points into that text) and the words of each span, joined over its fragments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.text: list[str] = []
        self.pos = 0
        self.open: list[dict] = []
        self.spans: dict[str, dict] = {}
        self.ids: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if tag == "div" and attrs.get("id") == "text":
            self.inside = True
        elif self.inside and tag == "mark":
            self.open.append(attrs)
            span = self.spans.setdefault(attrs["data-k"], {"layer": attrs["data-layer"], "start": self.pos,
                                                           "end": self.pos, "words": "", "first": 0})
            assert span["end"] == self.pos, f"span {attrs['data-k']} has a gap between its fragments"
            span["first"] += "data-first" in attrs

    def handle_endtag(self, tag):
        if self.inside and tag == "mark":
            self.open.pop()
        elif self.inside and tag == "div":
            self.inside = False

    def handle_data(self, data):
        if not self.inside:
            return
        self.text.append(data)
        self.pos += len(data)
        for attrs in self.open:
            span = self.spans[attrs["data-k"]]
            span["words"] += data
            span["end"] = self.pos


def read_article(path: Path) -> ArticlePage:
    """Parse a generated article page."""
    page = ArticlePage()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def expected_spans(tables: dict, article_id: str) -> Counter:
    """(layer, start, end, quote) of every evidence row of an article, from the tables."""
    out: Counter = Counter()
    for table in EVIDENCE_TABLES:
        rows = tables[table][tables[table]["article_id"] == article_id]
        out.update((LAYER[table], int(r.span_start), int(r.span_end), r.quote) for r in rows.itertuples())
    return out


def check_article(site: Path, tables: dict, article) -> None:
    """The page of ``article`` shows its text unchanged and exactly its spans, each at its offsets."""
    page = read_article(site / "articles" / f"{article.article_id}.html")
    assert "".join(page.text) == article.text
    shown = Counter((s["layer"], s["start"], s["end"], s["words"]) for s in page.spans.values())
    assert shown == expected_spans(tables, article.article_id)
    assert all(s["first"] == 1 for s in page.spans.values()), "each span has exactly one anchored first fragment"
    assert all(n == 1 for n in page.ids.values()), [i for i, n in page.ids.items() if n > 1]
    for s in page.spans.values():
        assert article.text[s["start"]:s["end"]] == s["words"]


class Links(HTMLParser):
    """Collects every href and src of a page, and its element ids."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id":
                self.ids.add(value)


def broken_links(site: Path) -> list[str]:
    """Every internal link of every page that does not resolve to a file (and, with a fragment, to an
    element id in it), and every link that would leave the site."""
    pages = {p: Links() for p in site.rglob("*.html")}
    for path, parser in pages.items():
        parser.feed(path.read_text(encoding="utf-8"))
    broken = []
    for path, parser in sorted(pages.items()):
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme == "data":
                continue
            if parts.scheme or parts.netloc:
                broken.append(f"{path}: external {link}")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{path}: {link}")
            elif parts.fragment and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{path}: {link} (no such id)")
    return broken


@pytest.fixture(scope="module")
def tables(repo):
    """The committed dataset's tables."""
    return load(repo / "dataset")


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    """The site of the committed dataset."""
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(repo / "dataset", out)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical_and_fast(repo, tmp_path):
    started = time.perf_counter()
    build_site(repo / "dataset", tmp_path / "a")
    assert time.perf_counter() - started < 5, "the seed site must build in well under 5 s"
    build_site(repo / "dataset", tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b
    build_site(repo / "dataset", tmp_path / "a")  # a previous site is replaced as a whole
    assert _files(tmp_path / "a") == a


def test_every_article_highlights_each_row_at_its_offsets(site, tables):
    assert len(tables["articles"]) == 5
    for article in tables["articles"].itertuples():
        check_article(site, tables, article)


def test_nested_and_crossing_spans_are_split_into_nested_marks():
    from diplonews.site.highlight import Span, render

    text = "abcdefgh"
    spans = [Span(0, 4, "actor", "a", "A"), Span(2, 6, "event", "e", "E"), Span(2, 3, "demand", "d", "D"),
             Span(6, 8, "position", "p", "P")]
    html = str(render(text, spans))
    page = ArticlePage()
    page.feed(f'<div id="text">{html}</div>')
    assert "".join(page.text) == text
    assert {k: (s["start"], s["end"], s["words"]) for k, s in page.spans.items()} == {
        "a": (0, 4, "abcd"), "e": (2, 6, "cdef"), "d": (2, 3, "c"), "p": (6, 8, "gh")}
    # The crossing event span is cut where the actor span ends: two fragments, one anchor.
    assert html.count('data-k="e"') == 2 and html.count('id="e"') == 1


def test_every_internal_link_resolves_and_none_leaves_the_site(site):
    assert broken_links(site) == []


def search_entries(site: Path) -> set[tuple]:
    """Every entry of the sharded search index, and check that each sits in the shard of each of
    its words' keys."""
    import json

    from diplonews.site.search import KEY_LENGTH, STOPWORDS, fold, shard_name

    entries: set[tuple] = set()
    for shard in sorted((site / "search").glob("*.js")):
        payload = shard.read_text(encoding="utf-8")
        listed, total = json.loads("[" + payload.removeprefix("window.DIPLONEWS_SHARD(").removesuffix(");\n") + "]")
        assert len(listed) == total  # the seed corpus fits in full
        for entry in listed:
            entries.add(tuple(entry))
    for entry in entries:
        for word in re.findall(r"[^\W_]+", fold(entry[1])):
            if len(word) >= 2 and word not in STOPWORDS and not word.isdigit():
                assert (site / "search" / shard_name(word[:KEY_LENGTH])).is_file(), (entry, word)
    return entries


def test_search_index_holds_names_aliases_and_quotes_and_its_links_resolve(site, tables):
    entries = search_entries(site)
    kinds = Counter(e[0] for e in entries)
    assert kinds["actor"] == len(tables["actors"]) and kinds["event"] == len(tables["events"])
    assert kinds["position quote"] == len(tables["positions"])
    erdogan = next(e for e in entries if e[2] == "actors/recep-tayyip-erdogan.html")
    assert "Recep Tayyip Erdoğan" in erdogan[1] and "Erdogan" in erdogan[1]  # name and aliases
    pages = {}
    for kind, _, href, *_ in sorted(entries):
        path, _, fragment = href.partition("#")
        assert (site / path).is_file(), href
        if fragment:
            if path not in pages:
                pages[path] = Links()
                pages[path].feed((site / path).read_text(encoding="utf-8"))
            assert fragment in pages[path].ids, href


def test_generic_tables_take_their_columns_from_the_models(site):
    class Heads(HTMLParser):
        def __init__(self):
            super().__init__()
            self.heads, self.cell = [], False

        def handle_starttag(self, tag, attrs):
            self.cell = tag == "th"

        def handle_data(self, data):
            if self.cell:
                self.heads.append(data)
                self.cell = False

    page = Heads()
    page.feed((site / "actors" / "recep-tayyip-erdogan.html").read_text(encoding="utf-8"))
    roles = [c for c in TABLES_BY_NAME["actor_roles"].model_fields if c != "actor_id"]
    text = "|".join(page.heads)
    assert "|".join(roles) in text
    positions = [c for c in TABLES_BY_NAME["positions"].model_fields if c not in ("actor_id", "position_id")]
    assert "|".join(["what", *positions]) in text


def test_indexes_are_paged(repo, tmp_path):
    build_site(repo / "dataset", tmp_path / "site", page_size=2)
    pages = sorted((tmp_path / "site" / "articles").glob("*.html"))
    listed = [p for p in pages if p.name == "index.html" or p.name.startswith("page-")]
    assert [p.name for p in listed] == ["index.html", "page-2.html", "page-3.html"]
    assert broken_links(tmp_path / "site") == []


def _rewrite(folder: Path, table: str, change) -> None:
    path = folder / "parquet" / f"{table}.parquet"
    data = pq.read_table(path)
    rows = [change(r) for r in data.to_pylist()]
    pq.write_table(pa.Table.from_pylist(rows, schema=data.schema), path)


HOSTILE = ("<script>alert(1)</script> &amp; <b>bold</b> \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 "
           "\U0001F600\U0001D54F \r\n" + "x" * 20000 + " ")


def hostile_dataset(source: Path, dataset: Path) -> str:
    """Copy the dataset in ``source`` to ``dataset`` with hostile words (markup, a script, RTL and
    astral characters, CRLF, a 20,000-character line) inserted inside an article's first actor
    mention, offsets and quotes kept consistent, and markup in a note and in actor names; returns
    the article's id."""
    shutil.copytree(source, dataset)
    article_id = "2025-03-16-erdogan-trump-call-readout"
    original = next(a["text"] for a in pq.read_table(dataset / "parquet" / "articles.parquet").to_pylist()
                    if a["article_id"] == article_id)
    # Inside the first actor mention, so that quotes contain the words; later spans shift, spans
    # around it grow.
    first = min((r for r in pq.read_table(dataset / "parquet" / "actor_mentions.parquet").to_pylist()
                 if r["article_id"] == article_id), key=lambda r: r["span_start"])
    at = first["span_start"] + 1
    new_text = original[:at] + HOSTILE + original[at:]

    def shift(offset: int, end: bool) -> int:
        return offset + len(HOSTILE) if offset > at or (offset == at and not end) else offset

    def article(row):
        if row["article_id"] == article_id:
            row = {**row, "text": new_text, "notes": "<img src=x onerror=alert(2)> </div> notes"}
        return row

    def evidence(row):
        if row["article_id"] == article_id:
            start, end = shift(row["span_start"], False), shift(row["span_end"], True)
            row = {**row, "span_start": start, "span_end": end, "quote": new_text[start:end]}
        return row

    _rewrite(dataset, "articles", article)
    for table in EVIDENCE_TABLES:
        _rewrite(dataset, table, evidence)
    _rewrite(dataset, "actors", lambda r: {**r, "name": r["name"] + " <script>alert(3)</script>"})
    return article_id


def test_hostile_text_renders_as_text_with_offsets_kept(repo, tmp_path):
    dataset = tmp_path / "dataset"
    article_id = hostile_dataset(repo / "dataset", dataset)
    out = tmp_path / "site"
    build_site(dataset, out)
    tables = load(dataset)
    assert any(HOSTILE in q for q in tables["actor_mentions"].quote)
    hostile = tables["articles"][tables["articles"].article_id == article_id].iloc[0]
    check_article(out, tables, hostile)
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html, page
    html = (out / "articles" / f"{article_id}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&#13;" in html
    assert broken_links(out) == []


def test_cli_builds_and_refuses_a_folder_that_is_not_a_site(repo, tmp_path, capsys):
    assert main(["site", str(repo / "dataset"), "--out", str(tmp_path / "site")]) == 0
    assert "wrote" in capsys.readouterr().out
    assert (tmp_path / "site" / "index.html").is_file()
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    assert main(["site", str(repo / "dataset"), "--out", str(other)]) == 1
    assert "holds no diplonews site" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["keep.txt"]


def test_each_highlight_says_what_it_is(site):
    class Titles(HTMLParser):
        def __init__(self):
            super().__init__()
            self.titles: dict[str, list[str]] = {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "mark" and "data-first" in attrs:
                self.titles.setdefault(attrs["data-layer"], []).append(attrs["title"])

    page = Titles()
    page.feed((site / "articles" / "2025-03-16-erdogan-trump-call-readout.html").read_text(encoding="utf-8"))
    titles = page.titles
    assert "actor: Recep Tayyip Erdoğan (person) — president, Türkiye" in titles["actor"]  # office on that date
    assert all(re.search(r" — reported (occurred|ongoing|planned|proposed|speculated|denied)", t)
               for t in titles["event"])
    assert all(re.search(r": (support|oppose|neutral|mixed)", t) for t in titles["position"])
    assert all(t.count(" → ") == 2 for t in titles["demand"])  # claimant → addressee → action


def test_a_failed_run_leaves_the_previous_site_as_it_was(repo, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build_site(repo / "dataset", out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(writer):
        raise OSError("disk full")

    monkeypatch.setattr(site_build, "_codebook", broken)
    with pytest.raises(OSError, match="disk full"):
        build_site(repo / "dataset", out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]  # no half-written folder beside


def test_home_figures_link_every_dated_event_and_drawn_actor_to_its_page(site, tables):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<img" not in html  # inline SVG: a picture in <img> cannot link
    links = set(re.findall(r'<a href="((?:events|actors)/[^"]+)">', html)) - {"events/index.html", "actors/index.html"}
    dated = tables["events"].dropna(subset=["date_start", "date_end"], how="all")["event_id"]
    assert {f"events/{e}.html" for e in dated} <= links
    actor_links = {link for link in links if link.startswith("actors/")}
    assert actor_links and len(actor_links) == html.count('<circle class="actor"')
    assert all((site / link).is_file() for link in links)


@pytest.mark.parametrize("size", ["0", "-3"])
def test_a_page_size_below_one_is_refused_before_anything_is_written(repo, tmp_path, capsys, size):
    # 0 was a traceback (range() step 0); -3 wrote index pages that listed nothing
    assert main(["site", str(repo / "dataset"), "--out", str(tmp_path / "site"), "--page-size", size]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: page size {size} is too small: an index page lists at least one row",
        "  hint: give --page-size a whole number of 1 or more (default: 500)"]
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(SiteError, match="page size 0 is too small"):
        build_site(repo / "dataset", tmp_path / "site", page_size=0)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("port", ["70000", "-1", "busy"])
def test_serve_refuses_a_port_out_of_range_or_in_use_before_the_site_is_written(repo, tmp_path, capsys, port):
    import socket

    # A port this test holds itself, listening on 127.0.0.1, stands for one another program uses.
    with socket.create_server(("127.0.0.1", 0)) as taken:
        number = str(taken.getsockname()[1]) if port == "busy" else port
        status = main(["site", str(repo / "dataset"), "--out", str(tmp_path / "site"), "--serve", "--port", number])
    err = capsys.readouterr().err.splitlines()
    assert status == 1 and len(err) == 2 and err[1].startswith("  hint: give --port a number from 1024 to 65535")
    assert err[0] == (f"error: cannot serve on 127.0.0.1:{number}: Address already in use" if port == "busy" else
                      f"error: {number} is not a port number")
    assert list(tmp_path.iterdir()) == []  # the port is refused before the site is written


def test_serve_serves_the_site_it_wrote(repo, tmp_path, capsys, monkeypatch):
    import threading
    import urllib.request
    from http.server import ThreadingHTTPServer

    fetched = {}

    def serve_one_request(server, poll_interval=0.5):
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        client = threading.Thread(target=lambda: fetched.update(page=urllib.request.urlopen(url, timeout=10).read()))
        client.start()
        server.timeout = 10  # a client that never connects fails the test instead of hanging it
        server.handle_request()
        client.join(10)
        raise KeyboardInterrupt  # as Ctrl-C stops the server

    monkeypatch.setattr(ThreadingHTTPServer, "serve_forever", serve_one_request)
    assert main(["site", str(repo / "dataset"), "--out", str(tmp_path / "site"), "--serve", "--port", "0"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("wrote ") and out[1].startswith("serving http://127.0.0.1:") and out[2] == "stopped"
    assert fetched["page"] == (tmp_path / "site" / "index.html").read_bytes()


@pytest.mark.parametrize("out,why", [("afile", "is a file"), ("afile/site", "lies under {file}, which is a file")])
def test_an_out_that_is_or_lies_under_a_file_is_refused_with_a_hint(repo, tmp_path, capsys, out, why):
    file = tmp_path / "afile"
    file.write_text("mine\n")
    assert main(["site", str(repo / "dataset"), "--out", str(tmp_path / out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: --out {tmp_path / out} {why.format(file=file)}; nothing was written",
        "  hint: give --out a folder for the site: new, empty or a previous site"]
    assert list(tmp_path.iterdir()) == [file] and file.read_text() == "mine\n"
