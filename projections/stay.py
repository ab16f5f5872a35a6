"""The dates of an official's stay at the host (end of term, arrival, end), which several read
models keep: one fold of them, each model taking the columns it has."""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Any

from domain import events as ev
from projections.base import iso
from projections.store import Row

CORRECTABLE = ("arrived_on", "ended_on")


@functools.singledispatch
def stay_dates(data: object) -> dict[str, str | None]:
    """The stay's dates that one of a secondment's events sets; none for most events."""
    return {}


@stay_dates.register(ev.Approved)
def _approved(data: Any) -> dict[str, str | None]:
    return {"term_end": iso(data.term.end)}


@stay_dates.register(ev.Extended)
def _extended(data: Any) -> dict[str, str | None]:
    return {"term_end": iso(data.extension.new_end)}


@stay_dates.register(ev.Deployed)
def _deployed(data: Any) -> dict[str, str | None]:
    return {"arrived_on": iso(data.effective_on)}


@stay_dates.register(ev.Ended)
@stay_dates.register(ev.Recalled)
def _ended(data: Any) -> dict[str, str | None]:
    return {"ended_on": iso(data.ending.ended_on)}


@stay_dates.register(ev.Corrected)
def _corrected(data: Any) -> dict[str, str | None]:
    return {name: iso(data.changes[name]) for name in CORRECTABLE if name in data.changes}


def follow_stay(data: object, row: Row, columns: Collection[str]) -> None:
    """Sets on `row` the stay's dates the event gives, for the columns the model keeps."""
    row.update((name, value) for name, value in stay_dates(data).items() if name in columns)
