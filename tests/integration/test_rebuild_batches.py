"""What makes a rebuild fast, on both backends: a batch of the log is decoded with its personal
keys unwrapped together (not one query per person), every read model applies it in one
transaction (a failing one rolled back alone), and a read model's new rows are appended (COPY
on PostgreSQL) with the same rows as an upsert would leave, even when a row believed new is
already there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from projections import versions
from projections.agencies import Agencies
from projections.base import Event, Rows, Table, Tables
from projections.catalog import DECODED, MODELS, ReadModels, head
from projections.decoding import aggregate_of, decode
from projections.runner import Runner
from projections.store import Tx, open_store
from tests.bench import generator

PAIRS = Table(
    "pairs", (("a", "TEXT NOT NULL"), ("b", "INTEGER NOT NULL"), ("v", "TEXT")), ("a", "b")
)


def test_a_batch_is_decoded_with_its_keys_unwrapped_at_once(registry: SecondmentRegistry) -> None:
    generator.load(registry, 400, seed=7)
    notifications = registry.recorder.select_notifications(1, 1000)
    people = {n.originator_id for n in notifications if ":Secondment" in n.topic}
    assert len(people) > 10
    keyring: Any = registry.keyring
    asked: list[str] = []
    query = keyring.db.query

    def counted(statement: str, params: Any = ()) -> Any:
        asked.append(statement)
        return query(statement, params)

    keyring.forget()
    keyring.db.query = counted
    events = decode(registry, notifications, DECODED)
    keyring.db.query = query

    assert len(asked) == 1  # one query for the batch's keys, none per person
    keyring.forget()
    kept = [n for n in notifications if aggregate_of(n.topic)[0] in DECODED]
    assert [e.data for e in events] == [registry.mapper.to_domain_event(n) for n in kept]


def _with_table(settings: Settings) -> Any:
    store = open_store(settings, prefix="t_")
    name = store.table("t_pairs")
    with store.write() as tx:
        tx.execute(
            f"CREATE TABLE {name} (a TEXT NOT NULL, b INTEGER NOT NULL, v TEXT, PRIMARY KEY (a, b))"
        )
    return store, name


def test_new_rows_are_appended_and_a_row_believed_new_is_upserted(store: Settings) -> None:
    read, name = _with_table(store)
    try:
        with read.write() as tx:
            rows = Rows(tx, name, PAIRS)
            rows.preload(["x", "y"])
            rows.put({"a": "x", "b": 1, "v": "one"})
            rows.put({"a": "x", "b": 2, "v": "two"})
            rows.put({"a": "y", "b": 1, "v": "first"})
            rows.flush()
            rows.put({"a": "y", "b": 1, "v": "again"})  # written by the flush: an upsert now
            rows.delete("x", 2)
            rows.flush()
        with read.write() as tx:
            rows = Rows(tx, name, PAIRS)
            rows.preload(["z"])
            tx.execute(f"INSERT INTO {name} (a, b, v) VALUES ('z', 1, 'behind its back')")
            rows.put({"a": "z", "b": 1, "v": "mine"})
            rows.put({"a": "z", "b": 2, "v": "also mine"})
            rows.flush()
            assert [r["v"] for r in rows.group("z")] == ["mine", "also mine"]
        with read.read() as tx:
            found = tx.rows(f"SELECT a, b, v FROM {name} ORDER BY a, b")
        assert [(r["a"], r["b"], r["v"]) for r in found] == [
            ("x", 1, "one"),
            ("y", 1, "again"),
            ("z", 1, "mine"),
            ("z", 2, "also mine"),
        ]
    finally:
        read.close()


def test_a_group_keeps_the_order_rows_were_first_seen(store: Settings) -> None:
    read, name = _with_table(store)
    try:
        with read.write() as tx:
            tx.execute(f"INSERT INTO {name} (a, b, v) VALUES ('g', 5, 'stored')")
            rows = Rows(tx, name, PAIRS)
            rows.put({"a": "h", "b": 1, "v": "other group"})
            rows.put({"a": "g", "b": 9, "v": "put first"})
            assert [r["v"] for r in rows.group("g")] == ["put first", "stored"]
            rows.delete("g", 9)
            rows.put({"a": "g", "b": 7, "v": "new"})
            assert [r["v"] for r in rows.group("g")] == ["stored", "new"]
            rows.flush()
        with read.read() as tx:
            found = tx.rows(f"SELECT v FROM {name} WHERE a = 'g' ORDER BY b")
        assert [r["v"] for r in found] == ["stored", "new"]
    finally:
        read.close()


class Broken(Agencies):
    """The agencies read model failing inside the database, after writing its rows."""

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        super().apply(tx, t, events)
        tx.execute(f"SELECT * FROM {t.raw('missing')}")


def test_a_batch_is_one_transaction_for_every_model_and_a_failing_one_is_rolled_back_alone(
    store: Settings,
) -> None:
    app = open_registry(store)
    read = open_store(store)
    try:
        ReadModels(read).setup(app)  # live versions, at the start of an empty log
        generator.load(app, 300, seed=11)
        models = [Broken() if m.name == "agencies" else m for m in MODELS]
        runner = Runner(app, read, models, drop_grace=0, poll=0.05, batch_size=10_000)
        runner.claim()
        writes: list[int] = []
        write = read.write

        def counted() -> Any:
            writes.append(1)
            return write()

        read.write = counted  # type: ignore[method-assign]
        runner.step()
        read.write = write  # type: ignore[method-assign]

        assert len(writes) == 2  # the batch for every model, then the quarantine
        with read.read() as tx:
            found = {v.name: v for v in versions.all_versions(tx, read)}
            t = Tables(read, "agencies", found["agencies"].version)
            left = tx.one(f"SELECT COUNT(*) AS n FROM {t.main}")
        assert found["agencies"].error is not None and found["agencies"].position == 0
        assert left is not None and int(left["n"]) == 0  # its rows were rolled back with it
        at_head = head(app)
        assert all(v.position == at_head for n, v in found.items() if n != "agencies")
    finally:
        read.close()
        app.close()
