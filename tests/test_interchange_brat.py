"""brat standoff: export -> import -> build gives the dataset byte for byte; an independent reader
(bratly) reads what we write; every refusal leaves the sources as they were."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from diplonews.api import export_annotations, import_annotations, import_summary
from diplonews.builders.interchange.to_yaml import ImportRefused
from diplonews.cli import main
from diplonews.errors import UserError

from tests.interchange_support import (
    TRAP_ID,
    TRAP_TEXT,
    built,
    empty_layers,
    export_of_seeds,
    files_of,
    imported_afresh,
    only_the_latter_removed,
    refused,
)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    """Seeds with the offset-trap article, its build, and its brat export."""
    return export_of_seeds(tmp_path_factory.mktemp("brat"), "brat", "brat")


def test_round_trip_gives_the_same_dataset(exported, tmp_path):
    seeds, brat, dataset = exported
    plans, copy = imported_afresh("brat", brat, seeds, tmp_path)
    assert all(p.data is not None for p in plans) and len(plans) == 6
    assert built(copy, tmp_path / "dataset") == dataset
    kept = (copy / "annotations" / f"{TRAP_ID}.yaml").read_text(encoding="utf-8")
    assert "# a hand-written comment that an import must keep" in kept


def test_import_of_an_unchanged_export_writes_nothing(exported, tmp_path):
    seeds, brat, _ = exported
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    before = files_of(copy)
    plans = import_annotations("brat", brat, copy)
    assert [p.data for p in plans] == [None] * 6
    assert files_of(copy) == before
    assert all(line.endswith(": unchanged") for line in import_summary(plans))


def test_offsets_are_code_points_and_spans_over_line_breaks_are_fragments(exported):
    _, brat, _ = exported
    assert (brat / f"{TRAP_ID}.txt").read_bytes() == TRAP_TEXT.encode("utf-8")
    lines = (brat / f"{TRAP_ID}.ann").read_text(encoding="utf-8").splitlines()
    spans = [line.split("\t") for line in lines if line.startswith("T")]
    for _, where, text in spans:
        frags = [tuple(map(int, f.split())) for f in where.split(" ", 1)[1].split(";")]
        assert " ".join(TRAP_TEXT[s:e] for s, e in frags) == text
    crlf = next(s for s in spans if s[1].startswith("EventMention"))
    assert ";" in crlf[1] and crlf[2] == "met  Donald Trump in  Ankara"
    assert any(s[2] == "🙂Trump😀" for s in spans)


def test_an_independent_brat_reader_reads_the_export(exported):
    from bratly.io import read_and_load_ann_file

    from bratly import AttributeAnnotation, EntityAnnotation, NoteAnnotation

    _, brat, _ = exported
    for ann in sorted(brat.glob("*.ann")):
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        ours = ann.read_text(encoding="utf-8").splitlines()
        # bratly's grammar check wants normalization IDs of word characters only, which brat itself
        # does not ask (its IDs are any text after DB:); our IDs are slugs with hyphens.
        collection = read_and_load_ann_file(str(ann), no_duplicates=False, sorting=False, renumerotize=False,
                                            grammar_check=False)
        entities = [a for a in collection.annotations if isinstance(a, EntityAnnotation)]
        assert len(entities) == sum(line.startswith("T") for line in ours)
        for e in entities:
            assert " ".join(text[f.start:f.end] for f in e.fragments) == e.content
        attributes = [a for a in collection.annotations if isinstance(a, AttributeAnnotation)]
        assert len(attributes) == sum(line.startswith("A") for line in ours)
        notes = [a for a in collection.annotations if isinstance(a, NoteAnnotation)]
        assert len(notes) == sum(line.startswith("#") for line in ours)


def test_configuration_lists_every_layer_and_choice(exported):
    _, brat, _ = exported
    conf = (brat / "annotation.conf").read_text(encoding="utf-8")
    for label in ("ActorMention", "EventMention", "Position", "Demand"):
        assert f"\n{label}\n" in conf
    assert "stance Arg:Position, Value:support|oppose|neutral|mixed" in conf
    assert "holder Arg1:Position, Arg2:ActorMention" in conf
    assert "[labels]" in (brat / "visual.conf").read_text(encoding="utf-8")
    assert "recep-tayyip-erdogan\tname:Name:Recep Tayyip Erdoğan" in (brat / "norm" / "actors.txt").read_text(encoding="utf-8")


def _broken(exported, tmp_path, edit) -> tuple[Path, Path]:
    seeds, brat, _ = exported
    copy, folder = tmp_path / "seeds", tmp_path / "brat"
    shutil.copytree(seeds, copy)
    shutil.copytree(brat, folder)
    empty_layers(copy)
    edit(folder)
    return copy, folder


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_bytes().decode("utf-8")  # as bytes: CRLF line ends stay as they are
    assert old in text
    path.write_bytes(text.replace(old, new, count).encode("utf-8"))


TRAP_ANN = f"{TRAP_ID}.ann"
READOUT = "2025-03-16-erdogan-trump-call-readout.ann"
REFUSALS = {
    "text differs": (lambda f: _replace(f / f"{TRAP_ID}.txt", "peace", "Peace"), "differs from the corpus text"),
    "outside": (lambda f: _replace(f / TRAP_ANN, "\tActorMention ", "\tActorMention 9999"), "outside the text"),
    "moved": (lambda f: _replace(f / TRAP_ANN, "\tAnkara\n", "\tAnkar\n"), "it was moved"),
    "unknown label": (lambda f: _replace(f / TRAP_ANN, "ActorMention", "Actor"), "unknown span type 'Actor'"),
    "unknown ID": (lambda f: _replace(f / TRAP_ANN, "actor:turkiye-government", "actor:turkey-govt"),
                   "is not in the actors registry (did you mean 'turkiye-government'?)"),
    "unknown choice": (lambda f: _replace(f / TRAP_ANN, "stance T", "stance T", 1) or _replace(
        f / TRAP_ANN, " support\n", " endorse\n"), "stance 'endorse' is not one of"),
    "truncated": (lambda f: (f / TRAP_ANN).write_bytes((f / TRAP_ANN).read_bytes()[:21]), "truncated?"),
    "cut inside a character": (lambda f: (f / TRAP_ANN).write_bytes((f / TRAP_ANN).read_bytes()[:40]), "truncated, or"),
    "dangling": (lambda f: _replace(f / TRAP_ANN, "Reference T1 ", "Reference T99 "), "not a span of this file"),
    "twice": (lambda f: _replace(f / TRAP_ANN, "T1\t", "T99\tActorMention 23 43\tRecep Tayyip Erdoğan\n"
                                 "N99\tReference T99 actor:recep-tayyip-erdogan\tRecep Tayyip Erdoğan\nT1\t"),
              "annotated twice"),
    "link of another layer": (lambda f: _replace(f / TRAP_ANN, "Reference T1 actor:", "Reference T1 holder:"),
                              "'holder' is not a link of ActorMention"),
    "malformed note": (lambda f: _replace(f / TRAP_ANN, '{"id": "trump-on-turkiye", "cameo": "051"}', '{"id": '),
                       "not a JSON object"),
    # local links (source, via) name entries of the sources layer of the same file
    "unknown source": (lambda f: (f / READOUT).write_bytes((f / READOUT).read_bytes()
                                                            + f'#99\tAnnotatorNotes {_span(f, "EventMention")}\t'
                                                              '{"source": "no-such-source"}\n'.encode("utf-8")),
                       f"{READOUT}:83 (T40): source 'no-such-source' is no Source of this document"),
    "source drawn to a mention": (lambda f: _replace(f / READOUT, f"Arg2:{_span(f, 'Source')}\n",
                                                     f"Arg2:{_span(f, 'ActorMention')}\n"),
                                  "relation 'source' from EventMention to ActorMention is not a link"),
    "source without its id": (lambda f: _drop_note(f / READOUT, _span(f, "Source")),
                              "points at a Source without its id"),
}


def _span(folder: Path, label: str) -> str:
    """The first span of type ``label`` in the readout's .ann."""
    lines = (folder / READOUT).read_text(encoding="utf-8").splitlines()
    return next(x.split("\t")[0] for x in lines if x.startswith("T") and x.split("\t")[1].startswith(label + " "))


def _drop_note(path: Path, span: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    note = next(x for x in lines if x.startswith("#") and f"AnnotatorNotes {span}\t" in x)
    path.write_text("".join(x for x in lines if x != note), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_change_nothing(exported, tmp_path, case):
    edit, message = REFUSALS[case]
    copy, folder = _broken(exported, tmp_path, edit)
    error = refused("brat", folder, copy)
    assert message in error.message, error.message
    assert isinstance(error, ImportRefused) or "nothing was changed" in error.message


def test_a_new_actor_is_listed_with_its_command_never_registered(exported, tmp_path, capsys):
    copy, folder = _broken(exported, tmp_path, lambda f: _replace(
        f / TRAP_ANN, "actor:turkiye-government\tGovernment of Türkiye", "actor:new:ankara-municipality\tAnkara"))
    registry = (copy / "registry" / "actors.yaml").read_bytes()
    assert main(["import", "--format", "brat", str(folder), "--seeds", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "diplonews actor add --id ankara-municipality --name 'Ankara' --type TYPE" in out
    assert f"[--alias ...] --seeds {copy}" in out  # it registers in the seeds folder imported into, not ./seeds
    assert (copy / "registry" / "actors.yaml").read_bytes() == registry
    assert "{actor: ankara-municipality, quote: \"Ankara\"}" in (copy / "annotations" / f"{TRAP_ID}.yaml").read_text()


def test_cli_export_and_a_change_made_in_brat(exported, tmp_path, capsys):
    seeds, _, _ = exported
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    out = tmp_path / "out"
    assert main(["export", "--format", "brat", "--article", TRAP_ID, "--seeds", str(copy), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.glob("*.ann")) == [TRAP_ANN]
    # the annotator changes a stance and deletes a mention in brat
    _replace(out / TRAP_ANN, " support\n", " oppose\n")
    lines = (out / TRAP_ANN).read_text(encoding="utf-8").splitlines(keepends=True)
    t3 = next(line for line in lines if line.startswith("T3\t"))
    (out / TRAP_ANN).write_text("".join(x for x in lines if x != t3 and " T3 " not in x), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "--format", "brat", str(out), "--seeds", str(copy)]) == 0
    printed = capsys.readouterr().out
    assert "actor_mentions: 0 added, 1 removed, 0 changed, 5 unchanged" in printed
    assert "positions: 0 added, 0 removed, 1 changed, 0 unchanged" in printed
    yaml_text = (copy / "annotations" / f"{TRAP_ID}.yaml").read_text(encoding="utf-8")
    assert "stance: oppose" in yaml_text and '"Ankara"' not in yaml_text
    assert "# before: an emoji and bold letters" in yaml_text


def test_a_span_deleted_in_brat_removes_its_line_and_nothing_else(exported, tmp_path):
    seeds, brat, _ = exported
    copy, folder = tmp_path / "seeds", tmp_path / "brat"
    shutil.copytree(seeds, copy)
    shutil.copytree(brat, folder)
    lines = (folder / READOUT).read_bytes().decode("utf-8").splitlines(keepends=True)
    span = next(x.split("\t")[0] for x in lines if x.startswith("T") and x.endswith("\tthe latter\n"))
    # the span and every line naming it (its normalization; its note, attributes, arcs if it had them)
    kept = [x for x in lines if span not in re.split(r"[\t :]", x)]
    (folder / READOUT).write_bytes("".join(kept).encode("utf-8"))
    only_the_latter_removed("brat", folder, copy)


def test_export_never_writes_over_an_earlier_export(exported, tmp_path):
    seeds, _, _ = exported
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{TRAP_ID}.ann").write_text("T1\tActorMention 0 1\t🙂\n", encoding="utf-8")  # an annotator's work
    with pytest.raises(UserError, match="is not empty; nothing was written"):
        export_annotations("brat", out, seeds, [TRAP_ID])
    assert [p.name for p in out.iterdir()] == [TRAP_ANN]


def test_export_of_a_source_that_names_no_source_writes_nothing(exported, tmp_path):
    seeds, _, _ = exported
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    _replace(copy / "annotations" / f"{TRAP_ID}.yaml", "    stance: support\n",
             "    stance: support\n    source: trump-himself\n")
    with pytest.raises(UserError) as caught:
        export_annotations("brat", tmp_path / "out", copy, [TRAP_ID])
    assert f"{TRAP_ID}.yaml: positions[0]: source 'trump-himself' is no entry of sources" in caught.value.message
    assert not (tmp_path / "out").exists()


def test_export_of_an_unknown_article_writes_nothing(exported, tmp_path):
    seeds, _, _ = exported
    with pytest.raises(UserError, match="no article 'no-such-article'"):
        export_annotations("brat", tmp_path / "out", seeds, [TRAP_ID, "no-such-article"])
    assert not (tmp_path / "out").exists()


def test_a_link_drawn_as_a_relation_to_a_mention(exported, tmp_path):
    def relate(folder: Path) -> None:
        ann = (folder / TRAP_ANN).read_bytes().decode("utf-8")
        lines = ann.splitlines()
        position = next(x.split("\t")[0] for x in lines if x.startswith("T") and "\tPosition " in x)
        trump = next(x.split("\t")[0] for x in lines if x.startswith("T") and x.endswith("\t🙂Trump😀"))
        holder = next(x for x in lines if f"Reference {position} holder:" in x)
        lines[lines.index(holder)] = f"R1\tholder Arg1:{position} Arg2:{trump}"
        (folder / TRAP_ANN).write_bytes(("\n".join(lines) + "\n").encode("utf-8"))

    copy, folder = _broken(exported, tmp_path, relate)
    import_annotations("brat", folder, copy)
    assert built(copy, tmp_path / "dataset") == exported[2]


def test_a_default_left_out_in_the_tool_is_no_change(exported, tmp_path):
    seeds, brat, _ = exported
    copy, folder = tmp_path / "seeds", tmp_path / "brat"
    shutil.copytree(seeds, copy)
    shutil.copytree(brat, folder)
    ann = folder / "2025-03-16-erdogan-trump-call-readout.ann"
    lines = ann.read_bytes().decode("utf-8").splitlines(keepends=True)
    made = [x for x in lines if x.startswith("A") and "\tstatus " in x and x.endswith(" made\n")]
    assert made  # demands' status: made is the model's default
    ann.write_bytes("".join(x for x in lines if x not in made).encode("utf-8"))
    before = files_of(copy)
    plans = import_annotations("brat", folder, copy)
    assert [p.data for p in plans] == [None] * 6 and files_of(copy) == before


def test_an_unregistered_id_is_exported_as_new_and_comes_back_unchanged(exported, tmp_path, capsys):
    seeds, _, _ = exported
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    _replace(copy / "annotations" / f"{TRAP_ID}.yaml", "{actor: turkiye-government, quote: \"Ankara\"}",
             "{actor: ankara-municipality, quote: \"Ankara\"}")
    export_annotations("brat", tmp_path / "brat", copy, [TRAP_ID])
    assert "actor:new:ankara-municipality\tankara-municipality" in (tmp_path / "brat" / TRAP_ANN).read_text(encoding="utf-8")
    before = files_of(copy)
    assert main(["import", "--format", "brat", str(tmp_path / "brat"), "--seeds", str(copy)]) == 0
    assert files_of(copy) == before
    assert "diplonews actor add --id ankara-municipality" in capsys.readouterr().out


@pytest.mark.parametrize("out,why", [("afile", "is a file"), ("afile/brat", "lies under {file}, which is a file")])
def test_export_to_an_out_that_is_or_lies_under_a_file_is_refused_with_a_hint(repo, tmp_path, capsys, out, why):
    file = tmp_path / "afile"
    file.write_text("mine\n")
    assert main(["export", "--format", "brat", "--seeds", str(repo / "seeds"), "--out", str(tmp_path / out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: --out {tmp_path / out} {why.format(file=file)}; nothing was written",
        "  hint: give a folder (it is created if missing)"]
    assert list(tmp_path.iterdir()) == [file] and file.read_text() == "mine\n"
