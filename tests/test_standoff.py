"""Issue 15: the standoff release withholds the texts diplonews may not publish, and hydrate puts them back.

The leak test reads every member of the archive the way a user could (raw bytes as text, JSON strings,
Parquet cells, SVG and Markdown unescaped) and looks for every run of eight words of every text that is
not redistributable; the same scan run on the full archive finds them, so it is not blind.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from diplonews import metadata
from diplonews.builders.publish.release import archive_root
from diplonews.builders.publish.standoff import MIN_WORDS, _restore, _Withheld
from diplonews.cli import main
from diplonews.errors import UserError

VERSION = metadata.DATASET_VERSION


@pytest.fixture(scope="module")
def unpacked(dist, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("unpacked")
    for variant in ("standoff", "full"):
        with tarfile.open(dist / metadata.archive_name(VERSION, variant)) as tar:
            tar.extractall(out, filter="data")
    return out


def _restricted_texts(repo: Path) -> dict[str, str]:
    """The seed texts whose annotation says they are not redistributable, by file name."""
    texts = {}
    for ann in (repo / "seeds" / "annotations").glob("*.yaml"):
        article = yaml.safe_load(ann.read_text(encoding="utf-8"))["article"]
        if not article.get("redistributable", False):
            texts[article["text_file"]] = (repo / "seeds" / "texts" / article["text_file"]).read_text(encoding="utf-8")
    return texts


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _readable(name: str, data: bytes) -> str:
    """Everything a reader of one archive member could see, white space collapsed."""
    parts = [data.decode("utf-8", errors="replace")]
    if name.endswith(".json"):
        parts += _strings(json.loads(data))
    elif name.endswith(".parquet"):
        parts += _strings(pq.read_table(io.BytesIO(data)).to_pylist())
    elif name.endswith((".svg", ".md")):
        parts.append(html.unescape(parts[0]))
    return "\n".join(" ".join(p.split()) for p in parts)


def _fold(text: str) -> str:
    """``text`` as words compare: white space collapsed, punctuation around words dropped, case and curly
    quote marks folded (a run copied as 'The ...' or with straight apostrophes is still the text's run)."""
    words = (re.sub(r"^\W+|\W+$", "", w).replace("\u2019", "'").casefold() for w in text.split())
    return " ".join(w for w in words if w)


def _windows(texts: dict[str, str]) -> set[str]:
    """Every run of MIN_WORDS words of ``texts``, folded (see _fold)."""
    windows = set()
    for text in texts.values():
        words = _fold(text).split()
        windows |= {" ".join(words[i:i + MIN_WORDS]) for i in range(len(words) - MIN_WORDS + 1)}
    return windows


def _leaks(archive: Path, texts: dict[str, str]) -> dict[str, int]:
    """{member: how many 8-word runs of ``texts`` it contains}."""
    windows = _windows(texts)
    found = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.isfile():
                seen = _fold(_readable(member.name, tar.extractfile(member).read()))
                hits = sum(w in seen for w in windows)
                if hits:
                    found[member.name] = hits
    return found


def test_the_seed_texts_are_all_restricted(repo):
    assert len(_restricted_texts(repo)) == 5  # none of them states a licence that lets us publish it


def test_standoff_archive_holds_no_sentence_of_a_restricted_text(repo, dist):
    texts = _restricted_texts(repo)
    assert _leaks(dist / metadata.archive_name(VERSION, "standoff"), texts) == {}
    # the same scan finds the texts in the full archive, in the tables and beyond (titles, notes, summaries)
    full = _leaks(dist / metadata.archive_name(VERSION, "full"), texts)
    assert {"parquet/articles.parquet", "json/articles.json", "parquet/events.parquet"} <= {
        name.split("/", 1)[1] for name in full}


def test_standoff_keeps_offsets_and_hashes_and_says_why(unpacked):
    standoff = unpacked / archive_root(VERSION, "standoff")
    full = unpacked / archive_root(VERSION, "full")
    for name in ("articles", "actor_mentions", "positions"):
        s, f = pq.read_table(standoff / "parquet" / f"{name}.parquet"), pq.read_table(full / "parquet" / f"{name}.parquet")
        assert s.num_rows == f.num_rows and s.schema == f.schema
        for col in ("text_sha256",) if name == "articles" else ("span_start", "span_end"):
            assert s[col].equals(f[col])
        assert s["text" if name == "articles" else "quote"].null_count == s.num_rows
    card = (standoff / "README.md").read_text(encoding="utf-8")
    assert "**standoff** variant" in card and "| `2025-03-erdogan-putin-call-denied` | Caliber.Az | unknown | no |" in card
    assert "**full** variant" in (full / "README.md").read_text(encoding="utf-8")


def test_standoff_validates(unpacked):
    assert main(["validate", str(unpacked / archive_root(VERSION, "standoff"))]) == 0


def test_hydrate_gives_the_full_release_byte_for_byte(repo, unpacked, tmp_path):
    texts = tmp_path / "my texts"
    texts.mkdir()
    for i, path in enumerate(sorted((repo / "seeds" / "texts").iterdir())):
        shutil.copyfile(path, texts / f"downloaded-{i}.txt")  # any names: matched by hash
    out = tmp_path / "hydrated"
    assert main(["hydrate", str(unpacked / archive_root(VERSION, "standoff")), "--texts", str(texts),
                 "--out", str(out)]) == 0
    full = unpacked / archive_root(VERSION, "full")
    files = sorted(p.relative_to(full).as_posix() for p in full.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    for rel in files:
        assert (out / rel).read_bytes() == (full / rel).read_bytes(), rel
    assert main(["validate", str(out)]) == 0


def test_hydrate_refuses_a_text_with_one_byte_changed(repo, unpacked, tmp_path, capsys):
    texts = tmp_path / "texts"
    shutil.copytree(repo / "seeds" / "texts", texts)
    target = texts / "002_a70582a7c56fbc4f.txt"
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01
    target.write_bytes(bytes(data))
    out = tmp_path / "hydrated"
    assert main(["hydrate", str(unpacked / archive_root(VERSION, "standoff")), "--texts", str(texts),
                 "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "002_a70582a7c56fbc4f.txt matches no article's text" in err
    assert "closest: article 2025-03-erdogan-putin-call-denied" in err
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_hydrate_names_the_closest_article_by_length_when_names_differ(repo, unpacked, tmp_path):
    from diplonews.api import hydrate as api_hydrate

    texts = tmp_path / "texts"
    texts.mkdir()
    original = (repo / "seeds" / "texts" / "004_2e17ffcbbdb7b696.txt").read_text(encoding="utf-8")
    (texts / "article.txt").write_text(original.replace("Lavrov", "Lavroff", 1), encoding="utf-8")
    with pytest.raises(UserError) as exc:
        api_hydrate(unpacked / archive_root(VERSION, "standoff"), texts, tmp_path / "out")
    assert "2025-08-erdogan-putin-call-after-alaska" in exc.value.hint


def test_hydrate_with_some_texts_restores_those_and_says_which_are_still_withheld(repo, unpacked, tmp_path):
    from diplonews.api import hydrate as api_hydrate

    texts = tmp_path / "texts"
    texts.mkdir()
    shutil.copyfile(repo / "seeds" / "texts" / "002_a70582a7c56fbc4f.txt", texts / "a.txt")
    still = api_hydrate(unpacked / archive_root(VERSION, "standoff"), texts, tmp_path / "out")
    assert len(still) == 4 and "2025-03-erdogan-putin-call-denied" not in still
    assert main(["validate", str(tmp_path / "out")]) == 0


def test_a_copied_run_with_other_white_space_comes_back_exactly():
    text = "one two three four five six seven eight, nine ten"
    index = _Withheld({"a": text})
    cell = 'Note: "one two three\nfour five six seven  eight nine", said'
    encoded = index.encode(cell)
    assert "four" not in encoded and encoded.startswith('Note: "⟦withheld: a[0:3]⟧')
    assert _restore(encoded, {"a": text}) == cell
    assert index.encode("one two three four five six seven") == "one two three four five six seven"  # 7 words


def test_a_copied_run_in_another_case_or_with_other_quote_marks_is_withheld_and_comes_back_exactly():
    text = "Since the onset of Russia’s full-scale invasion of Ukraine, the return of refugees went on."
    index = _Withheld({"a": text})
    cell = "The Onset of Russia's full-scale invasion of Ukraine, the return: so the note says"
    encoded = index.encode(cell)
    assert "invasion" not in encoded and "Ukraine" not in encoded
    assert "Onset" not in encoded and "Russia" not in encoded  # spelt unlike the text: withheld all the same
    assert _restore(encoded, {"a": text}) == cell
    assert not any(w in _fold(encoded) for w in _windows({"a": text}))


@pytest.mark.parametrize("cell", [
    "THE RETURN OF SYRIAN REFUGEES TO THEIR HOMELAND IS A PRIORITY",  # a headline in capitals
    "The Return Of Syrian Refugees To Their Homeland Is A Priority",  # and in Title Case
    "the return of Syrian refugees to their homeland is a priority, and Russia's view",
])
def test_a_run_in_capitals_or_title_case_is_withheld_and_comes_back_exactly(cell):
    text = "Officials said: The return of Syrian refugees to their homeland is a priority, and Russia’s view matters."
    index = _Withheld({"a": text})
    encoded = index.encode(cell)
    assert not any(w in _fold(encoded) for w in _windows({"a": text})) and "efugees" not in encoded.lower()
    assert _restore(encoded, {"a": text}) == cell


def test_load_with_texts_equals_the_full_release(repo, unpacked):
    import diplonews

    got = diplonews.load(unpacked / archive_root(VERSION, "standoff"), texts=repo / "seeds" / "texts")
    full = diplonews.load(unpacked / archive_root(VERSION, "full"))
    assert sorted(got) == sorted(full)
    for name in full:
        assert got[name].equals(full[name]) and (got[name].dtypes == full[name].dtypes).all(), name


def test_a_cell_that_already_looks_like_a_reference_is_refused(seed_build):
    import pyarrow as pa

    from diplonews.builders.publish.standoff import read_tables, withhold

    tables = read_tables(seed_build)
    topics = tables["topics"]
    labels = topics["label"].to_pylist()
    labels[0] = "⟦withheld: x[0:1]⟧"
    tables["topics"] = topics.set_column(topics.schema.get_field_index("label"), "label", pa.array(labels))
    with pytest.raises(UserError, match="topics.label already holds"):
        withhold(tables)


def test_hydrate_refuses_an_existing_out_and_changes_nothing(repo, unpacked, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    assert main(["hydrate", str(unpacked / archive_root(VERSION, "standoff")), "--texts",
                 str(repo / "seeds" / "texts"), "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_hydrate_refuses_an_out_inside_the_standoff_and_changes_nothing(repo, unpacked, tmp_path, capsys):
    # It wrote the full dataset inside the release: no longer valid, and a cached one was fetched again over it.
    standoff = Path(shutil.copytree(unpacked / archive_root(VERSION, "standoff"), tmp_path / "standoff"))
    before = sorted(p.relative_to(standoff) for p in standoff.rglob("*"))
    assert main(["hydrate", str(standoff), "--texts", str(repo / "seeds" / "texts"), "--out", str(standoff / "full")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: --out {standoff / 'full'} is inside the standoff dataset {standoff}; nothing was written",
        "  hint: give --out a new folder outside it"]
    assert sorted(p.relative_to(standoff) for p in standoff.rglob("*")) == before


def test_the_evidence_browser_of_a_standoff_release_shows_no_withheld_text(repo, unpacked, tmp_path):
    """The site is built from whatever dataset it is given: from a standoff release it says the text is
    withheld and how to restore it, and no page, script or search file carries a sentence of it."""
    from diplonews.site import build_site

    site = tmp_path / "site"
    build_site(unpacked / archive_root(VERSION, "standoff"), site)
    windows = _windows(_restricted_texts(repo))
    leaks = set()
    for p in (p for p in site.rglob("*") if p.is_file()):
        seen = _readable(p.name, p.read_bytes())
        seen = _fold(seen) + "\n" + _fold(html.unescape(seen))  # read once per file, not once per window
        leaks |= {p.name} if any(w in seen for w in windows) else set()
    assert leaks == set()
    article = next((site / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert "The text of this article is withheld" in article and "diplonews hydrate" in article


def test_the_card_licence_is_cc_by_only_where_every_text_it_carries_may_be_passed_on(unpacked):
    def front_matter(folder: Path) -> dict:
        return yaml.safe_load((folder / "README.md").read_text(encoding="utf-8").split("---\n")[1])

    standoff = front_matter(unpacked / archive_root(VERSION, "standoff"))
    full = front_matter(unpacked / archive_root(VERSION, "full"))
    assert standoff["license"] == "cc-by-4.0" and "license_name" not in standoff
    assert full["license"] == "other" and "texts of 5 articles belong to their rights holders" in full["license_details"]


def test_hydrate_to_an_out_under_a_file_is_refused_with_a_hint(repo, tmp_path, capsys):
    file = tmp_path / "afile"
    file.write_text("mine\n")
    out = file / "full"
    # the check on --out comes first: any dataset folder serves as the standoff one here
    assert main(["hydrate", str(repo / "dataset"), "--texts", str(repo / "seeds" / "texts"), "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: --out {out} lies under {file}, which is a file; nothing was written", "  hint: give --out a new folder"]
    assert list(tmp_path.iterdir()) == [file] and file.read_text() == "mine\n"
