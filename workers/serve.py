"""`secondments serve`: the HTTP API on the configured store (SQLite by default)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--demo", action="store_true", help="load the demo data first")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api import logs
    from api.settings import get_settings

    settings = get_settings()
    logs.configure(settings.log_level)
    if args.demo:
        from workers import demo

        demo.load_and_print(settings)
    from api.app import LifespanHook, create_app
    from workers import timers

    hooks: list[LifespanHook] = [timers.embedded] if settings.runs_timers else []
    uvicorn.run(
        create_app(settings, hooks=hooks),
        host=args.host,
        port=args.port,
        log_level=settings.log_level.lower(),
        access_log=False,
    )
    return 0
