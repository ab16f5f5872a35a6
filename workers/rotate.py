"""`secondments rotate-master-key`: re-wraps every per-person key (and the pseudonym secret)
under a new master key, in one transaction; then restart every process with the new key."""

from __future__ import annotations

import argparse
import os
from typing import Any

from api.keyring import master_key
from api.settings import get_settings, open_registry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--new-key-env",
        default="SECONDMENTS_NEW_MASTER_KEY",
        help="environment variable holding the new key (base64 of 32 bytes)",
    )


def run(args: argparse.Namespace) -> int:
    new = os.environ.get(args.new_key_env)
    if not new:
        raise SystemExit(f"set {args.new_key_env} to the new master key (base64 of 32 bytes)")
    settings = get_settings()
    registry = open_registry(settings)
    try:
        keyring: Any = registry.keyring
        count = keyring.rotate(master_key(new, settings.data_dir))
    finally:
        registry.close()
    print(f"re-wrapped {count} personal keys; start every process with the new master key")
    return 0
