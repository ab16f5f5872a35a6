"""`secondments serve`: the HTTP API on the configured store (SQLite by default)."""

from __future__ import annotations

import argparse
import gc
import os
from typing import Any

DEMO_SIGN_IN = "SECONDMENTS_DEMO_SIGN_IN"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load the demo data first and offer one-click demo sign-in for every role",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="API processes sharing the port (each with its own connection pool); "
        "one Python process uses about one core",
    )


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api import logs
    from api.settings import get_settings

    if args.demo:
        os.environ[DEMO_SIGN_IN] = "true"  # read by get_settings() here and in each API process
        get_settings.cache_clear()
    settings = get_settings()
    logs.configure(settings.log_level)
    if args.workers < 1:
        raise SystemExit("error: --workers must be at least 1")
    if args.workers > 1 and not settings.uses_postgres:
        raise SystemExit(
            "error: --workers above 1 needs PostgreSQL (SECONDMENTS_DATABASE_URL); the SQLite "
            "store is the single-process embedded mode"
        )
    if args.demo:
        from workers import demo

        people = demo.load_and_print(settings)
        if settings.people_file is None:  # the demo's accounts by name, unless one is set
            os.environ["SECONDMENTS_PEOPLE_FILE"] = str(people)
            get_settings.cache_clear()
    else:
        from api.settings import open_registry

        open_registry(settings).close()  # an unreachable store fails here, in one line
    if args.workers > 1:
        from api import metrics

        metrics.prepare_multiprocess(settings.data_dir)
    if settings.metrics_port:
        exporter(settings)
    from workers.http_limits import HeaderBoundedProtocol

    print(welcome(args.host, args.port), flush=True)
    options = {
        "http": HeaderBoundedProtocol,
        "host": args.host,
        "port": args.port,
        "log_level": settings.log_level.lower(),
        "access_log": False,
    }
    if args.workers == 1:
        uvicorn.run(app(), **options)
    else:
        from api.auth import signing_secret

        if not settings.jwt_public_key:
            signing_secret(settings)  # made once here, not raced by the workers
        uvicorn.run("workers.serve:app", factory=True, workers=args.workers, **options)
    return 0


def welcome(host: str, port: int) -> str:
    """The lines printed at start: where the dashboard and the API documentation are."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{f'[{shown}]' if ':' in shown else shown}:{port}"
    return (
        f"Bảng điều khiển (dashboard): {base}/ui\n"
        f"API documentation: {base}/docs (ReDoc: {base}/redoc)"
    )


def exporter(settings: Any) -> None:
    """SECONDMENTS_METRICS_PORT: /metrics of every API process on a port of its own."""
    from api import metrics
    from api.settings import open_registry
    from projections.store import open_store

    registry, store = open_registry(settings), open_store(settings)
    metrics.start_exporter(settings.metrics_port, settings.metrics_host, registry, store)


def app() -> Any:
    """The API as one process serves it: with the timers inside on SQLite (several processes
    may run them: each deadline is recorded once) and, there too, the projections (one process
    holds each read model's lock, the others stand by)."""
    from api import logs
    from api.app import LifespanHook, create_app
    from api.settings import get_settings
    from workers import timers

    settings = get_settings()
    logs.configure(settings.log_level)
    hooks: list[LifespanHook] = [timers.embedded] if settings.runs_timers else []
    app = create_app(settings, hooks=hooks)
    quiet_collector()
    return app


def quiet_collector() -> None:
    """Moves everything loaded at start-up (the libraries, the official list of units) out of
    the garbage collector's reach: a full collection then walks only what requests allocate.
    Without it, reading a 1,000-event record paused for 30 ms in one request of a hundred."""
    gc.collect()
    gc.freeze()
