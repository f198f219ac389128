"""The build: deterministic, equal to the committed dataset, valid Frictionless, loadable."""

from __future__ import annotations

import json
from pathlib import Path

from diplonews import api
from diplonews.builders.pipeline import build


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(repo, seed_build, tmp_path):
    again = tmp_path / "again"
    assert build(repo / "seeds", again).written
    assert _files(again) == _files(seed_build)


def test_committed_dataset_equals_fresh_build(repo, seed_build):
    committed, fresh = _files(repo / "dataset"), _files(seed_build)
    assert sorted(committed) == sorted(fresh)
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"dataset/ is stale; run 'make dataset' and commit: {stale}"


def test_sha256sums_cover_every_file(seed_build):
    from diplonews.files import sha256_file

    listed = dict(line.split("  ")[::-1] for line in (seed_build / "SHA256SUMS").read_text().splitlines())
    files = {n for n in _files(seed_build) if n != "SHA256SUMS"}
    assert set(listed) == files
    assert all(sha256_file(seed_build / n) == h for n, h in listed.items())


def test_frictionless_validates_the_package(seed_build):
    from frictionless import Package

    report = Package(str(seed_build / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_catches_a_broken_foreign_key(seed_build, tmp_path):
    import shutil

    from frictionless import Package

    copy = tmp_path / "ds"
    shutil.copytree(seed_build, copy)
    rows = json.loads((copy / "json" / "actor_mentions.json").read_text())
    rows[0]["actor_id"] = "no-such-actor"
    (copy / "json" / "actor_mentions.json").write_text(json.dumps(rows))
    report = Package(str(copy / "datapackage.json")).validate()
    assert not report.valid
    assert "foreign-key" in {e[0] for e in report.flatten(["type"])}


def test_card_counts_match_tables(seed_build):
    card = (seed_build / "README.md").read_text()
    for table in ("articles", "events", "demands"):
        n = len(json.loads((seed_build / "json" / f"{table}.json").read_text()))
        assert f"| `{table}` | {n} |" in card


def test_failed_validation_leaves_previous_dataset(repo, seeds_copy, tmp_path):
    out = tmp_path / "dataset"
    assert build(seeds_copy, out).written
    before = _files(out)
    # break a cross-table rule that only the SQL validators see: a demand addressed to its claimant
    ann = next((seeds_copy / "annotations").glob("2025-03-16-*.yaml"))
    text = ann.read_text(encoding="utf-8")
    i = text.index("claimant: ")
    claimant = text[i:].split("\n", 1)[0].split(": ", 1)[1]
    j = text.index("addressee: ", i)
    end = text.index("\n", j)
    ann.write_text(text[:j] + f"addressee: {claimant}" + text[end:], encoding="utf-8")
    result = build(seeds_copy, out)
    assert not result.written
    assert "demand_claimant_not_addressee" in result.report.by_rule()
    assert _files(out) == before
    assert not any(p.name.startswith(".dataset.build-") for p in tmp_path.iterdir())


def test_load_returns_arrow_backed_frames(seed_build):
    tables = api.load(seed_build)
    events = tables["events"]
    assert len(events) == len(json.loads((seed_build / "json" / "events.json").read_text()))
    assert all("pyarrow" in str(dtype) or "category" in str(dtype) for dtype in events.dtypes), events.dtypes
    assert str(events["date_start"].dtype).startswith("date32")


def test_load_gives_the_types_connect_gives_and_enums_sort(seed_build):
    # Enums came as dictionary ArrowDtype: sort_values, .str and min() on them raised, and connect() said VARCHAR.
    tables, con = api.load(seed_build), api.connect(seed_build)
    for name, frame in tables.items():
        schema = con.sql(f'SELECT * FROM "{name}" LIMIT 0').to_arrow_table().schema
        assert [(c, str(frame[c].dtype)) for c in frame] == [(f.name, f"{f.type}[pyarrow]") for f in schema], name
    events = tables["events"]
    assert events.sort_values("status")["status"].iloc[0] == events["status"].min() == "denied_for_period"
    assert set(events["status"].str.upper()) >= {"OCCURRED"}


def test_connect_answers_who_called_whom(seed_build):
    con = api.connect(seed_build)
    rows = con.execute(
        """
        SELECT e.date_start, string_agg(a.name, ' & ' ORDER BY a.name) AS who
        FROM events e JOIN event_participants p USING (event_id) JOIN actors a USING (actor_id)
        WHERE e.event_type = 'phone_call' AND e.status = 'occurred'
        GROUP BY e.event_id, e.date_start ORDER BY e.date_start
        """
    ).fetchall()
    assert [(str(d), who) for d, who in rows][:1] == [("2025-03-16", "Donald Trump & Recep Tayyip Erdoğan")]


def test_connect_answers_which_articles_report_the_same_event(seed_build):
    con = api.connect(seed_build)
    n = con.execute(
        "SELECT count(DISTINCT article_id) FROM event_mentions WHERE event_id = '2025-03-16-erdogan-trump-call'"
    ).fetchone()[0]
    assert n >= 4


def test_connect_answers_who_demanded_what_of_whom(seed_build):
    con = api.connect(seed_build)
    rows = con.execute(
        """
        SELECT d.action FROM demands d
        JOIN actors c ON c.actor_id = d.claimant_actor_id JOIN actors t ON t.actor_id = d.addressee_actor_id
        WHERE c.actor_id = 'recep-tayyip-erdogan' AND t.country_code = 'USA'
        """
    ).fetchall()
    assert any("CAATSA" in action for (action,) in rows), rows


def test_validate_cli_on_dataset_and_json_format(seed_build, capsys):
    from diplonews.cli import main

    assert main(["validate", str(seed_build), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["errors"] == 0 and "quote_matches_span" in report["rules_run"]


def test_broken_copy_fails_with_rule_named(seed_build, tmp_path, capsys):
    import shutil

    import pyarrow.parquet as pq

    from diplonews.builders.assemble import to_arrow
    from diplonews.builders.write.tables import write_parquet
    from diplonews.cli import main

    copy = tmp_path / "ds"
    shutil.copytree(seed_build, copy)
    rows = pq.read_table(copy / "parquet" / "positions.parquet").to_pylist()
    rows[0]["span_start"] += 1
    write_parquet(to_arrow("positions", rows), copy / "parquet" / "positions.parquet")
    assert main(["validate", str(copy)]) == 1
    assert "[quote_matches_span]" in capsys.readouterr().out




def test_readme_sql_examples_run(repo, seed_build):
    import re

    con = api.connect(seed_build)
    blocks = re.findall(r"```sql\n(.*?)```", (repo / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    for sql in blocks:
        assert con.execute(sql).fetchall(), sql


def _readme_statements(readme: str):
    """(SQL, shown output lines) of each statement of the README's SQL blocks: the output is the run of
    `-- ` lines right after the statement's closing `;` (a comment before a statement describes it)."""
    import re

    for block in re.findall(r"```sql\n(.*?)```", readme, re.S):
        sql, out, after = [], [], False
        for line in block.splitlines():
            if after:
                if line.startswith("--"):
                    out.append(line[2:])
                    continue
                yield "\n".join(sql), out
                sql, out, after = [], [], False
            if line.strip():
                sql.append(line)
                after = line.rstrip().endswith(";")
        if sql:
            yield "\n".join(sql), out


def test_readme_sql_examples_show_what_they_return(repo, seed_build):
    """The output printed under each README query is what it returns on the built dataset, cell by cell
    in order (layout aside: spaces and column bars are ignored, a header row of the column names may lead),
    so an example cannot go stale when the data changes."""
    import re

    def flat(text: str) -> str:
        return re.sub(r"[\s|]+", "", text)

    def cell(v: object) -> str:
        return "NULL" if v is None else str(v).lower() if isinstance(v, bool) else str(v)

    con = api.connect(seed_build)
    checked = 0
    for sql, shown in _readme_statements((repo / "README.md").read_text(encoding="utf-8")):
        if not shown:
            continue
        cur = con.execute(sql)
        header = flat("".join(d[0] for d in cur.description))
        actual = flat("".join(cell(v) for row in cur.fetchall() for v in row))
        assert flat("".join(shown)) in (actual, header + actual), sql.splitlines()[0]
        checked += 1
    assert checked >= 10


def test_load_and_connect_refuse_a_folder_without_tables(tmp_path):
    import pytest

    with pytest.raises(FileNotFoundError, match="no tables"):
        api.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="no tables"):
        api.connect(tmp_path)


def test_load_and_connect_refuse_a_file_with_a_hint(tmp_path):
    # A release archive given as the folder: 'cannot read <archive>/datapackage.json: Not a directory'.
    import pytest

    from diplonews.errors import UserError

    archive = tmp_path / "diplonews-data-2.0.0.tar.gz"
    archive.write_bytes(b"")
    for reader in (api.load, api.connect):
        with pytest.raises(UserError, match="is a file, not a dataset folder") as caught:
            reader(archive)
        assert "diplonews download" in caught.value.hint


def test_load_and_connect_read_a_folder_under_home_named_with_a_tilde(seed_build, monkeypatch):
    # pd.read_parquet('~/...') reads it; load('~/...') looked for a folder named '~'.
    monkeypatch.setenv("HOME", str(seed_build.parent))
    assert len(api.load(f"~/{seed_build.name}")["events"]) == len(api.load(seed_build)["events"])
    assert api.connect(f"~/{seed_build.name}").sql("SELECT count(*) FROM events").fetchall()[0][0] > 0


def test_connect_refuses_a_database_holding_a_table_of_a_view_name(seed_build, tmp_path):
    # DuckDB's CatalogException ('Existing object "events" is of type Table') came through.
    import duckdb
    import pytest

    from diplonews.errors import UserError

    database = str(tmp_path / "mine.duckdb")
    with duckdb.connect(database) as mine:
        mine.execute("CREATE TABLE events (x INTEGER)")
    with pytest.raises(UserError, match="already holds events, which is not a view") as caught:
        api.connect(seed_build, database=database)
    assert caught.value.hint
    with duckdb.connect(database) as mine:  # closed by connect(): the table kept, no view of the tables before
        assert mine.sql("SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() "
                        "WHERE NOT internal").fetchall() == [("events",)]


def test_load_and_connect_give_every_table(seed_build):
    from diplonews.schema import TABLES

    names = {t.table_name for t in TABLES}
    assert set(api.load(seed_build)) == names
    con = api.connect(seed_build)
    assert {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()} == names


def test_connect_views_outlive_a_change_of_directory_and_a_database_file(seed_build, tmp_path, monkeypatch):
    # The views named the folder as given ('dataset/parquet/...'): relative to the directory of the query.
    import duckdb

    monkeypatch.chdir(seed_build.parent)
    con = api.connect(seed_build.name, database=str(tmp_path / "views.duckdb"))
    monkeypatch.chdir(tmp_path)
    events = len(json.loads((seed_build / "json" / "events.json").read_text()))
    assert con.sql("SELECT count(*) FROM events").fetchall()[0][0] == events
    con.close()
    assert duckdb.connect(str(tmp_path / "views.duckdb")).sql("SELECT count(*) FROM events").fetchall()[0][0] == events


def test_build_leaves_the_garbage_collector_as_it_found_it(seeds_copy, tmp_path):
    """The collector is paused while a build allocates (builders/gcpause.py), never left off after."""
    import gc

    from diplonews.builders.pipeline import build

    assert gc.isenabled()
    assert build(seeds_copy, tmp_path / "out").written
    assert gc.isenabled()
    gc.disable()
    try:
        build(seeds_copy, tmp_path / "out")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_rows_must_have_exactly_the_table_columns():
    """Entries are mapped to rows by hand in the compilers; a key too many or too few is caught here."""
    import pytest

    from diplonews.builders.assemble import to_arrow

    row = {"topic_id": "t", "label": "T", "description": "A topic."}
    assert to_arrow("topics", [row]).num_rows == 1
    with pytest.raises(ValueError, match=r"\['holder'\]"):
        to_arrow("topics", [{**row, "holder": "x"}])
    with pytest.raises(ValueError, match=r"\['label'\]"):
        to_arrow("topics", [{k: v for k, v in row.items() if k != "label"}])


def test_a_failed_build_counts_each_row_once(seeds_copy, tmp_path):
    """A file with an unknown ID is compiled again against the registries to say where; its rows are
    counted once (they were counted twice: 5 articles became 6)."""
    from diplonews.builders.pipeline import build

    clean = build(seeds_copy, tmp_path / "clean", use_cache=False)
    path = seeds_copy / "annotations" / "2025-03-16-erdogan-trump-call-readout.yaml"
    text = path.read_text(encoding="utf-8")
    old, new = '{actor: donald-trump, quote: "the latter"}', '{actor: donald-trumpx, quote: "the latter"}'
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    broken = build(seeds_copy, tmp_path / "broken", use_cache=False)
    assert not broken.written and "[unknown_reference]" in broken.report.render()
    assert broken.counts["articles"] == clean.counts["articles"] == 5
    assert broken.counts["actor_mentions"] == clean.counts["actor_mentions"]


def test_texts_are_written_in_smaller_row_groups(tmp_path):
    """articles holds whole texts, so its row groups are smaller (read on every core); other tables keep theirs."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from diplonews.builders.write.tables import ROW_GROUP_ROWS, TEXT_ROW_GROUP_ROWS, write_tables
    from diplonews.schema import TABLES_BY_NAME
    from diplonews.schema.generate import arrow_schema

    rows = TEXT_ROW_GROUP_ROWS + 1
    assert rows < ROW_GROUP_ROWS
    tables = {}
    for name in ("articles", "events"):
        schema = arrow_schema(TABLES_BY_NAME[name])
        # Any values of the declared types will do: only the layout of the file is looked at.
        columns = [pa.array([None] * rows, f.type) if f.nullable else
                   pa.array([str(i) for i in range(rows)]).cast(f.type) if pa.types.is_string(f.type) or
                   pa.types.is_dictionary(f.type) else pa.array([0] * rows).cast(f.type) for f in schema]
        tables[name] = pa.Table.from_arrays(columns, schema=schema)
    write_tables(tables, tmp_path, {}, tmp_path)
    assert pq.ParquetFile(tmp_path / "parquet" / "articles.parquet").num_row_groups == 2
    assert pq.ParquetFile(tmp_path / "parquet" / "events.parquet").num_row_groups == 1
