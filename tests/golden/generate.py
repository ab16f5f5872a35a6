"""Writes a golden store: what one release stored, for every later release to open.

    python -m tests.golden.generate NAME

creates `tests/golden/NAME/` with
- `secondments.db`: the SQLite event store (events and snapshots) as this release writes it;
- `rows.json`: the same stored rows as text (topic, originator id, version, state), in log order,
  for loading into any backend;
- `expected.json`: every record as this release reads it (its final view, and its state at every
  version), which later releases must reproduce;
- (since 0.2.0) `master.key`: the fixed test master key (`MASTER_KEY`) that wraps the per-person
  keys; `rows.json` then also holds the rows of the store's own tables (`TABLES`: the personal
  keys, their links, the master check and the stored idempotent responses), and `golden.json`
  names the records of `tests/golden/facts.py` (sealed, corrected, erased…).

The history is the demo (the real cases; since 0.2.0 all but Dien Bien's), one secondment per
row and source state of the lifecycle table, recorded with a small snapshot interval so that
snapshots are stored too, and the facts of `tests/golden/facts.py`. Each release that changes a
stored event, the snapshot or one of those tables adds a store of its own; old ones stay. Run it
with that release's code.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from api.settings import Settings, open_registry
from domain import lifecycle
from domain.application import SecondmentRegistry
from domain.values import Actor, CommandMeta, Role
from tests.golden import facts
from tests.golden.views import record_view
from tests.unit import states

HERE = Path(__file__).parent
CLOCK = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
WALK_SNAPSHOT_INTERVAL = 3
MASTER_KEY = "Z29sZGVuLXN0b3Jlcy10ZXN0LW1hc3Rlci1rZXktMzI="
"""The golden stores' master key (base64 of 32 bytes): a test key, published on purpose."""
TABLES = ("personal_keys", "personal_links", "personal_master", "api_idempotency")
KEPT = ("secondments.db", "rows.json", "expected.json", "master.key", "golden.json")


def fixed_clock() -> datetime:
    return CLOCK


def walk(app: SecondmentRegistry) -> None:
    """One secondment for each (action, source state) of the lifecycle table: brought to the
    source state by the canonical path, then given the action."""
    for row in lifecycle.TABLE:
        for source in row.sources:
            secondment = states.new_secondment(
                meta=CommandMeta(
                    Actor("golden", Role.HOME_AFFAIRS), f"golden:{row.action}:{source}", "golden"
                ),
                effective_on=date(2025, 10, 1),
                official=states.builders.official(personnel_id=f"GOLDEN-{row.action}-{source}"),
            )
            path = list(states.PATHS[source])
            if (
                row.action in ("escalate_difficulty", "resolve_difficulty")
                and "raise_difficulty" not in path
            ):
                path = ["approve", "deploy", "raise_difficulty"]
            for action in [*path, row.action]:
                states.COMMANDS[action](secondment)
            app.save(secondment)


def stored_rows(app: SecondmentRegistry) -> dict[str, Any]:
    from api.storage import Database

    events = app.recorder.select_notifications(start=1, limit=10**9)
    snapshots = []
    assert app.snapshots is not None
    for originator_id in {n.originator_id for n in events}:
        snapshots.extend(app.snapshots.recorder.select_events(originator_id))
    db = Database(app)
    return {
        "events": [_row(n) for n in events],
        "snapshots": [
            _row(s)
            for s in sorted(snapshots, key=lambda s: (str(s.originator_id), s.originator_version))
        ],
        "tables": {
            name: [dict(r) for r in db.query(f"SELECT * FROM {db.table(name)} ORDER BY 1, 2")]
            for name in TABLES
        },
    }


def _row(stored: Any) -> dict[str, Any]:
    return {
        "originator_id": str(stored.originator_id),
        "originator_version": stored.originator_version,
        "topic": stored.topic,
        "state": stored.state.decode(),
    }


def expected_views(app: SecondmentRegistry, rows: list[dict[str, Any]]) -> dict[str, Any]:
    last: dict[str, int] = {}
    for row in rows:
        last[row["originator_id"]] = row["originator_version"]
    found = {}
    for originator_id, version in sorted(last.items()):
        record = app.repository.get(_uuid(originator_id))
        found[originator_id] = {
            "view": record_view(record),
            "states": [
                getattr(app.repository.get(_uuid(originator_id), version=v), "state", None)
                for v in range(1, version + 1)
            ],
        }
    return found


def _uuid(text: str) -> Any:
    from uuid import UUID

    return UUID(text)


def load_demo(app: SecondmentRegistry) -> None:
    """The demo's cases but Dien Bien's: its year of weekly reports for 52 officials adds
    megabytes, not shapes (0.1.0 holds them; the walk gives every action). Runs on the demo as
    0.2.0 wrote it (one module) and as split into case modules since."""
    import importlib

    try:
        from workers.demo_cases import CASES
        from workers.demo_kit import Demo
    except ImportError:
        from workers import demo, demo_wave

        released = demo.Demo(app)
        for load in (demo.ministry_pilot, demo.da_nang, demo_wave.load):
            load(released)
        return
    cases = Demo(app)
    for case in CASES:
        if not case.endswith("dien_bien"):
            importlib.import_module(case).load(cases)


def generate(name: str) -> Path:
    target = HERE / name
    if target.exists():
        raise SystemExit(f"{target} exists: a golden store is never rewritten; pick a new name")
    target.mkdir()
    (target / "master.key").write_text(MASTER_KEY)
    settings = Settings(data_dir=target, snapshot_interval=50)
    app = open_registry(settings, clock=fixed_clock)
    load_demo(app)
    app.close()
    walker = open_registry(
        settings.model_copy(update={"snapshot_interval": WALK_SNAPSHOT_INTERVAL}), clock=fixed_clock
    )
    walk(walker)
    manifest = facts.record(walker)
    (target / "golden.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    rows = stored_rows(walker)
    (target / "rows.json").write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n")
    views = expected_views(walker, rows["events"])
    (target / "expected.json").write_text(
        json.dumps(views, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    )
    walker.close()
    for extra in target.iterdir():
        if extra.name not in KEPT:
            extra.unlink()
    return target


if __name__ == "__main__":
    print(generate(sys.argv[1]))
