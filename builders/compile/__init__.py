"""Compile: registry and annotation files turned into table rows and source-rule findings."""
