"""`secondments projections status|rebuild NAME`: where each read model stands; rebuild one
(or `all`) blue/green, with a progress bar.

A rebuild creates a new version of the model's tables beside the live one. Whichever runner
holds the model (a worker, the API's embedded runner, or this command when none does) fills it
from the start of the log and switches reads to it once it has caught up.
"""

from __future__ import annotations

import argparse
import time
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    status = actions.add_parser("status", help="position, events behind, last update, state")
    status.add_argument("--json", action="store_true", help="print JSON")
    rebuild = actions.add_parser("rebuild", help="rebuild a read model without downtime")
    rebuild.add_argument("name", help="a read model's name, or `all`")
    rebuild.add_argument("--no-progress", action="store_true", help="no progress bar")
    rebuild.add_argument("--timeout", type=float, default=3600, help="give up after seconds")


def run(args: argparse.Namespace) -> int:
    from api.settings import get_settings, open_registry
    from projections.catalog import ReadModels
    from projections.store import open_store

    settings = get_settings()
    registry = open_registry(settings)
    store = open_store(settings)
    try:
        models = ReadModels(store)
        models.setup(registry)
        if args.action == "status":
            return show_status(registry, models, args.json)
        return rebuild(registry, store, models, settings, args)
    finally:
        store.close()
        registry.close()


def show_status(registry: Any, models: Any, as_json: bool) -> int:
    import json
    from dataclasses import asdict

    from rich.console import Console
    from rich.table import Table

    from projections.catalog import head

    found = models.status(head(registry))
    if as_json:
        print(json.dumps([asdict(s) for s in found], indent=2))
        return 0
    table = Table("read model", "version", "position", "behind", "last update", "state")
    for s in found:
        state = s.state
        if s.error:
            state += f" ({s.error}: rebuild it, or restart its worker to retry)"
        if s.rebuilding:
            state += f" (v{s.rebuilding['version']} at {s.rebuilding['position']:,})"
        table.add_row(
            s.name,
            str(s.version),
            f"{s.position:,}",
            f"{s.events_behind:,}",
            s.last_update or "-",
            state,
        )
    Console().print(table)
    return 0


def rebuild(registry: Any, store: Any, models: Any, settings: Any, args: argparse.Namespace) -> int:
    from api.settings import projection_runner
    from projections.catalog import BY_NAME, select

    if args.name != "all" and args.name not in BY_NAME:
        print(f"unknown read model {args.name!r}; one of: all, {', '.join(BY_NAME)}")
        return 2
    chosen = select(args.name)
    wanted = {m.name: models.request_rebuild(m.name) for m in chosen}
    runner = projection_runner(settings, registry, store, chosen)
    runner.start()
    try:
        done = watch(registry, models, wanted, args.timeout, not args.no_progress)
        if done and set(wanted) <= runner.held:
            retire(models, set(wanted), runner.drop_grace + 3)
    finally:
        runner.stop()
    if not done:
        print("the rebuild has not finished; a running worker will complete it")
        return 1
    print(f"rebuilt {', '.join(f'{n} (v{v})' for n, v in wanted.items())}")
    return 0


def retire(models: Any, names: set[str], timeout: float) -> None:
    """Waits while the runner drops the old tables (after their grace period)."""
    from projections import versions

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with models.store.read() as tx:
            every = versions.all_versions(tx, models.store)
        if not any(v.status == versions.RETIRED and v.name in names for v in every):
            return
        time.sleep(0.2)


def _building(models: Any, wanted: dict[str, int]) -> dict[str, int]:
    """Position of each wanted version still building."""
    return {
        s.name: s.rebuilding["position"]
        for s in models.status(0)
        if s.name in wanted and s.rebuilding and s.rebuilding["version"] == wanted[s.name]
    }


def watch(
    registry: Any, models: Any, wanted: dict[str, int], timeout: float, progress: bool
) -> bool:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from projections.catalog import head

    deadline = time.monotonic() + timeout
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f}"),
        TextColumn("{task.fields[rate]:,.0f} events/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, disable=not progress) as bar:
        tasks = {n: bar.add_task(n, total=head(registry) or 1, rate=0.0) for n in wanted}
        started, last = time.monotonic(), dict.fromkeys(wanted, 0)
        while time.monotonic() < deadline:
            building = _building(models, wanted)
            at_head = head(registry) or 1
            elapsed = max(time.monotonic() - started, 1e-6)
            for name, task in tasks.items():
                position = building.get(name, at_head)
                last[name] = position
                bar.update(task, completed=position, total=at_head, rate=position / elapsed)
            if not building:
                return True
            time.sleep(0.2)
    return False
