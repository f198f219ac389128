"""Facts about the published dataset, kept in one place.

``DATASET_VERSION`` follows the meanings Croissant and TensorFlow Datasets give SemVer:
patch = same data, new serialisation; minor = added data or fields; major = changed data.
Every release artefact (archive name, datapackage.json, croissant.json, the card,
CITATION.cff, CHANGELOG.md) takes its version from here.
"""

DATASET_NAME = "diplonews"
DATASET_VERSION = "2.0.0"
DATASET_TITLE = "diplonews: evidence-anchored tables of diplomatic news"
DATASET_DESCRIPTION = (
    "News articles about diplomacy, hand-annotated into linked tables of articles, actors, events, "
    "positions and demands; every fact points at the exact words of its article."
)
DATA_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0"}
"""The licence of the annotations: every table and column except the article texts."""
TEXTS_LICENSE = {"name": "LicenseRef-diplonews-per-article",
                 "title": "Article texts (articles.text and every quote): each under its own rights, stated per "
                          "article in articles.rights, text_license, redistributable and rights_basis; "
                          "not covered by the annotations' licence"}
"""The texts are the outlets', not ours: what holds for each is recorded per article, not granted here."""
KEYWORDS = ("diplomacy", "international relations", "event data", "news", "claims analysis",
            "CAMEO", "PLOVER", "Türkiye", "United States", "Russia")
CREATOR = "diplonews contributors"

# Where `diplonews download` looks for releases: a folder serving the files `diplonews release`
# writes to dist/ (the archive and registry.txt). ``{version}`` is replaced by the version asked for.
DOWNLOAD_URL = "https://github.com/diplonews/diplonews/releases/download/v{version}/"


def archive_name(version: str, variant: str = "standoff") -> str:
    """File name of the release archive of ``version``: the standoff variant (texts diplonews may not
    publish withheld) is the published one; the full variant (every text) is marked ``-full``."""
    return f"diplonews-data-{version}{'' if variant == 'standoff' else '-' + variant}.tar.gz"


# What the corpus covers; the card's "limits" section states it next to the counts from the tables.
CORPUS_SCOPE = (
    "One region and one year: news from 2025 on Türkiye between the United States and Russia "
    "(the Erdoğan–Trump call of 16 March, Fidan's visit to Washington, CAATSA/F-35/F-16/S-400, "
    "the Erdoğan–Putin call after the Alaska summit)."
)
