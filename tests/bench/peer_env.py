"""The peer's virtualenv (issue #19's Django project, tests/bench/peer): created on first use
from its pinned requirements in a cache directory, never in our own environment, so that our
product's dependencies and `make test` never see Django.

It lives in `$BENCH_CACHE_DIR/peer-<digest of requirements.txt>` (default: the user's cache
directory, `$XDG_CACHE_HOME/secondment-registry` or `~/.cache/secondment-registry`); changed
pins make a new one, and deleting the directory makes the next run create it again."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

PEER_DIR = Path(__file__).parent / "peer"
REQUIREMENTS = PEER_DIR / "requirements.txt"
CACHE_VARIABLE = "BENCH_CACHE_DIR"
INSTALL_SECONDS = 900


class Unavailable(Exception):
    """Raised when the peer's virtualenv cannot be created (no package index, no network)."""


def cache_dir() -> Path:
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "secondment-registry"


def venv_dir() -> Path:
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    return cache_dir() / f"peer-{digest}"


def interpreter() -> Path:
    """The peer virtualenv's Python, after creating the virtualenv if it is not there yet."""
    venv = venv_dir()
    python = venv / "bin" / "python"
    ready = venv / ".installed"
    if ready.exists():
        return python
    shutil.rmtree(venv, ignore_errors=True)
    print(f"  creating the peer's virtualenv in {venv} (once)", file=sys.stderr, flush=True)
    try:
        _run("python -m venv", [sys.executable, "-m", "venv", str(venv)])
        pip = [str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)]
        _run("pip install -r tests/bench/peer/requirements.txt", pip)
    except Unavailable:
        shutil.rmtree(venv, ignore_errors=True)
        raise
    ready.touch()
    return python


def _run(what: str, args: list[str]) -> None:
    """Runs one step of the creation; its failure, in one line, as `Unavailable`."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=INSTALL_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as failed:
        raise Unavailable(f"cannot create its virtualenv: {what}: {failed}") from None
    if done.returncode != 0:
        said = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
        last = (said or done.stderr.strip().splitlines() or ["no output"])[-1]
        raise Unavailable(f"cannot create its virtualenv: {what}: {last.strip()[:200]}")
