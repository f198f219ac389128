"""The offline search index: entries (kind, label, link, context) sharded by the first two letters of
each word, so that a query loads one small file whatever the corpus size.

Files are scripts, not JSON: browsers refuse ``fetch()`` on pages opened from disk (file://), and
the site must work both opened from disk and served. The folding and the word pattern match
``fold`` and ``WORDS`` in static/site.js.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

STOPWORDS = frozenset(
    "an and are as at be but by for from had has have he her his in is it its of on or she that the their "
    "they this to was were which who will with".split())
"""Words too common to pick a shard by: a query's longest other word is used instead."""

_COMBINING = re.compile("[\u0300-\u036f]")
_WORDS = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "Erdoğan" -> "erdogan" (as the browser folds queries)."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", text)).lower()


def shard_name(prefix: str) -> str:
    """File name of the shard of a two-letter prefix (code points in hex, safe for any script)."""
    return "-".join(f"{ord(c):x}" for c in prefix) + ".js"


def write_index(entries: list[list[str]], folder: Path) -> int:
    """Write ``entries`` into shard files in ``folder``, each entry into the shard of every distinct
    two-letter prefix of its label's words (stopwords and one-letter words left out); returns the
    number of shards."""
    shards: dict[str, list[list[str]]] = {}
    for entry in entries:
        words = {w[:2] for w in _WORDS.findall(fold(entry[1])) if len(w) >= 2 and w not in STOPWORDS}
        for prefix in sorted(words):
            shards.setdefault(prefix, []).append(entry)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, shard in sorted(shards.items()):
        payload = json.dumps(shard, ensure_ascii=False, separators=(",", ":"))
        (folder / shard_name(prefix)).write_text(f"window.DIPLONEWS_SHARD({payload});\n", encoding="utf-8",
                                                 newline="\n")
    return len(shards)
