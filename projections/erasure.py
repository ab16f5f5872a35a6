"""Erasure in the read models: when a person's data is erased (Person.Erased, see
domain/erasure.py), every row of their secondments loses what named them. Rows rebuilt from the
log afterwards hold "[đã xóa]" already, because the events decode so once the key is gone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from domain import events as ev
from domain.erasure import Person
from domain.personal import ERASED
from projections.base import Event, ReadModel, Tables, dumps, fold
from projections.store import Tx

ERASURE = Person.__name__
"""The aggregate whose events erase people (read by the runner for every read model)."""

PERSONAL_COLUMNS = {
    "full_name": ERASED,
    "personnel_id": ERASED,
    "personnel_key": ERASED,
    "name_folded": fold(ERASED),
}
"""Read-model columns that name the official, and what they hold once erased."""
PERSONAL_KEYS = frozenset(
    {"full_name", "personnel_id", "position", "appraisals", "comment", "maternity_protected"}
)
"""Keys of stored event data (the audit copy) that are personal."""
ROW_IDS = ("secondment_id", "aggregate_id", "nomination_id")


def erased_ids(events: Sequence[Event]) -> list[str]:
    """The secondments whose people were erased by these events."""
    found: list[str] = []
    for e in events:
        if isinstance(e.data, ev.Erased):
            found += [str(i) for i in (*e.data.secondment_ids, *e.data.nomination_ids)]
    return found


def erase(tx: Tx, model: ReadModel, t: Tables, sids: Sequence[str]) -> None:
    """Removes the personal data of these secondments from every table of one read model."""
    if not sids:
        return
    marks = ", ".join("?" for _ in sids)
    for table in model.tables:
        names = {c for c, _ in table.columns}
        id_column = next((c for c in ROW_IDS if c in names), None)
        if id_column is None:
            continue
        where = f"{id_column} IN ({marks})"
        personal = [c for c in PERSONAL_COLUMNS if c in names]
        if personal:
            sets = ", ".join(f"{c} = ?" for c in personal)
            values = [PERSONAL_COLUMNS[c] for c in personal]
            tx.execute(f"UPDATE {t[table.suffix]} SET {sets} WHERE {where}", (*values, *sids))
        if "data" in names:
            _scrub_data(tx, t[table.suffix], table.key, where, sids)


def _scrub_data(tx: Tx, name: str, key: Sequence[str], where: str, sids: Sequence[str]) -> None:
    rows = tx.rows(f"SELECT {', '.join(key)}, data FROM {name} WHERE {where}", sids)
    match = " AND ".join(f"{k} = ?" for k in key)
    for row in rows:
        data = dumps(scrubbed(orjson.loads(row["data"])))
        tx.execute(f"UPDATE {name} SET data = ? WHERE {match}", (data, *(row[k] for k in key)))


def scrubbed(value: Any) -> Any:
    """Stored event data with every personal value replaced by "[đã xóa]"."""
    if isinstance(value, dict):
        return {k: ERASED if k in PERSONAL_KEYS else scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrubbed(v) for v in value]
    return value
