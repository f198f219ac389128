"""croissant.json: the dataset described in Croissant 1.1 (MLCommons), generated from the table models.

One FileObject per file with its SHA-256; one RecordSet per table reading its Parquet
file, with the primary key as ``key`` and each foreign key to another table as ``references``.
In a sharded dataset, a sharded table's parts are a FileSet (``includes`` a glob) per format,
and its RecordSet reads the Parquet FileSet; SHA256SUMS holds each part's hash.
"""

from __future__ import annotations

from pathlib import Path

from diplonews import metadata
from diplonews.builders.write.output import MARKER
from diplonews.builders.write.shards import JSONL_MEDIA_TYPE, is_sharded
from diplonews.files import FileHashes
from diplonews.schema import TABLES
from diplonews.schema.columns import columns, table_description
from diplonews.schema.generate import dumps

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"

# The standard JSON-LD context of Croissant 1.1 (as mlcroissant writes it), so that tools
# reading the file see no unknown or missing term.
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float", "boolean": "sc:Boolean", "date": "sc:Date"}
ENCODINGS = {
    ".parquet": "application/x-parquet",
    ".json": "application/json",
    ".jsonl": JSONL_MEDIA_TYPE,
    ".md": "text/markdown",
    ".svg": "image/svg+xml",
}
# Written after croissant.json (SHA256SUMS lists it), croissant.json itself, and the marker that says
# what the folder is for diplonews' own tools (not data).
NOT_DESCRIBED = {"croissant.json", "SHA256SUMS", MARKER}


def _field_id(table: str, column: str) -> str:
    return f"{table}/{column}"


def _ref(ids: list[str]) -> dict | list[dict]:
    refs = [{"@id": i} for i in ids]
    return refs[0] if len(refs) == 1 else refs


def _source(table: str, shards: int) -> dict:
    """Where a table's rows are: its Parquet FileObject, or the FileSet of its parts."""
    if is_sharded(table, shards):
        return {"fileSet": {"@id": f"parquet/{table}"}}
    return {"fileObject": {"@id": f"parquet/{table}.parquet"}}


def file_sets(shards: int) -> list[dict]:
    """A FileSet per format of every sharded table: its parts, by a glob (none for one file per table)."""
    out = []
    for t in TABLES:
        if not is_sharded(t.table_name, shards):
            continue
        for kind, ext in (("json", ".jsonl"), ("parquet", ".parquet")):
            out.append({
                "@type": "cr:FileSet",
                "@id": f"{kind}/{t.table_name}",
                "name": f"{kind}/{t.table_name}",
                "description": f"The {shards} parts of {t.table_name}, by a hash of article_id.",
                "encodingFormat": ENCODINGS[ext],
                "includes": f"{kind}/{t.table_name}/*{ext}",
            })
    return out


def file_objects(folder: Path, hashes: FileHashes | None = None, shards: int = 1) -> list[dict]:
    """A FileObject (path, format, size, SHA-256) for every file of the dataset folder it describes, and
    a FileSet for the parts of each sharded table (:func:`file_sets`) instead of a FileObject per part."""
    hashes = hashes or FileHashes(folder)
    parts = {f"{kind}/{t.table_name}" for t in TABLES if is_sharded(t.table_name, shards) for kind in ("json", "parquet")}
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel in NOT_DESCRIBED or rel.rpartition("/")[0] in parts:
            continue
        out.append(
            {
                "@type": "cr:FileObject",
                "@id": rel,
                "name": rel,
                "contentUrl": rel,
                "contentSize": f"{path.stat().st_size} B",
                "encodingFormat": ENCODINGS[path.suffix],
                "sha256": hashes(rel),
            }
        )
    return out + file_sets(shards)


def record_sets(shards: int = 1) -> list[dict]:
    """A RecordSet per table, read from its Parquet file(s), with key and foreign-key references."""
    out = []
    for t in TABLES:
        refs = {}
        # A reference is a Source naming the referenced table's file and key column rather than
        # its RecordSet field: mlcroissant 1.1.1 fails to load a record set whose references
        # lead to a record set that itself has references (events -> event_types -> cameo_codes).
        # A self-reference (actors.parent_actor_id) is left out: mlcroissant refuses the cycle.
        # datapackage.json keeps every foreign key.
        for k in (k for k in t.foreign_keys if k.table != t.table_name):
            for col, ref in zip(k.fields, k.ref_fields):
                refs[col] = {**_source(k.table, shards), "extract": {"column": ref}}
        fields = []
        for c in columns(t):
            field = {
                "@type": "cr:Field",
                "@id": _field_id(t.table_name, c.name),
                "name": c.name,
                "description": c.description,
                "dataType": DATA_TYPES[c.kind],
                "source": {**_source(t.table_name, shards), "extract": {"column": c.name}},
            }
            if c.name in refs:
                field["references"] = refs[c.name]
            fields.append(field)
        out.append(
            {
                "@type": "cr:RecordSet",
                "@id": t.table_name,
                "name": t.table_name,
                "description": table_description(t),
                "key": _ref([_field_id(t.table_name, k) for k in t.primary_key]),
                "field": fields,
            }
        )
    return out


def citation_bibtex() -> str:
    """The BibTeX entry Croissant's ``citeAs`` carries (same facts as CITATION.cff)."""
    return (
        f"@misc{{diplonews_{metadata.DATASET_VERSION.replace('.', '_')}, "
        f"title = {{{metadata.DATASET_TITLE}}}, author = {{{{{metadata.CREATOR}}}}}, "
        f"version = {{{metadata.DATASET_VERSION}}}, note = {{Dataset, {metadata.DATA_LICENSE['name']}}}}}"
    )


def croissant(folder: Path, languages: list[str], hashes: FileHashes | None = None, shards: int = 1) -> str:
    """croissant.json for the dataset in ``folder`` (whose files must already be written, ``shards`` as
    they were)."""
    return dumps(
        {
            "@context": CONTEXT,
            "@type": "sc:Dataset",
            "conformsTo": CONFORMS_TO,
            "name": metadata.DATASET_NAME,
            "alternateName": metadata.DATASET_TITLE,
            "description": metadata.DATASET_DESCRIPTION,
            "version": metadata.DATASET_VERSION,
            "license": [metadata.DATA_LICENSE["path"], metadata.TEXTS_LICENSE["title"]],
            "url": metadata.DOWNLOAD_URL.format(version=metadata.DATASET_VERSION),
            "creator": {"@type": "sc:Organization", "name": metadata.CREATOR},
            "keywords": list(metadata.KEYWORDS),
            "inLanguage": languages,
            "citeAs": citation_bibtex(),
            "distribution": file_objects(folder, hashes, shards),
            "recordSet": record_sets(shards),
        }
    )
