"""Round trips between the annotation files and span-annotation tools (brat, Label Studio, ...).

The shared core: ``layers`` (span layers and their features, derived from the annotation models),
``offsets`` (code points <-> UTF-16 code units), ``document`` (an article's text and spans, the form
every format converts to and from), ``to_yaml`` (spans -> annotation files, validated first, written
all at once). Each tool is one module that reads and writes ``document.Document``.
"""

FORMATS = {"brat": "diplonews.builders.interchange.brat", "labelstudio": "diplonews.builders.interchange.labelstudio",
           "inception": "diplonews.builders.interchange.inception"}
"""Format name -> the module implementing it (here, so the CLI lists them without importing any)."""
