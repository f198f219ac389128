"""Reading an event's dates (``date_start``, ``date_end``, ``date_precision`` of the events table) for the
pictures of a dataset and the site's pages: where an event sits on a time axis, and whether its dates are
its own days or a window it lies somewhere in. Each takes an events row as a dict."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any


def first_day(event: Mapping[str, Any]) -> date | None:
    """Where an event sits: the start of its window, or its end when the window is open at the start;
    None when it is undated."""
    return event["date_start"] or event["date_end"]


def last_day(event: Mapping[str, Any]) -> date | None:
    """Where an event's window ends: its end, or its start when the window is open at the end; None when
    it is undated."""
    return event["date_end"] or event["date_start"]


def own_days(event: Mapping[str, Any]) -> bool:
    """Whether an event's dates are its own days (precision day, both bounds known: drawn solid), not a
    window it lies somewhere in or a side left open (drawn dashed, told as 'some time in', 'on or after')."""
    return event["date_precision"] == "day" and event["date_start"] is not None and event["date_end"] is not None
