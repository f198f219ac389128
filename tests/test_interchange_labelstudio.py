"""Label Studio: export -> (the tool's JSON export) -> import -> build gives the dataset byte for byte;
offsets are UTF-16 code units; a text annotated by hand in Label Studio's export format imports and
builds; every refusal leaves the sources as they were."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from diplonews.api import build, export_annotations, import_annotations, new_article
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

REPO = Path(__file__).resolve().parent.parent


def units(text: str) -> int:
    """Length in UTF-16 code units, as JavaScript counts (computed here without the code under test)."""
    return len(text.encode("utf-16-le")) // 2


def as_exported(tasks: list[dict]) -> list[dict]:
    """Tasks as Label Studio's JSON export gives them back: IDs, annotation metadata."""
    out = copy.deepcopy(tasks)
    for n, t in enumerate(out, 1):
        t["id"] = n
        for a in t["annotations"]:
            a.update({"id": 100 + n, "completed_by": 1, "was_cancelled": False, "lead_time": 12.5,
                      "created_at": "2025-04-02T10:00:00.000000Z", "updated_at": "2025-04-02T10:00:00.000000Z"})
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("ls")
    seeds, _, dataset = export_of_seeds(root, "labelstudio", "ls")
    tasks = json.loads((root / "ls" / "tasks.json").read_text(encoding="utf-8"))
    (root / "export.json").write_text(json.dumps(as_exported(tasks), ensure_ascii=False), encoding="utf-8")
    return seeds, root, dataset


def test_round_trip_gives_the_same_dataset(exported, tmp_path):
    seeds, root, dataset = exported
    plans, copy_ = imported_afresh("labelstudio", root / "export.json", seeds, tmp_path)
    assert len(plans) == 6 and all(p.data is not None for p in plans)
    assert built(copy_, tmp_path / "dataset") == dataset


def test_offsets_are_utf16_code_units(exported):
    _, root, _ = exported
    tasks = json.loads((root / "ls" / "tasks.json").read_text(encoding="utf-8"))
    trap = next(t for t in tasks if t["data"]["article_id"] == TRAP_ID)
    assert trap["data"]["text"] == TRAP_TEXT
    spans = [r["value"] for r in trap["annotations"][0]["result"] if r["type"] == "labels"]
    for v in spans:
        start = len(TRAP_TEXT.encode("utf-16-le")[: v["start"] * 2].decode("utf-16-le"))
        end = len(TRAP_TEXT.encode("utf-16-le")[: v["end"] * 2].decode("utf-16-le"))
        assert TRAP_TEXT[start:end] == v["text"]
    erdogan = next(v for v in spans if v["text"] == "Recep Tayyip Erdoğan")
    # before it: an emoji and three mathematical bold letters, two code units each
    assert erdogan["start"] == TRAP_TEXT.index("Recep") + 4


def test_the_config_is_well_formed_and_lists_registry_ids_with_labels(exported):
    _, root, _ = exported
    tree = ET.parse(root / "ls" / "labeling-config.xml").getroot()
    assert [label.get("value") for label in tree.find("Labels")] == [
        "ActorMention", "EventMention", "Position", "Demand", "Source", "EventRelation", "Erratum"]
    holder = tree.find(".//Choices[@name='Position.holder']")
    erdogan = holder.find("Choice[@alias='recep-tayyip-erdogan']")
    assert erdogan.get("value") == "Recep Tayyip Erdoğan (recep-tayyip-erdogan)"
    stance = tree.find(".//Choices[@name='Position.stance']")
    assert [c.get("value") for c in stance] == ["support", "oppose", "neutral", "mixed"]
    assert {r.get("value") for r in tree.find("Relations")} >= {"holder", "target", "claimant", "addressee", "event",
                                                                "source", "via", "source_event", "target_event"}
    # a local link is a relation only; a date a text area that says how to write it
    assert tree.find(".//*[@name='EventMention.source']") is None
    assert tree.find(".//TextArea[@name='EventMention.denial_scope_start']").get("placeholder") == "YYYY-MM-DD"
    kinds = tree.find(".//Choices[@name='Erratum.kind']")
    assert "anachronism" in [c.get("value") for c in kinds]


@pytest.mark.skipif(not os.environ.get("LABEL_STUDIO_SDK_PYTHON"),
                    reason="label-studio-sdk is not in the test extra (it pins numpy below ours); set "
                           "LABEL_STUDIO_SDK_PYTHON to a Python that has it to run this check")
def test_label_studio_sdk_accepts_the_config_and_every_annotation(exported):
    _, root, _ = exported
    check = REPO / "tests" / "labelstudio_sdk_check.py"
    done = subprocess.run([os.environ["LABEL_STUDIO_SDK_PYTHON"], str(check), str(root / "ls")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tasks 6 with errors 0" in done.stdout


@pytest.mark.skipif(not os.environ.get("LABEL_STUDIO_PYTHON"),
                    reason="the Label Studio server is not in the test extra (about 1 GB, 2 minutes to install, "
                           "2.5 minutes to start the first time); set LABEL_STUDIO_PYTHON to the Python of an "
                           "environment that has label-studio to run this test")
def test_label_studio_server_round_trip(exported, tmp_path):
    """A project made from our config in a real Label Studio on 127.0.0.1; its JSON export imports back
    into seeds with every layer emptied and builds the same dataset."""
    import socket
    import time
    import urllib.request

    seeds, root, dataset = exported
    python = Path(os.environ["LABEL_STUDIO_PYTHON"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    email, password = "annotator@example.org", "diplonews-test-password"
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(tmp_path / "ls-data"), "LABEL_STUDIO_USERNAME": email,
           "LABEL_STUDIO_PASSWORD": password, "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen([str(python.parent / "label-studio"), "start", "--no-browser", "--host", "127.0.0.1",
                               "--internal-host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()[-2000:]
            time.sleep(2)
        out = tmp_path / "export.json"
        done = subprocess.run([str(python), str(REPO / "tests" / "labelstudio_server_check.py"), base, email, password,
                               str(root / "ls"), str(out)], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    copy_ = tmp_path / "seeds"
    shutil.copytree(seeds, copy_)
    empty_layers(copy_)
    assert len(import_annotations("labelstudio", out, copy_)) == 6
    assert built(copy_, tmp_path / "dataset") == dataset


NEW_TEXT = ("Ankara 🇹🇷, 2 April 2025 — Turkish Foreign Minister Hakan Fidan told Marco Rubio on Wednesday that "
            "Türkiye wants the F-35 programme reopened.\r\nFidan urged Washington to lift CAATSA sanctions 𝐧𝐨𝐰.\r\n")


def test_a_text_annotated_by_hand_in_label_studio_imports_and_builds(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    text_file = tmp_path / "fidan-rubio.txt"
    text_file.write_bytes(NEW_TEXT.encode("utf-8"))
    made = new_article(seeds, text_file, date=__import__("datetime").date(2025, 4, 2), article_id="2025-04-02-fidan-rubio")

    def at(quote: str, nth: int = 1) -> dict:
        i = -1
        for _ in range(nth):
            i = NEW_TEXT.index(quote, i + 1)
        return {"start": units(NEW_TEXT[:i]), "end": units(NEW_TEXT[:i]) + units(quote), "text": quote}

    def span(rid: str, label: str, quote: str, nth: int = 1) -> dict:
        return {"id": rid, "from_name": "layer", "to_name": "text", "type": "labels", "origin": "manual",
                "value": {**at(quote, nth), "labels": [label]}}

    def choose(rid: str, control: str, quote: str, value: str, nth: int = 1) -> dict:
        return {"id": rid, "from_name": control, "to_name": "text", "type": "choices", "origin": "manual",
                "value": {**at(quote, nth), "choices": [value]}}

    action = "lift CAATSA sanctions"
    demand_quote = "Fidan urged Washington to lift CAATSA sanctions 𝐧𝐨𝐰"
    position_quote = "Türkiye wants the F-35 programme reopened"
    result = [
        span("a1", "ActorMention", "Hakan Fidan"), choose("a1", "ActorMention.actor", "Hakan Fidan", "hakan-fidan"),
        span("a2", "ActorMention", "Marco Rubio"), choose("a2", "ActorMention.actor", "Marco Rubio", "marco-rubio"),
        span("a3", "ActorMention", "Türkiye"), choose("a3", "ActorMention.actor", "Türkiye", "turkiye"),
        span("a4", "ActorMention", "Fidan", 2), choose("a4", "ActorMention.actor", "Fidan", "hakan-fidan", 2),
        span("a5", "ActorMention", "Washington"), choose("a5", "ActorMention.actor", "Washington", "us-government"),
        span("p1", "Position", position_quote),
        choose("p1", "Position.stance", position_quote, "support"),
        choose("p1", "Position.topic", position_quote, "f-35-program"),
        {"id": "p1", "from_name": "Position.cameo", "to_name": "text", "type": "textarea", "origin": "manual",
         "value": {**at(position_quote), "text": ["0312"]}},
        span("d1", "Demand", demand_quote),
        choose("d1", "Demand.topic", demand_quote, "caatsa-sanctions"),
        {"id": "d1", "from_name": "Demand.action", "to_name": "text", "type": "textarea", "origin": "manual",
         "value": {**at(demand_quote), "text": [action]}},
        # links drawn as relations, the way one links regions in Label Studio
        {"type": "relation", "from_id": "p1", "to_id": "a3", "direction": "right", "labels": ["holder"]},
        {"type": "relation", "from_id": "d1", "to_id": "a4", "direction": "right", "labels": ["claimant"]},
        {"type": "relation", "from_id": "d1", "to_id": "a5", "direction": "right", "labels": ["addressee"]},
    ]
    export = [{"id": 7, "data": {"text": NEW_TEXT}, "annotations": [
        {"id": 31, "completed_by": 1, "was_cancelled": False, "ground_truth": False, "result": result,
         "created_at": "2025-04-02T10:00:00Z", "updated_at": "2025-04-02T10:05:00Z", "lead_time": 300.0}],
        "predictions": [], "meta": {}, "created_at": "2025-04-02T09:58:00Z", "project": 3}]
    path = tmp_path / "project-3-at-2025-04-02.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    assert main(["import", "--format", "labelstudio", str(path), "--seeds", str(seeds)]) == 0
    printed = capsys.readouterr().out
    assert "actor_mentions: 5 added, 0 removed, 0 changed, 0 unchanged" in printed
    assert "suggestions: 5 confirmed in the tool" in printed
    written = made.annotation_path.read_text(encoding="utf-8")
    assert '- {kind: "actor_mention", actor: "turkiye-government", quote: "Ankara"}' in written  # not annotated: kept
    assert '"actor_mention", actor: "hakan-fidan"' not in written
    assert "  - id: hakan-fidan-us-government-caatsa-sanctions\n    claimant: hakan-fidan\n" in written
    result_ = build(seeds, tmp_path / "dataset", use_cache=False)
    assert result_.written, result_.report.render()
    import pyarrow.parquet as pq

    demands = pq.read_table(tmp_path / "dataset" / "parquet" / "demands.parquet").to_pylist()
    mine = [d for d in demands if d["article_id"] == made.article_id]
    assert [(d["claimant_actor_id"], d["addressee_actor_id"], d["action"], d["quote"]) for d in mine] == [
        ("hakan-fidan", "us-government", action, demand_quote)]
    positions = pq.read_table(tmp_path / "dataset" / "parquet" / "positions.parquet").to_pylist()
    assert [(p["actor_id"], p["topic_id"], p["stance"]) for p in positions if p["article_id"] == made.article_id] == [
        ("turkiye", "f-35-program", "support")]


def _broken(exported, tmp_path, edit) -> tuple[Path, Path]:
    seeds, root, _ = exported
    copy_ = tmp_path / "seeds"
    shutil.copytree(seeds, copy_)
    empty_layers(copy_)
    tasks = json.loads((root / "export.json").read_text(encoding="utf-8"))
    trap = next(t for t in tasks if t["data"]["article_id"] == TRAP_ID)
    text = edit(tasks, trap)
    path = tmp_path / "export.json"
    path.write_text(text if isinstance(text, str) else json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return copy_, path


def _region(trap: dict, text: str) -> dict:
    return next(r for r in trap["annotations"][0]["result"] if r["type"] == "labels" and r["value"]["text"] == text)


def _set(d: dict, **kw) -> None:
    d.update(kw)


REFUSALS = {
    "text differs": (lambda ts, t: _set(t["data"], text=t["data"]["text"].replace("\r\n", "\n")),
                     "differs from the corpus text"),
    "surrogate": (lambda ts, t: _set(_region(t, "🙂Trump😀")["value"], start=_region(t, "🙂Trump😀")["value"]["start"] + 1),
                  "splits the surrogate pair"),
    "outside": (lambda ts, t: _set(_region(t, "Ankara")["value"], end=10**6), "outside the text"),
    "moved": (lambda ts, t: _set(_region(t, "Ankara")["value"], start=_region(t, "Ankara")["value"]["start"] + 1),
              "moved"),
    "unknown label": (lambda ts, t: _set(_region(t, "Ankara")["value"], labels=["Actor"]), "unknown label 'Actor'"),
    "unknown ID": (lambda ts, t: next(r for r in t["annotations"][0]["result"] if r["from_name"] == "ActorMention.actor"
                                      and r["value"]["choices"] == ["turkiye-government"])["value"].update(
        choices=["turkey-govt"]), "is not in the actors registry"),
    "two annotations": (lambda ts, t: t["annotations"].append(copy.deepcopy(t["annotations"][0])), "2 annotations"),
    "truncated": (lambda ts, t: json.dumps(ts)[:5000], "not a JSON export"),
    "no text": (lambda ts, t: t.pop("data"), "no data.text"),
    # a local link (source) is a relation to a Source region, which names it by its id
    "source drawn to a mention": (lambda ts, t: _source_relation(ts).update(to_id=_readout_region(ts, "ActorMention")),
                                  "relation 'source' does not link a span to a mention of what it refers to"),
    "source without its id": (lambda ts, t: _readout(ts)["annotations"][0]["result"].remove(next(
        r for r in _readout(ts)["annotations"][0]["result"] if r["from_name"] == "Source.id"
        and r["id"] == _source_relation(ts)["to_id"])), "relation 'source' points at a Source without its id"),
}


def _readout(ts: list) -> dict:
    return next(t for t in ts if t["data"]["article_id"] == "2025-03-16-erdogan-trump-call-readout")


def _readout_region(ts: list, label: str) -> str:
    return next(r["id"] for r in _readout(ts)["annotations"][0]["result"] if r["type"] == "labels"
                and r["value"]["labels"] == [label])


def _source_relation(ts: list) -> dict:
    return next(r for r in _readout(ts)["annotations"][0]["result"] if r["type"] == "relation"
                and r["labels"] == ["source"])


def test_a_region_deleted_in_label_studio_removes_its_line_and_nothing_else(exported, tmp_path):
    seeds, root, _ = exported
    copy_ = tmp_path / "seeds"
    shutil.copytree(seeds, copy_)
    tasks = json.loads((root / "export.json").read_text(encoding="utf-8"))
    result = _readout(tasks)["annotations"][0]["result"]
    region = next(r["id"] for r in result if r["type"] == "labels" and r["value"]["text"] == "the latter")
    # the region's label, its fields (same id) and any relation from or to it
    result[:] = [r for r in result if region not in (r.get("id"), r.get("from_id"), r.get("to_id"))]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    only_the_latter_removed("labelstudio", path, copy_)


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_change_nothing(exported, tmp_path, case):
    edit, message = REFUSALS[case]
    copy_, path = _broken(exported, tmp_path, edit)
    error = refused("labelstudio", path, copy_)
    assert message in error.message, error.message


def _bare_task_export(tmp_path: Path, text: str, extra_task: dict | None = None) -> Path:
    """A Label Studio export of a text uploaded by itself (no article_id) with one actor mention."""
    quote = "Hakan Fidan"
    i = text.index(quote)
    where = {"start": units(text[:i]), "end": units(text[:i]) + units(quote), "text": quote}
    result = [{"id": "x1", "from_name": "layer", "to_name": "text", "type": "labels",
               "value": {**where, "labels": ["ActorMention"]}},
              {"id": "x1", "from_name": "ActorMention.actor", "to_name": "text", "type": "choices",
               "value": {**where, "choices": ["hakan-fidan"]}}]
    tasks = [{"id": 1, "data": {"text": text}, "annotations": [{"id": 1, "was_cancelled": False, "result": result}]}]
    if extra_task:
        tasks.append(extra_task)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_new_text_is_added_by_the_import_when_given_its_date(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    path = _bare_task_export(tmp_path, NEW_TEXT)
    before = files_of(seeds)
    assert main(["import", "--format", "labelstudio", str(path), "--seeds", str(seeds)]) == 1
    assert "give its date: --date" in capsys.readouterr().err
    assert files_of(seeds) == before
    assert main(["import", "--format", "labelstudio", str(path), "--seeds", str(seeds), "--date", "2025-04-02",
                 "--title", "Fidan tells Rubio"]) == 0
    printed = capsys.readouterr().out
    assert "(new article: its text is now in the corpus)" in printed
    added = seeds / "annotations" / "2025-04-02-fidan-tells-rubio.yaml"
    assert (seeds / "texts" / "2025-04-02-fidan-tells-rubio.txt").read_bytes() == NEW_TEXT.encode("utf-8")
    written = added.read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server") and "# Annotation file for one article." in written
    assert '  - {actor: hakan-fidan, quote: "Hakan Fidan"}' in written
    assert "\n  outlet: null\n" in written and "\n  rights_basis: null\n" in written  # as diplonews new wrote them
    assert build(seeds, tmp_path / "dataset", use_cache=False).written


def test_a_new_text_is_not_left_behind_when_the_import_is_refused(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    broken = {"id": 2, "data": {"text": "Another text about Hakan Fidan.\n"}, "annotations": [
        {"id": 2, "was_cancelled": False, "result": [{"id": "y", "from_name": "layer", "to_name": "text",
                                                      "type": "labels", "value": {"start": 0, "end": 7,
                                                                                 "labels": ["Actor"]}}]}]}
    path = _bare_task_export(tmp_path, NEW_TEXT, broken)
    before = files_of(seeds)
    with pytest.raises(UserError, match="unknown label 'Actor'"):
        import_annotations("labelstudio", path, seeds, date=__import__("datetime").date(2025, 4, 2))
    assert files_of(seeds) == before


def test_open_suggestions_travel_as_a_prediction_and_accepting_them_confirms_them(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    text_file = tmp_path / "fidan.txt"
    text_file.write_bytes(NEW_TEXT.encode("utf-8"))
    made = new_article(seeds, text_file, date=__import__("datetime").date(2025, 4, 2), article_id="2025-04-02-fidan")
    export_annotations("labelstudio", tmp_path / "ls", seeds, [made.article_id])
    (task,) = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    assert task["annotations"][0]["result"] == []
    predicted = task["predictions"][0]["result"]
    offered = [r["value"]["choices"][0] for r in predicted if r["from_name"] == "ActorMention.actor"]
    suggested = [line for line in made.annotation_path.read_text(encoding="utf-8").splitlines()
                 if '{kind: "actor_mention"' in line]
    assert len(offered) == len(suggested) >= 5 and "hakan-fidan" in offered
    # the annotator accepts the prediction as it is: Label Studio copies it into the annotation
    task["annotations"][0]["result"] = predicted
    path = tmp_path / "export.json"
    path.write_text(json.dumps(as_exported([task]), ensure_ascii=False), encoding="utf-8")
    import_annotations("labelstudio", path, seeds)
    written = made.annotation_path.read_text(encoding="utf-8")
    assert '{kind: "actor_mention"' not in written
    assert "actor_mentions:\n  - {actor: " in written
    assert build(seeds, tmp_path / "dataset", use_cache=False).written


def test_a_new_id_written_in_label_studio_is_kept_and_listed_never_registered(exported, tmp_path, capsys):
    def new_actor(tasks, trap):
        result = trap["annotations"][0]["result"]
        choice = next(r for r in result if r["from_name"] == "ActorMention.actor"
                      and r["value"]["choices"] == ["turkiye-government"])
        result[result.index(choice)] = {"id": choice["id"], "from_name": "ActorMention.actor.new", "to_name": "text",
                                        "type": "textarea", "value": {"start": choice["value"]["start"],
                                                                      "end": choice["value"]["end"],
                                                                      "text": ["ankara-municipality"]}}

    copy_, path = _broken(exported, tmp_path, new_actor)
    registry = (copy_ / "registry" / "actors.yaml").read_bytes()
    assert main(["import", "--format", "labelstudio", str(path), "--seeds", str(copy_)]) == 0
    assert "diplonews actor add --id ankara-municipality --name 'Ankara'" in capsys.readouterr().out
    assert (copy_ / "registry" / "actors.yaml").read_bytes() == registry
    written = (copy_ / "annotations" / f"{TRAP_ID}.yaml").read_text(encoding="utf-8")
    assert '{actor: ankara-municipality, quote: "Ankara"}' in written
    # exported again before it is registered, it stays a new ID (not a select value Label Studio lacks)
    export_annotations("labelstudio", tmp_path / "again", copy_, [TRAP_ID])
    (task,) = json.loads((tmp_path / "again" / "tasks.json").read_text(encoding="utf-8"))
    assert any(r["from_name"] == "ActorMention.actor.new" and r["value"]["text"] == ["ankara-municipality"]
               for r in task["annotations"][0]["result"])
    again = tmp_path / "again.json"
    again.write_text(json.dumps(as_exported([task]), ensure_ascii=False), encoding="utf-8")
    assert [p.data for p in import_annotations("labelstudio", again, copy_)] == [None]


def test_several_addressees_keep_their_order_when_one_is_not_yet_registered(tmp_path):
    """The first addressee is the demand's addressee_actor_id: a list that mixes a new ID with registered
    ones comes back in the order written (a select and a text area side by side would put the new last)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    path = seeds / "annotations" / "2025-03-26-fidan-washington-visit-talks.yaml"
    text = path.read_text(encoding="utf-8")
    mixed = "addressee: [zz-new-office, marco-rubio, us-government]"
    path.write_text(text.replace("addressee: [marco-rubio, us-government]", mixed, 1), encoding="utf-8")
    article = "2025-03-26-fidan-washington-visit-talks"
    export_annotations("labelstudio", tmp_path / "out", seeds, [article])
    (task,) = json.loads((tmp_path / "out" / "tasks.json").read_text(encoding="utf-8"))
    exported = tmp_path / "exported.json"
    exported.write_text(json.dumps(as_exported([task]), ensure_ascii=False), encoding="utf-8")
    import_annotations("labelstudio", exported, seeds)
    assert path.read_text(encoding="utf-8").count(mixed) == 1
