"""Facts about the published dataset, kept in one place."""

DATASET_NAME = "diplonews"
DATASET_VERSION = "0.1.0"
DATASET_TITLE = "diplonews: evidence-anchored tables of diplomatic news"
DATASET_DESCRIPTION = (
    "News articles about diplomacy, hand-annotated into linked tables of articles, actors, events, "
    "positions and demands; every fact points at the exact words of its article."
)
DATA_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0"}
