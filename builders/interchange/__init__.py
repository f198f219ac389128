"""Round trips between the annotation files and span-annotation tools (brat, Label Studio, ...).

The shared core: ``layers`` (span layers and their features, derived from the annotation models),
``offsets`` (code points <-> UTF-16 code units), ``document`` (an article's text and spans, the form
every format converts to and from), ``to_yaml`` (spans -> annotation files, validated first, written
all at once). Each tool is one module that reads and writes ``document.Document``.
"""

from typing import NamedTuple


class Format(NamedTuple):
    """A registered format: the module implementing it, and what ``diplonews import`` reads (for its help)."""

    module: str
    reads: str


FORMATS = {
    "brat": Format("diplonews.builders.interchange.brat", "the collection folder"),
    "labelstudio": Format("diplonews.builders.interchange.labelstudio", "the JSON export"),
    "inception": Format("diplonews.builders.interchange.inception", "a folder of .xmi files, one .xmi file or "
                        "INCEpTION's export zip"),
}
"""Format name -> its module and import path (here, so the CLI lists them without importing any module)."""
