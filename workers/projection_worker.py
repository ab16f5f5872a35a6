"""`secondments worker`: runs the read models as a process of its own.

Follows new events as they commit (PostgreSQL LISTEN/NOTIFY, polling as a fallback; polling on
SQLite), holds one lock per read model so that a second worker waits as a standby, stops
cleanly on SIGTERM and resumes from each read model's tracked position.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "models", nargs="*", default=["all"], help="read models to run (default: all)"
    )
    parser.add_argument("--batch-size", type=int, default=None, help="events per transaction")
    parser.add_argument("--poll", type=float, default=None, help="seconds between polls")


def run(args: argparse.Namespace) -> int:
    import logging
    import signal

    from api import logs
    from api.settings import get_settings, open_registry, projection_runner
    from projections.catalog import select
    from projections.store import open_store

    settings = get_settings()
    logs.configure(settings.log_level)  # tracebacks without exception messages
    registry = open_registry(settings)
    store = open_store(settings)
    chosen = select(args.models or ["all"])
    runner = projection_runner(
        settings, registry, store, chosen, batch_size=args.batch_size, poll=args.poll
    )

    def stop(signum: int, _: object) -> None:
        logging.getLogger("secondments.worker").info("signal %d: stopping", signum)
        runner.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        runner.run_forever()
    finally:
        store.close()
        registry.close()
    return 0
