"""`make bench` against a PostgreSQL that refuses connections: one clear line, no traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens once the socket is closed


def test_a_refused_connection_ends_the_bench_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "SECONDMENTS_TEST_PG_PORT": str(closed_port())}
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--quick", "--out", str(tmp_path / "out.json")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("bench: cannot use PostgreSQL: PostgreSQL refuses connections at")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.json").exists()
