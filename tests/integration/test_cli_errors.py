"""The `secondments` command against a database it cannot use: one line that says what failed
and what to check, a non-zero exit, no traceback (every subcommand that opens the store)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.api.test_server import COMMAND

OPENS_THE_STORE = [
    ["init-db"],
    ["demo"],
    ["serve", "--port", "0"],
    ["serve", "--port", "0", "--demo"],
    ["worker"],
    ["projections", "status"],
    ["projections", "rebuild", "all"],
    ["timers", "--once"],
]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens once the socket is closed


def _run(tmp_path: Path, words: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SECONDMENTS_DATA_DIR": str(tmp_path / "var"), **env}
    return subprocess.run(
        [str(COMMAND), *words],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _assert_one_line(done: subprocess.CompletedProcess[str], *said: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for text in said:
        assert text in lines[0], lines[0]


@pytest.mark.parametrize("words", OPENS_THE_STORE, ids=lambda w: "-".join(w))
def test_a_database_that_refuses_connections(tmp_path: Path, words: list[str]) -> None:
    url = f"postgresql://secondments:not-to-be-printed@127.0.0.1:{_closed_port()}/registry"
    done = _run(tmp_path, words, SECONDMENTS_DATABASE_URL=url, SECONDMENTS_DB_CONNECT_TIMEOUT="2")
    _assert_one_line(
        done, f"secondments {words[0]}:", "Connection refused", "SECONDMENTS_DATABASE_URL"
    )
    assert "not-to-be-printed" not in done.stderr


def test_a_url_that_is_not_postgresql(tmp_path: Path) -> None:
    done = _run(tmp_path, ["init-db"], SECONDMENTS_DATABASE_URL="mysql://db/registry")
    _assert_one_line(done, "SECONDMENTS_DATABASE_URL is not valid", "postgresql://")


def test_a_data_directory_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    done = _run(tmp_path, ["init-db"], SECONDMENTS_DATA_DIR=str(blocker / "var"))
    _assert_one_line(done, "SQLite store", "SECONDMENTS_DATA_DIR")
