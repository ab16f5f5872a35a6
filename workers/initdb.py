"""`secondments init-db`: create the event store's tables explicitly, then exit."""

from __future__ import annotations

import argparse

from api.settings import get_settings, open_registry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults()


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    registry = open_registry(settings)
    registry.close()
    where = "PostgreSQL" if settings.uses_postgres else f"SQLite in {settings.data_dir}"
    print(f"event store ready ({where})")
    return 0
