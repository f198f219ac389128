"""The offline search index: entries (kind, label, link, context) sharded by the first three letters
of each word (the whole word when shorter), so that a query loads one small file whatever the corpus
size. Words of digits only (years, numbers) are not keys: in a news corpus nearly every quote has one.

Files are scripts, not JSON: browsers refuse ``fetch()`` on pages opened from disk (file://), and
the site must work both opened from disk and served. The folding and the word pattern match
``fold`` and ``WORDS`` in static/site.js.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

KEY_LENGTH = 3
STOPWORDS = frozenset(
    "an and are as at be but by for from had has have he her his in is it its of on or she that the their "
    "they this to was were which who will with".split())
"""Words too common to pick a shard by: a query's longest other word is used instead."""

SHARD_LIMIT = 10_000
"""Entries per shard file (at most about 2.5 MB at S=1): a word in more entries than this (a name in most quotes of a
large corpus) is searched in its first entries only, and the search page says so. Entries come in
the order given, so pages of actors, events, articles and topics come before quotes."""

_COMBINING = re.compile("[\u0300-\u036f]")
_WORDS = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "Erdoğan" -> "erdogan" (as the browser folds queries)."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", text)).lower()


def shard_name(prefix: str) -> str:
    """File name of the shard of a key (code points in hex, safe for any script)."""
    return "-".join(f"{ord(c):x}" for c in prefix) + ".js"


def write_index(entries: list[list[str]], folder: Path) -> None:
    """Write ``entries`` into shard files in ``folder``, each entry into the shard of the key of each
    word of its label (stopwords, one-letter words and numbers left out), at most ``SHARD_LIMIT``
    per shard."""
    shards: dict[str, list[list[str]]] = {}
    for entry in entries:
        words = {w[:KEY_LENGTH] for w in _WORDS.findall(fold(entry[1]))
                 if len(w) >= 2 and w not in STOPWORDS and not w.isdigit()}
        for prefix in sorted(words):
            shards.setdefault(prefix, []).append(entry)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, shard in sorted(shards.items()):
        payload = json.dumps(shard[:SHARD_LIMIT], ensure_ascii=False, separators=(",", ":"))
        (folder / shard_name(prefix)).write_text(f"window.DIPLONEWS_SHARD({payload},{len(shard)});\n",
                                                 encoding="utf-8", newline="\n")
