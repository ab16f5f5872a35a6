"""Stores written by earlier releases open with this one: every record reads as that release
read it, and every read model rebuilds from the stored events (SQLite file and PostgreSQL)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from projections.catalog import MODELS, ReadModels, head
from projections.store import open_store
from tests.golden.views import record_view
from tests.integration.test_projections import check_against_reference, runner

GOLDEN = Path(__file__).parent.parent / "golden"
STORES = sorted(p for p in GOLDEN.iterdir() if (p / "rows.json").exists())

CHANGED_SINCE: dict[str, dict[str, dict[str, Any]]] = {
    "release-0.1.0": {"Secondment": {"requested_on": None}},
}
"""Attributes whose reading a later release changed on purpose, by the store that holds them and
the record's class: {attribute: how the old value now reads}. Release 0.1.0 stored the day a
request was typed in as its date; it reads as undated (Requested v1 → v2)."""


def expected(store: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((store / "expected.json").read_text())
    return found


def as_saved(now: Any, saved: Any) -> Any:
    """What reads now, limited to what was saved: fields added since (with their defaults, at
    any depth) are left out; everything that was saved must read the same."""
    if isinstance(saved, dict) and isinstance(now, dict):
        return {k: as_saved(now.get(k), v) for k, v in saved.items()}
    if isinstance(saved, list) and isinstance(now, list) and len(saved) == len(now):
        return [as_saved(n, v) for n, v in zip(now, saved, strict=True)]
    return now


def check_records(app: SecondmentRegistry, store: Path) -> None:
    records = expected(store)
    assert len(records) > 300
    changed = CHANGED_SINCE.get(store.name, {})
    for originator_id, saved in records.items():
        record = app.repository.get(UUID(originator_id))
        view = record_view(record)
        wanted = {**saved["view"], **changed.get(saved["view"]["class"], {})}
        assert as_saved(view, wanted) == wanted, originator_id
        states = [
            getattr(app.repository.get(record.id, version=v), "state", None)
            for v in range(1, record.version + 1)
        ]
        assert states == saved["states"], originator_id


def check_read_models(app: SecondmentRegistry, settings: Settings) -> None:
    read = open_store(settings)
    try:
        ReadModels(read).setup(app)
        runner(app, read).catch_up()
        assert ReadModels(read).positions() == {m.name: head(app) for m in MODELS}
        check_against_reference(app, read)
    finally:
        read.close()


@pytest.mark.parametrize("store", STORES, ids=[p.name for p in STORES])
def test_a_golden_sqlite_store_reads_the_same_and_rebuilds(store: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    shutil.copy(store / "secondments.db", data_dir / "secondments.db")
    settings = Settings(data_dir=data_dir)
    app = open_registry(settings)
    try:
        assert app.snapshots is not None
        check_records(app, store)
        check_read_models(app, settings)
    finally:
        app.close()


def load_rows(app: SecondmentRegistry, store: Path) -> None:
    rows = json.loads((store / "rows.json").read_text())
    app.recorder.insert_events([stored(r) for r in rows["events"]])
    assert app.snapshots is not None
    app.snapshots.recorder.insert_events([stored(r) for r in rows["snapshots"]])


def stored(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=UUID(row["originator_id"]),
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=row["state"].encode(),
    )


@pytest.mark.parametrize("store", STORES, ids=[p.name for p in STORES])
def test_golden_rows_loaded_into_postgres_read_the_same_and_rebuild(
    store: Path, pg_store: Settings
) -> None:
    app = open_registry(pg_store)
    try:
        load_rows(app, store)
        assert len(json.loads((store / "rows.json").read_text())["snapshots"]) > 0
        check_records(app, store)
        check_read_models(app, pg_store)
    finally:
        app.close()
