"""Real processes for the reliability and security tests: `secondments serve` (and `worker`) on a
free port, with the settings passed as SECONDMENTS_* variables, stderr kept in a file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from api.auth import mint_token
from api.settings import Settings

COMMAND = str(Path(sys.executable).with_name("secondments"))
SECRET = "reliability-tests-shared-secret-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def environment(settings: Settings, **extra: str) -> dict[str, str]:
    """The process environment that makes `secondments` read these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECONDMENTS_")}
    env.update(
        SECONDMENTS_DATA_DIR=str(settings.data_dir),
        SECONDMENTS_JWT_SECRET=SECRET,
        SECONDMENTS_DB_POOL_SIZE=str(settings.db_pool_size),
        SECONDMENTS_DB_MAX_OVERFLOW=str(settings.db_max_overflow),
        SECONDMENTS_DB_CONNECT_TIMEOUT=str(settings.db_connect_timeout),
    )
    if settings.database_url:
        env["SECONDMENTS_DATABASE_URL"] = settings.database_url
        env["SECONDMENTS_DB_SCHEMA"] = settings.db_schema or "public"
    env.update(extra)
    return env


def token(role: str, **claims: Any) -> dict[str, str]:
    """An Authorization header the processes started here accept."""
    settings = Settings(jwt_secret=SECRET)
    scope = {k: v for k, v in claims.items() if v is not None}
    signed = mint_token(settings, {"sub": f"{role}-{os.getpid()}", "role": role, **scope})
    return {"Authorization": f"Bearer {signed}"}


def until(condition: Callable[[], bool], timeout: float = 60, every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(every)


@dataclass
class Process:
    """A started `secondments` subcommand and the file its stderr goes to."""

    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        return int(self.popen.returncode)


def start(
    args: list[str], env: dict[str, str], log: Path, command: list[str] | None = None
) -> Process:
    """Starts `secondments ARGS` (or COMMAND ARGS) with stdout and stderr to the log file."""
    handle = log.open("wb")
    popen = subprocess.Popen(
        [*(command or [COMMAND]), *args],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    handle.close()
    return Process(popen, log)


@contextmanager
def serving(
    env: dict[str, str], log: Path, command: list[str] | None = None, ready_timeout: float = 60
) -> Iterator[str]:
    """`secondments serve` on a free port until the block ends; yields its base URL."""
    port = free_port()
    process = start(["serve", "--port", str(port)], env, log, command)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            assert process.popen.poll() is None, process.output()
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            said = process.output()
            assert time.monotonic() < deadline, f"the server did not become ready\n{said}"
            time.sleep(0.1)
        yield url
    finally:
        process.stop()


@contextmanager
def working(env: dict[str, str], log: Path) -> Iterator[Process]:
    """`secondments worker` until the block ends."""
    process = start(["worker"], env, log)
    try:
        yield process
    finally:
        process.stop()
