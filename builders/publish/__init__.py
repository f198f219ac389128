"""Publish: datapackage.json, Croissant, the card and its figures, SHA256SUMS, release archives and
their download."""
