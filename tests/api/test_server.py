"""The real server process: `secondments serve` on a free port, driven over a socket."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from tests.api.helpers import BODIES, secondment_body

COMMAND = Path(sys.executable).parent / "secondments"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _environment(store: Settings) -> dict[str, str]:
    env = {**os.environ, "SECONDMENTS_DATA_DIR": str(store.data_dir)}
    if store.database_url:
        env["SECONDMENTS_DATABASE_URL"] = store.database_url
        env["SECONDMENTS_DB_SCHEMA"] = store.db_schema or ""
    return env


@contextmanager
def serving(env: dict[str, str], *args: str) -> Iterator[tuple[str, list[str]]]:
    """`secondments serve ARGS` on a free port until /readyz answers; yields its URL and a
    list that holds what it wrote to stderr once it has been stopped (SIGTERM)."""
    port = _free_port()
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url, said = f"http://127.0.0.1:{port}", []
    try:
        for _ in range(900):  # about 90 s: `serve --demo` first loads the demo, slow under load
            if process.poll() is not None:
                break
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not become ready")
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        yield url, said
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=20)
        said.append(errors.decode(errors="replace"))
        assert process.returncode in (0, -signal.SIGTERM), said[0]
        assert "Application shutdown complete" in said[0], said[0]


@pytest.fixture
def server(store: Settings) -> Iterator[tuple[str, dict[str, str]]]:
    env = _environment(store)
    with serving(env) as (url, _):
        yield url, env


def _token(env: dict[str, str], *args: str) -> dict[str, str]:
    done = subprocess.run(
        [str(COMMAND), "token", *args], env=env, capture_output=True, text=True, check=True
    )
    return {"Authorization": f"Bearer {done.stdout.strip()}"}


def test_one_lifecycle_over_a_socket(server: tuple[str, dict[str, str]]) -> None:
    url, env = server
    ministry = _token(env, "--role", "ministry")
    commune = _token(env, "--role", "commune", "--ward", "3194")
    body = secondment_body()
    official = _token(env, "--role", "official", "--personnel-id", body["official"]["personnel_id"])
    with httpx.Client(base_url=url, timeout=10) as client:
        created = client.post("/v1/secondments", json=body, headers=ministry)
        assert created.status_code == 201, created.text
        sid = created.json()["id"]
        for action, headers in (
            ("approve", ministry),
            ("deploy", commune),
            ("reports", official),
            ("handover", official),
            ("end", commune),
        ):
            r = client.post(f"/v1/secondments/{sid}/{action}", json=BODIES[action], headers=headers)
            assert r.status_code == 200, (action, r.text)
        final = client.get(f"/v1/secondments/{sid}", headers=commune).json()
        assert (final["state"], final["version"]) == ("ended", 6)
        assert final["official"]["full_name"] == "Đào Duy Hưng"


def test_several_api_processes_share_the_port_and_the_store(pg_store: Settings) -> None:
    """`serve --workers 2` on PostgreSQL: two processes answer on one port, tokens signed with
    the secret made at start-up are accepted by both, and what one records the other reads."""
    env = _environment(pg_store)
    with serving(env, "--workers", "2") as (url, stderr):
        ministry = _token(env, "--role", "ministry")
        created = []
        for _ in range(12):
            # a new connection each time, so the kernel hands it to either process
            with httpx.Client(base_url=url, timeout=10) as client:
                r = client.post("/v1/secondments", json=secondment_body(), headers=ministry)
                assert r.status_code == 201, r.text
                created.append(r.json()["id"])
        for sid in created:
            with httpx.Client(base_url=url, timeout=10) as client:
                assert client.get(f"/v1/secondments/{sid}", headers=ministry).status_code == 200
    said = stderr[0]
    assert len(set(re.findall(r"Started server process \[(\d+)\]", said))) == 2, said
    assert said.count("Application startup complete") == 2, said
    assert said.count("Application shutdown complete") == 2, said


def test_several_api_processes_on_the_embedded_store_are_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(COMMAND), "serve", "--port", str(_free_port()), "--workers", "2"],
        env={**os.environ, "SECONDMENTS_DATA_DIR": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "--workers above 1 needs PostgreSQL" in done.stderr
    assert not (tmp_path / "var").exists() or not any((tmp_path / "var").glob("*.db"))


def test_the_metrics_of_several_api_processes_add_up(pg_store: Settings) -> None:
    """`serve --workers 2` with SECONDMENTS_METRICS_PORT: the port (no token) shows the
    requests that both processes answered, summed."""
    from prometheus_client.parser import text_string_to_metric_families

    metrics_port = _free_port()
    env = {**_environment(pg_store), "SECONDMENTS_METRICS_PORT": str(metrics_port)}
    with serving(env, "--workers", "2") as (url, stderr):
        ministry = _token(env, "--role", "ministry")
        for _ in range(12):
            with httpx.Client(base_url=url, timeout=10) as client:
                r = client.post("/v1/secondments", json=secondment_body(), headers=ministry)
                assert r.status_code == 201, r.text
        text = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).text
    samples = {
        (s.name, s.labels.get("route"), s.labels.get("status"), s.labels.get("action")): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert samples[("secondments_http_requests_total", "/v1/secondments", "201", None)] == 12
    assert samples[("secondments_command_seconds_count", None, None, "request")] == 12
    assert samples[("secondments_log_head", None, None, None)] == 12
    assert len(set(re.findall(r"Started server process \[(\d+)\]", stderr[0]))) == 2
