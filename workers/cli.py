"""The `secondments` command: one entry point, one module per subcommand.

Each subcommand module exposes `add_arguments(parser)` and `run(args) -> int`, and keeps its
heavy imports inside `run`, so `secondments token` does not pay for the web server.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

SUBCOMMANDS = {
    "serve": ("workers.serve", "run the HTTP API (and, on SQLite, the projections and timers)"),
    "demo": ("workers.demo", "load demo data from the real cases and print a token per role"),
    "token": ("workers.tokens", "mint a signed token for local use; prints only the token"),
    "init-db": ("workers.initdb", "create the tables explicitly (production)"),
    "rotate-master-key": ("workers.rotate", "re-wrap the per-person keys under a new master key"),
    "worker": ("workers.projection_worker", "run the projections as a separate process"),
    "projections": ("workers.projection_admin", "read-model status and rebuilds"),
    "timers": ("workers.timers", "record overdue reports, handovers due and expired terms"),
}


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the selected subcommand's module is imported to add its arguments."""
    parser = argparse.ArgumentParser(prog="secondments", description="Secondment Registry")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(module=module_name)
        if name == selected:
            importlib.import_module(module_name).add_arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    selected = next((w for w in words if w in SUBCOMMANDS), None)
    args = build_parser(selected).parse_args(words)
    try:
        return int(importlib.import_module(args.module).run(args) or 0)
    except Exception as exc:
        from workers.failures import explain

        said = explain(exc, _database_url())
        if said is None:
            raise
        print(f"secondments {args.command}: {said}", file=sys.stderr)
        return 2


def _database_url() -> str | None:
    import os

    return os.environ.get("SECONDMENTS_DATABASE_URL") or None


if __name__ == "__main__":
    sys.exit(main())
