"""Authoring tools: ``diplonews new`` (suggestions, relative dates) and registry edits."""
