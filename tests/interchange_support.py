"""Shared by the interchange tests: seeds with every span layer emptied, builds compared byte for byte,
and a small article whose text has the offset traps (characters outside the BMP, combining marks,
CRLF line ends, repeated white space)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from diplonews.api import export_annotations, import_annotations
from diplonews.errors import UserError
from diplonews.builders.interchange.layers import layers
from diplonews.builders.pipeline import build
from diplonews.builders.sources.yamlsource import round_trip_yaml

REPO = Path(__file__).resolve().parent.parent

READOUT_ID = "2025-03-16-erdogan-trump-call-readout"
THE_LATTER = b'  - {actor: donald-trump, quote: "the latter"}\n'
"""The readout's mention of Trump as 'the latter': the span the round trips with one deletion delete."""

TRAP_ID = "2025-04-01-offset-traps"
TRAP_TEXT = ("🙂 date 2025-04-01\r\n𝐓𝐡𝐞 Recep Tayyip Erdoğan 🇹🇷 met  Donald Trump\r\n"
             "in  Ankara: Erdog\u0306an and 🙂Trump😀 discussed  peace.\r\n\r\nTrump   said 𝒯𝓊𝓇𝓀𝒾𝓎ℯ matters.\n")
TRAP_YAML = f"""# yaml-language-server: $schema=../../schema/json/annotation.schema.json
# a hand-written comment that an import must keep
article:
  id: {TRAP_ID}
  text_file: {TRAP_ID}.txt
  published_date: 2025-04-01
  published_date_basis: stated
actor_mentions:
  - {{actor: recep-tayyip-erdogan, quote: "Recep Tayyip Erdoğan"}}  # before: an emoji and bold letters
  - {{actor: donald-trump, quote: "Trump", occurrence: 1}}
  - {{actor: turkiye-government, quote: "Ankara"}}
  - {{actor: recep-tayyip-erdogan, quote: "Erdog\u0306an"}}
  - {{actor: donald-trump, quote: "🙂Trump😀"}}
  - {{actor: donald-trump, quote: "Trump", occurrence: 3}}
event_mentions:
  - event: 2025-03-16-erdogan-trump-call
    reported_status: occurred
    quote: "met  Donald Trump\\r\\nin  Ankara"
positions:
  - id: trump-on-turkiye
    holder: donald-trump
    target: turkiye
    stance: support
    quote: "said 𝒯𝓊𝓇𝓀𝒾𝓎ℯ matters"
    cameo: "051"
demands: []
"""


def add_trap_article(seeds: Path) -> None:
    """Put the offset-trap article into a seeds folder."""
    (seeds / "texts" / f"{TRAP_ID}.txt").write_bytes(TRAP_TEXT.encode("utf-8"))
    (seeds / "annotations" / f"{TRAP_ID}.yaml").write_text(TRAP_YAML, encoding="utf-8")


def empty_layers(seeds: Path) -> None:
    """Remove every span entry of every annotation file (the rest of each file stays)."""
    y = round_trip_yaml()
    for path in sorted((seeds / "annotations").glob("*.yaml")):
        data = y.load(path.read_text(encoding="utf-8"))
        for layer in layers():
            if layer.name in data:
                data[layer.name] = []
        buf = io.StringIO()
        y.dump(data, buf)
        path.write_text(buf.getvalue(), encoding="utf-8")


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def built(seeds: Path, out: Path) -> dict[str, bytes]:
    """Build ``seeds`` into ``out`` (in-process, no cache) and return its files."""
    result = build(seeds, out, use_cache=False)
    assert result.written, result.report.render()
    return files_of(out)


def export_of_seeds(root: Path, fmt: str, out: str) -> tuple[Path, Path, dict[str, bytes]]:
    """The repository's seeds copied under ``root`` with the offset-trap article, exported in ``fmt`` to
    ``root / out``: the seeds, the export folder and the files of their build (what a round trip must give)."""
    seeds = root / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    add_trap_article(seeds)
    dataset = built(seeds, root / "dataset")
    export_annotations(fmt, root / out, seeds)
    return seeds, root / out, dataset


def imported_afresh(fmt: str, path: Path, seeds: Path, tmp_path: Path) -> tuple[list, Path]:
    """Import ``path`` in ``fmt`` into a copy of ``seeds`` whose span layers were emptied (so every entry comes
    back from the tool, none is kept from the old files): the plans and the copy."""
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    empty_layers(copy)
    return import_annotations(fmt, path, copy), copy


def refused(fmt: str, path: Path, seeds: Path) -> UserError:
    """The UserError importing ``path`` into ``seeds`` raises; checks that no file of ``seeds`` changed."""
    before = files_of(seeds)
    try:
        import_annotations(fmt, path, seeds)
    except UserError as exc:
        assert files_of(seeds) == before  # not even the good articles were written
        return exc
    raise AssertionError(f"importing {path} was not refused")


def only_the_latter_removed(fmt: str, path: Path, seeds: Path) -> None:
    """Import ``path`` (the readout with the span 'the latter' deleted in the tool) into ``seeds``: the
    readout's file loses exactly the line of that mention, and every other byte of every file stays
    (its header's ``title: null``, ``outlet: null``, ... included)."""
    readout = f"annotations/{READOUT_ID}.yaml"
    before = files_of(seeds)
    assert before[readout].count(THE_LATTER) == 1 and b"\n  title: null\n  outlet: null\n" in before[readout]
    import_annotations(fmt, path, seeds)
    assert files_of(seeds) == {**before, readout: before[readout].replace(THE_LATTER, b"")}
