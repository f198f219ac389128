"""The dataset's metadata files: Frictionless datapackage.json, SHA256SUMS and the dataset card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from diplonews import metadata
from diplonews.builders.publish.figures import Figure
from diplonews.builders.write.shards import JSONL_MEDIA_TYPE, SHARDED_TABLES, is_sharded, table_files
from diplonews.files import FileHashes
from diplonews.schema import TABLES
from diplonews.schema.columns import columns, table_description
from diplonews.schema.generate import dumps, frictionless_schema

DATAPACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"


def datapackage(folder: Path, hashes: FileHashes | None = None, shards: int = 1) -> str:
    """datapackage.json (Frictionless Data Package v2) for the JSON tables in ``folder``.

    Each resource carries ``hash: "sha256:..."`` of its file. ``bytes`` is left out: frictionless-py
    does not count the bytes of JSON resources and reports any stated count as a mismatch. It does
    not check the hash of JSON resources either (it compares only when it computed one), so the
    hashes are checked by this project's tests and by ``diplonews download`` instead.

    In a dataset of ``shards`` > 1, a table keyed by ``article_id`` is a multipart resource: ``path``
    lists its JSON Lines parts, which read as their concatenation (the Frictionless way), and it states
    no hash (one hash would be of that concatenation; SHA256SUMS lists each part's).
    """
    hashes = hashes or FileHashes(folder)
    resources = []
    for t in TABLES:
        schema = frictionless_schema(t)
        for key in schema.get("foreignKeys", []):
            if key["reference"]["resource"] == t.table_name:
                key["reference"]["resource"] = ""  # Frictionless spells a self-reference as ""
        if is_sharded(t.table_name, shards):
            parts = [rel for rel in table_files(t.table_name, shards) if rel.endswith(".jsonl")]
            files = {"path": parts, "format": "jsonl", "mediatype": JSONL_MEDIA_TYPE}
        else:
            rel = f"json/{t.table_name}.json"
            files = {"path": rel, "format": "json", "mediatype": "application/json", "hash": f"sha256:{hashes(rel)}"}
        resources.append(
            {
                "name": t.table_name,
                "type": "table",
                "path": files["path"],
                "format": files["format"],
                "mediatype": files["mediatype"],
                "encoding": "utf-8",
                **({"hash": files["hash"]} if "hash" in files else {}),
                "description": table_description(t),
                "schema": schema,
            }
        )
    return dumps(
        {
            "$schema": DATAPACKAGE_V2,
            "name": metadata.DATASET_NAME,
            "title": metadata.DATASET_TITLE,
            "description": metadata.DATASET_DESCRIPTION,
            "version": metadata.DATASET_VERSION,
            "licenses": [{**metadata.DATA_LICENSE, "title": f"{metadata.DATA_LICENSE['title']}: the annotations"},
                         metadata.TEXTS_LICENSE],
            "keywords": list(metadata.KEYWORDS),
            "contributors": [{"title": metadata.CREATOR, "roles": ["creator"]}],
            "resources": resources,
        }
    )


def sha256sums(folder: Path, hashes: FileHashes | None = None) -> str:
    """SHA256SUMS text (sha256sum format) for every file in ``folder`` except itself."""
    hashes = hashes or FileHashes(folder)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return "".join(f"{hashes(rel)}  {rel}\n" for rel in files if rel != "SHA256SUMS")


@dataclass(frozen=True)
class CardFacts:
    """What the card says about the data, computed from the built tables."""

    counts: dict[str, int]
    languages: list[str]
    first_date: date | None
    last_date: date | None
    rights: list[dict]  # per article: article_id, rights, text_license, redistributable, rights_basis
    withheld: int  # articles whose text is withheld (null): a standoff release


def card_facts(tables: dict[str, pa.Table]) -> CardFacts:
    """Counts, languages and the publication date range, read from the Arrow tables."""
    articles = tables["articles"]
    languages = sorted(v for v in pc.unique(articles["language"]).to_pylist() if v)
    firsts = pc.min(articles["published_date_earliest"]).as_py() if articles.num_rows else None
    lasts = pc.max(articles["published_date_latest"]).as_py() if articles.num_rows else None
    # By article ID: a reused table's rows come in the order they were read back (a sharded one part by part).
    rights = sorted(articles.select(["article_id", "rights", "text_license", "redistributable", "rights_basis"])
                    .to_pylist(), key=lambda r: r["article_id"])
    withheld = articles["text"].null_count
    return CardFacts({name: t.num_rows for name, t in tables.items()}, languages, firsts, lasts, rights, withheld)


def _variant(facts: CardFacts) -> str:
    """Which release variant this folder is, from its tables: standoff when some text is withheld."""
    if facts.withheld:
        return (f"This is the **standoff** variant: the texts of {facts.withheld} of {facts.counts['articles']} "
                "articles (those not redistributable, below) are withheld. Their `articles.text` and the `quote` "
                "of every row in them are null, and their words elsewhere (a headline used as title, a note "
                "quoting them) are replaced by `⟦withheld: <article_id>[start:end]⟧` (`... as upper⟧` and the like "
                "where the cell spelt them otherwise); offsets and `text_sha256` "
                "are kept, so `diplonews hydrate DIR --texts TEXTS` puts back every text you have, matched by "
                "its SHA-256, and with all of them gives the full variant byte for byte.")
    return ("This is the **full** variant: every text is included. Texts that are not redistributable (below) "
            "are for private use and must not be passed on; the published release is the standoff variant, "
            "which withholds them.")


def _rights_section(facts: CardFacts) -> list[str]:
    """The card's licence section: the annotations' licence, then each article text's own rights."""
    lines = [
        "## Licences: annotations and texts",
        "",
        f"- Annotations (every table and column except `articles.text` and the `quote` columns): "
        f"{metadata.DATA_LICENSE['title']} ({metadata.DATA_LICENSE['name']}).",
        "- Article texts (`articles.text`, and the `quote` columns, which are words of the texts): not ours "
        "to license. Each article records who holds its text (`rights`), its licence where one is stated "
        "(`text_license`, SPDX or `unknown`), whether diplonews may publish it (`redistributable`) and on "
        "what this rests (`rights_basis`):",
        "",
        _variant(facts),
        "",
        "| article | rights | text licence | redistributable | basis |",
        "|---|---|---|---|---|",
    ]
    for r in facts.rights:
        basis = (r["rights_basis"] or "").replace("|", "\\|")
        lines.append(f"| `{r['article_id']}` | {r['rights']} | {r['text_license']} | "
                     f"{'yes' if r['redistributable'] else 'no'} | {basis} |")
    return lines + [""]


def size_category(n: int) -> str:
    """Hugging Face's size category for ``n`` records."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M")]
    return next((label for bound, label in bounds if n < bound), "100M<n<1B")


def _front_matter(facts: CardFacts, shards: int = 1) -> str:
    """Hugging Face dataset-card metadata: one config per table, license, languages, tags."""
    import yaml

    n = facts.counts["articles"] + facts.counts["events"]
    # A folder that carries texts we may not redistribute is not all CC-BY-4.0: say "other" and why.
    unlicensed = len([r for r in facts.rights if not r["redistributable"]]) - facts.withheld
    licence = ({"license": metadata.DATA_LICENSE["name"].lower()} if unlicensed <= 0 else
               {"license": "other", "license_name": "cc-by-4.0-annotations-texts-of-their-owners",
                "license_details": f"Annotations {metadata.DATA_LICENSE['name']}; the texts of {unlicensed} "
                                   "articles belong to their rights holders and are not licensed by diplonews "
                                   "(see 'Licences: annotations and texts')."})
    meta = {
        "pretty_name": metadata.DATASET_TITLE,
        **licence,
        "language": facts.languages,
        "tags": sorted(k.lower() for k in metadata.KEYWORDS),
        "size_categories": [size_category(n)],
        "configs": [
            {"config_name": t.table_name, "data_files": [{"split": "train", "path": _parquet_glob(t.table_name, shards)}]}
            for t in TABLES
        ],
    }
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---\n"


def _parquet_glob(name: str, shards: int) -> str:
    """The Parquet file of a table, or the glob of a sharded table's parts (Hugging Face ``data_files``)."""
    return f"parquet/{name}/*.parquet" if is_sharded(name, shards) else f"parquet/{name}.parquet"


def _shards_lines(shards: int) -> list[str]:
    """What the card's file list says of a sharded dataset (nothing for one file per table)."""
    if shards == 1:
        return []
    tables = ", ".join(f"`{name}`" for name in SHARDED_TABLES)
    return [f"- Sharded in {shards} parts by a hash of `article_id` (the first 8 bytes of the SHA-256 of its "
            f"UTF-8 bytes, big-endian, modulo {shards}): {tables} as `parquet/<table>/part-NNNNN-of-"
            f"{shards:05d}.parquet` and `json/<table>/part-NNNNN-of-{shards:05d}.jsonl` (JSON Lines) instead; "
            "read them all (`parquet/<table>/*.parquet`) for the table."]


def _date_range(facts: CardFacts) -> str:
    if facts.first_date is None or facts.last_date is None:
        return "unknown dates"
    return f"{facts.first_date.isoformat()} to {facts.last_date.isoformat()}"


def dataset_card(facts: CardFacts, figures: dict[str, Figure], shards: int = 1) -> str:
    """The generated dataset card (dataset/README.md): front matter, what, how, limits, pictures, tables;
    ``shards`` as the dataset was written with."""
    n = facts.counts
    timeline, net = figures["figures/timeline.svg"], figures["figures/network.svg"]
    languages = ", ".join(facts.languages)
    lines = [
        _front_matter(facts, shards),
        f"# {metadata.DATASET_TITLE}",
        "",
        f"Version {metadata.DATASET_VERSION}. Generated by `diplonews build`; do not edit by hand.",
        "",
        "## What it is",
        "",
        metadata.DATASET_DESCRIPTION,
        "",
        f"This release holds {n['articles']} articles, {n['actors']} actors, {n['events']} canonical events "
        f"({n['event_mentions']} event mentions), {n['positions']} positions and {n['demands']} demands. "
        "Every mention, position and demand carries a verbatim `quote` with code-point offsets into "
        "`articles.text` (`quote == text[span_start:span_end]`); `articles.text_sha256` identifies the text.",
        "",
        "## How it was made",
        "",
        "Each article's text is kept byte-identical to its source. Annotators write one YAML file per "
        "article (actors and their mentions, events and how the article reports them, positions, demands), "
        "copying a verbatim quote for every fact; shared actors, events and topics live in registries so "
        "that every article reporting an event links to the same canonical event. The builder resolves each "
        "quote to exact offsets, maps event types to CAMEO codes and PLOVER types, and publishes only when "
        "every source rule and every cross-table SQL rule passes (`diplonews rules` lists them). "
        "The annotation guide (`docs/annotation-guide.md` in the repository) defines every field.",
        "",
        "## Limits",
        "",
        f"- Small: {n['articles']} articles, published {_date_range(facts)}, language {languages}.",
        f"- {metadata.CORPUS_SCOPE}",
        "- Hand annotation records what each article says, not what is true; an event's `status` is the "
        "best reading across its reports, and each report keeps its own `reported_status`.",
        f"- {timeline.counts['undated_events']} of {n['events']} events have no date in the texts.",
        "- Wikidata identifiers are filled only from a checked source, so most actors have none.",
        "",
        "## Pictures",
        "",
        "![Timeline of events by date and status](figures/timeline.svg)",
        "",
        f"*Timeline:* the {timeline.counts['dated_events']} dated events by date, one lane per status "
        "(a solid bar spans the days an event lasted, a dashed one the window it lies somewhere in, an open side "
        f"runs to the edge; {timeline.counts['undated_events']} undated events are not shown). "
        "The last year is stretched because most reports fall in it.",
        "",
        "![Network of actors linked by events and demands](figures/network.svg)",
        "",
        f"*Network:* the {net.counts['actors']} actors that share an event with another actor or make or "
        f"receive a demand; {net.counts['shared_pairs']} pairs of actors take part in the same event (grey), "
        f"and {net.counts['demand_pairs']} claimant → addressee pairs are linked by demands (red).",
        "",
        "## Tables",
        "",
        "| table | rows | what a row is |",
        "|---|---:|---|",
    ]
    for t in TABLES:
        what = " ".join(table_description(t).split())  # a Markdown table cell is one line
        lines.append(f"| `{t.table_name}` | {n[t.table_name]} | {what} |")
    for t in TABLES:
        keys = f"Primary key: `{', '.join(t.primary_key)}`."
        for k in t.foreign_keys:
            keys += f" `{', '.join(k.fields)}` → `{k.table}.{', '.join(k.ref_fields)}`."
        lines += ["", f"### `{t.table_name}`", "", keys, "", "| column | type | null | description |",
                  "|---|---|---|---|"]
        for c in columns(t):
            kind = c.kind + (f" ({' / '.join(c.enum)})" if c.enum else "")
            lines.append(f"| `{c.name}` | {kind} | {'yes' if c.nullable else 'no'} | {c.description} |")
    lines += [
        "",
        "## Files",
        "",
        "- `parquet/<table>.parquet`: the tables (dates as date32, enums dictionary-encoded).",
        "- `json/<table>.json`: the same rows as JSON arrays of objects.",
        *_shards_lines(shards),
        "- `datapackage.json`: Frictionless Data Package v2 (primary and foreign keys, categories, SHA-256 hashes).",
        "- `croissant.json`: Croissant 1.1 metadata (files with SHA-256, one record set per table).",
        "- `figures/`: the pictures above (SVG).",
        "- `SHA256SUMS`: checksums of every file (`sha256sum -c SHA256SUMS`).",
        "",
        "## Load",
        "",
        "```python",
        "import diplonews",
        "tables = diplonews.load()            # dict of pandas DataFrames (pyarrow dtypes)",
        f"tables = diplonews.load(version=\"{metadata.DATASET_VERSION}\")  # download a release, verify, cache",
        "con = diplonews.connect()            # DuckDB connection, one view per table",
        "con.sql(\"SELECT * FROM events WHERE event_type = 'phone_call'\").df()",
        "```",
        "",
        "Without the package: `pandas.read_parquet('parquet/events.parquet')` or, in DuckDB, "
        "`SELECT * FROM 'parquet/events.parquet'`.",
        "",
        *_rights_section(facts),
        "## Citation",
        "",
        "Cite with `CITATION.cff` in the repository or the `citeAs` entry of `croissant.json`.",
        "",
    ]
    return "\n".join(lines)
