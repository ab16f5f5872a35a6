"""Personal data stays out of the logs: officials' names, personnel ids and appraisals appear in
no log line of a whole lifecycle with its errors (422, 409, 412, 404, a 503 and a 500 whose
exception quotes the official), neither in-process (caplog) nor on a real server's stderr."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

from api.app import create_app
from api.logs import FORMAT, RedactingFormatter
from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from tests import builders
from tests.api.helpers import BODIES, secondment_body
from tests.reliability import processes

NAME = "Nguyễn Thị Riêng Tư"
APPRAISALS = [
    {"year": 2022, "rating": "good"},
    {"year": 2023, "rating": "excellent"},
    {"year": 2024, "rating": "good"},
]
CLIENT_LOGGERS = ("httpx", "httpcore")
"""The test client's own loggers (they log the URLs it sends), not the service's."""
EXPLODING_SERVER = textwrap.dedent(
    """
    import sys
    from domain.application import SecondmentRegistry

    def explode(self, secondment_id, at):
        o = self.get(secondment_id).official
        raise RuntimeError(f"as_of failed for {o.full_name} {o.personnel_id} {o.appraisals}")

    SecondmentRegistry.as_of = explode
    from workers.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def _official(personnel_id: str) -> dict[str, Any]:
    official = secondment_body()["official"]
    return {**official, "full_name": NAME, "personnel_id": personnel_id, "appraisals": APPRAISALS}


def _secrets(personnel_id: str) -> list[str]:
    return [NAME, "Riêng Tư", personnel_id, "Appraisal(", "year=2023", "Rating.", '"rating"']


Send = Callable[..., httpx.Response]


def _lifecycle(send: Send, token: Callable[..., dict[str, str]], personnel_id: str) -> None:
    """A whole lifecycle with its errors; `send(method, path, headers, json=None)`."""
    ministry = token("ministry")
    official = token("official", personnel_id=personnel_id)
    commune = token("commune", province_code=11, ward_code=3194)
    body = secondment_body(official=_official(personnel_id))
    created = send("POST", "/v1/secondments", ministry, json=body)
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    twin = send("POST", "/v1/secondments", ministry, json=body)
    assert twin.status_code == 201
    approved = send("POST", f"/v1/secondments/{sid}/approve", ministry, BODIES["approve"])
    assert approved.status_code == 200, approved.text
    refused = send(
        "POST", f"/v1/secondments/{twin.json()['id']}/approve", ministry, BODIES["approve"]
    )
    assert refused.status_code == 422 and personnel_id in refused.text
    steps = [
        ("approve", ministry, {}, 409),
        ("deploy", commune, {"If-Match": '"1"'}, 412),
        ("deploy", commune, {}, 200),
        ("reports", official, {"Idempotency-Key": "r-1"}, 200),
        ("reports", official, {"Idempotency-Key": "r-1"}, 200),
        ("difficulties", official, {}, 200),
        ("handover", official, {}, 200),
        ("end", commune, {}, 200),
    ]
    for action, headers, extra, status in steps:
        r = send("POST", f"/v1/secondments/{sid}/{action}", {**headers, **extra}, BODIES[action])
        assert r.status_code == status, (action, r.text)
    bad = {**body, "official": {**body["official"], "full_name": NAME + "\x00"}}
    assert send("POST", "/v1/secondments", ministry, json=bad).status_code == 422
    assert (
        send("GET", f"/v1/secondments/{sid}", token("commune", ward_code=20455)).status_code == 404
    )
    assert send("GET", f"/v1/secondments?q={NAME}", ministry).status_code == 200
    assert send("GET", f"/v1/audit?actor={personnel_id}", ministry).status_code == 200
    failed = send("GET", f"/v1/secondments/{sid}?as_of=2025-10-20T00:00:00Z", ministry)
    assert failed.status_code == 500, failed.text
    assert NAME not in failed.text and personnel_id not in failed.text


@pytest.fixture
def app_on(store: Settings) -> Iterator[TestClient]:
    settings = store.model_copy(update={"run_projections": True})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_no_personal_data_in_the_logs_in_process(
    app_on: TestClient,
    store: Settings,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from api.auth import mint_token

    personnel_id = "DB-PRIV-000042"

    def token(role: str, **claims: Any) -> dict[str, str]:
        signed = mint_token(store, {"sub": f"{role}-log", "role": role, **claims})
        return {"Authorization": f"Bearer {signed}"}

    def send(method: str, path: str, headers: dict[str, str], json: Any = None) -> httpx.Response:
        return app_on.request(method, path, headers=headers, json=json)

    def explode(self: SecondmentRegistry, secondment_id: Any, at: Any) -> None:
        o = self.get(secondment_id).official
        raise RuntimeError(f"as_of failed for {o.full_name} {o.personnel_id} {o.appraisals}")

    registry = app_on.app.state.registry  # type: ignore[attr-defined]
    with caplog.at_level(logging.DEBUG):
        monkeypatch.setattr(SecondmentRegistry, "as_of", explode)
        _lifecycle(send, token, personnel_id)
        monkeypatch.setattr(
            registry, "get", lambda *a, **k: (_ for _ in ()).throw(OperationalError(NAME))
        )
        down = send("GET", "/v1/secondments/" + "0" * 32, token("ministry"))
        assert down.status_code == 503
    logged = [r for r in caplog.records if not r.name.startswith(CLIENT_LOGGERS)]
    assert any(r.levelno >= logging.ERROR for r in logged), "the 500 and the 503 were not logged"
    text = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.stack_info or ''}" for r in logged
    )
    for secret in _secrets(personnel_id):
        assert secret not in text, secret


def test_no_personal_data_on_a_real_servers_stderr(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    env = processes.environment(settings, SECONDMENTS_LOG_LEVEL="DEBUG")
    log = tmp_path / "serve.log"
    personnel_id = "DB-PRIV-000043"
    command = [sys.executable, "-c", EXPLODING_SERVER]
    with processes.serving(env, log, command) as url, httpx.Client(base_url=url, timeout=30) as c:

        def send(
            method: str, path: str, headers: dict[str, str], json: Any = None
        ) -> httpx.Response:
            return c.request(method, path, headers=headers, json=json)

        _lifecycle(send, processes.token, personnel_id)
        failed = send(
            "GET", f"/v1/secondments?limit=1&q={NAME}", processes.token("ministry")
        ).json()
        assert "items" in failed
    said = log.read_text(encoding="utf-8")
    assert "unhandled error" in said and "RuntimeError" in said, said[-2000:]
    for secret in _secrets(personnel_id):
        assert secret not in said, secret


def test_the_processes_log_exceptions_by_type_and_stack_without_their_messages() -> None:
    formatter = RedactingFormatter(FORMAT)
    personnel_id = "DB-PRIV-000044"
    try:
        try:
            raise KeyError(personnel_id)
        except KeyError as inner:
            raise ValueError(f"projection failed for {NAME}") from inner
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    text = formatter.format(record)
    assert "builtins.KeyError" in text and "builtins.ValueError" in text and __file__ in text
    assert NAME not in text and personnel_id not in text


EXPLODING_WORKER = textwrap.dedent(
    """
    import sys
    from projections.secondments import Secondments

    def explode(self, tx, t, events):
        official = events[0].data.official
        raise RuntimeError(f"projection failed for {official.full_name} {official.personnel_id}")

    Secondments.apply = explode
    from workers.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_no_personal_data_on_a_projection_workers_stderr(tmp_path: Path) -> None:
    """The worker quarantines a failing read model and logs the failure with its stack, by the
    exception's type only: the message quoted the official's name and personnel id."""
    settings = Settings(data_dir=tmp_path / "var")
    personnel_id = "DB-PRIV-000045"
    app = open_registry(settings)
    try:
        builders.request(app, builders.official(full_name=NAME, personnel_id=personnel_id))
    finally:
        app.close()
    env = processes.environment(settings, SECONDMENTS_PROJECTION_POLL_SECONDS="0.05")
    worker = subprocess.Popen(
        [sys.executable, "-c", EXPLODING_WORKER, "worker", "secondments"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(4)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=20)
    said = err.decode(errors="replace")
    assert "secondments v1 quarantined" in said and "RuntimeError" in said, said[-2000:]
    for secret in (NAME, personnel_id):
        assert secret not in said, said[-2000:]
