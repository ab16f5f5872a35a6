"""Stores written by earlier releases open with this one: every record reads as that release
read it, and every read model rebuilds from the stored events (SQLite file and PostgreSQL).
Since 0.2.0 a store also holds its per-person keys (wrapped by the test master key in its
`master.key`) and its own tables: sealed fields decrypt with those keys, an erased person's data
reads as erased and is nowhere in plain text, and stored idempotent responses still replay."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from api.idempotency import IdempotencyStore
from api.keyring import master_key
from api.settings import Settings, open_registry
from api.storage import Database
from domain.application import SecondmentRegistry
from domain.personal import ERASED, unseal
from projections.catalog import MODELS, ReadModels, head
from projections.store import open_store
from tests.golden.views import record_view
from tests.integration.test_projections import check_against_reference, runner

GOLDEN = Path(__file__).parent.parent / "golden"
STORES = sorted(p for p in GOLDEN.iterdir() if (p / "rows.json").exists())
RELEASES = {"release-0.1.0", "release-0.2.0"}
"""The releases that stored events, each with its store (a release adds its own)."""
HOLDS: dict[str, set[str]] = {
    "release-0.2.0": {
        "Secondment.Corrected",
        "Secondment.Returned",
        "Secondment.ReturnMissing",
        "CommuneNeeds.NeedsDeclared",
        "CommuneNeeds.AreaDeclared",
        "Person.Erased",
    },
}
"""Event classes that a store was made to hold (the shapes its release added)."""
FOREVER = 24 * 365 * 100
"""Hours an idempotent response is kept when a golden store is read (its rows are old)."""

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
    rows = json.loads((store / "rows.json").read_text())
    assert set(records) == {e["originator_id"] for e in rows["events"]}  # every record stored
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


def manifest(store: Path) -> dict[str, Any] | None:
    """What `tests/golden/facts.py` recorded in the store (None before 0.2.0)."""
    path = store / "golden.json"
    found: dict[str, Any] | None = json.loads(path.read_text()) if path.exists() else None
    return found


def sealed_values(state: Any) -> list[dict[str, str]]:
    """Every sealed value ({"k": key id, "s": sealed}) in a stored state, at any depth."""
    if isinstance(state, dict):
        if state.get("_type_") == "personal":
            return [state["_data_"]]
        return [v for value in state.values() for v in sealed_values(value)]
    if isinstance(state, list):
        return [v for value in state for v in sealed_values(value)]
    return []


def check_sealed(store: Path, facts: dict[str, Any], rows: dict[str, Any]) -> None:
    """Every sealed value of the store decrypts, by the master key in the store's directory,
    with the key stored for it (only the erased person's have none); the official's name, as
    requested and as corrected, reads as it was given and is nowhere in plain text."""
    master = master_key(None, store)
    keys = {r["key_id"]: r["wrapped"] for r in rows["tables"]["personal_keys"]}
    opened = {k: unseal(master, wrapped, k) for k, wrapped in keys.items()}

    def plain(sealed: dict[str, str]) -> Any:
        return json.loads(unseal(opened[sealed["k"]], sealed["s"], sealed["k"]))

    found = 0
    for row in rows["events"] + rows["snapshots"]:
        for sealed in sealed_values(json.loads(row["state"])):
            if sealed["k"] in opened:
                plain(sealed)
                found += 1
            else:
                assert row["originator_id"] in facts["erased"]["secondments"], row
    assert found > 300
    mine = facts["sealed"]
    states = [
        json.loads(r["state"]) for r in rows["events"] if r["originator_id"] == mine["secondment"]
    ]
    [requested] = sealed_values(states[0]["official"]["_data_"]["full_name"])
    [corrected] = sealed_values(states[-1]["changes"]["full_name"])
    assert (plain(requested), plain(corrected)) == (mine["full_name"], mine["corrected_name"])
    text = json.dumps(rows, ensure_ascii=False)
    assert mine["full_name"] not in text and mine["corrected_name"] not in text


def check_erased(app: SecondmentRegistry, store: Path, facts: dict[str, Any]) -> None:
    """The erased person's secondments read as erased, their keys are gone, and nothing of
    their name or personnel id is in the store's files."""
    rows = json.loads((store / "rows.json").read_text())
    keys = {r["key_id"] for r in rows["tables"]["personal_keys"]}
    erased = facts["secondments"]
    for sid in erased:
        official = app.get(UUID(sid)).official
        assert (official.full_name, official.personnel_id, official.position) == (ERASED,) * 3
        assert official.appraisals == ()
        states = [json.loads(r["state"]) for r in rows["events"] if r["originator_id"] == sid]
        assert {v["k"] for v in sealed_values(states)}.isdisjoint(keys), sid
    person: Any = app.repository.get(UUID(facts["person"]))
    assert sorted(str(i) for i in person.erased) == erased
    files = [(store / "rows.json").read_bytes(), (store / "secondments.db").read_bytes()]
    for probe in facts["probes"]:
        assert not any(probe.encode() in f for f in files), probe


def check_replays(app: SecondmentRegistry, facts: dict[str, Any]) -> None:
    """A stored idempotent response replays under the subject's pseudonym, which the stored
    pseudonym secret still gives."""
    assert app.keyring.pseudonym("token-subject:golden") == facts["subject"]  # type: ignore[attr-defined]
    found = IdempotencyStore(Database(app), FOREVER).find(facts["subject"], facts["key"])
    assert found is not None
    assert (found.fingerprint, found.status, found.body) == (
        facts["fingerprint"],
        facts["status"],
        facts["body"],
    )


def check_personal(app: SecondmentRegistry, store: Path) -> None:
    facts = manifest(store)
    if facts is None:
        return
    rows = json.loads((store / "rows.json").read_text())
    assert HOLDS[store.name] <= {r["topic"].split(":")[1] for r in rows["events"]}
    check_sealed(store, facts, rows)
    check_erased(app, store, facts["erased"])
    check_replays(app, facts["idempotency"])
    maternity = app.get(UUID(facts["maternity"]))
    assert (maternity.official.maternity_protected, maternity.state) == (True, "rejected")


def test_every_release_has_its_golden_store() -> None:
    assert {p.name for p in STORES} >= RELEASES
    for store in STORES:
        assert manifest(store) is None or store.name in HOLDS, store.name


def with_master_key(store: Path, data_dir: Path) -> Path:
    """The store's master key file (if it has one) in a data directory."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if (store / "master.key").exists():
        shutil.copy(store / "master.key", data_dir / "master.key")
    return data_dir


@pytest.mark.parametrize("store", STORES, ids=[p.name for p in STORES])
def test_a_golden_sqlite_store_reads_the_same_and_rebuilds(store: Path, tmp_path: Path) -> None:
    data_dir = with_master_key(store, tmp_path / "var")
    shutil.copy(store / "secondments.db", data_dir / "secondments.db")
    settings = Settings(data_dir=data_dir)
    app = open_registry(settings)
    try:
        assert app.snapshots is not None
        check_records(app, store)
        check_personal(app, store)
        check_read_models(app, settings)
    finally:
        app.close()


def load_rows(app: SecondmentRegistry, store: Path) -> None:
    """The stored rows, and the rows of the store's own tables in place of those the opening
    wrote (the master key's check and the pseudonym secret): reopen the registry to read them."""
    rows = json.loads((store / "rows.json").read_text())
    app.recorder.insert_events([stored(r) for r in rows["events"]])
    assert app.snapshots is not None
    app.snapshots.recorder.insert_events([stored(r) for r in rows["snapshots"]])
    db = Database(app)
    IdempotencyStore(db).create_table()
    for name, table in rows.get("tables", {}).items():
        db.execute(f"DELETE FROM {db.table(name)}")
        for row in table:
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            db.execute(
                f"INSERT INTO {db.table(name)} ({columns}) VALUES ({marks})", list(row.values())
            )


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
    with_master_key(store, pg_store.data_dir)
    app = open_registry(pg_store)
    try:
        load_rows(app, store)
    finally:
        app.close()
    app = open_registry(pg_store)
    try:
        assert len(json.loads((store / "rows.json").read_text())["snapshots"]) > 0
        check_records(app, store)
        check_personal(app, store)
        check_read_models(app, pg_store)
    finally:
        app.close()
