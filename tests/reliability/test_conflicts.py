"""Conflicting writers over real sockets: 32 clients of a `secondments serve` process send
conflicting commands (deploy, withdraw, reject, reports, difficulties, extend, recall, If-Match,
repeated Idempotency-Keys) at a handful of secondments at once.

Every 2xx answer is exactly one stored event (its version and position are that event's), every
stored event was acknowledged, every refusal is a 409, 412 or 422 problem, nothing is a 5xx, and
each secondment's versions stay contiguous."""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.api.helpers import BODIES, secondment_body
from tests.reliability import processes
from tests.reliability.processes import token

CLIENTS = 32
COMMANDS_PER_CLIENT = 8
MINISTRY = token("ministry")


@pytest.fixture
def server(store: Settings, tmp_path: Path) -> Iterator[str]:
    settings = store.model_copy(update={"db_pool_size": 10, "db_max_overflow": 10})
    env = processes.environment(
        settings, SECONDMENTS_RUN_TIMERS="false", SECONDMENTS_LOG_LEVEL="WARNING"
    )
    with processes.serving(env, tmp_path / "serve.log") as url:
        yield url


@dataclass(frozen=True)
class Target:
    sid: str
    personnel_id: str
    setup_version: int


@dataclass(frozen=True)
class Sent:
    sid: str
    action: str
    status: int
    body: dict[str, Any]
    content_type: str
    key: str | None
    if_match: int | None


def _prepare(client: httpx.Client, state: str) -> Target:
    body = secondment_body()
    created = client.post("/v1/secondments", json=body, headers=MINISTRY)
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    steps = ["approve"] + (["deploy"] if state == "deployed" else [])
    version = 1
    for action in steps:
        r = client.post(f"/v1/secondments/{sid}/{action}", json=BODIES[action], headers=MINISTRY)
        assert r.status_code == 200, r.text
        version = r.json()["version"]
    return Target(sid, body["official"]["personnel_id"], version)


def _command(target: Target, approved: bool, rng: random.Random) -> tuple[str, dict[str, str]]:
    """A conflicting command for this target: its path suffix and any extra headers."""
    if approved:
        action = rng.choice(["deploy", "deploy", "withdraw", "reject", "approve", "if-match"])
    else:
        weights = {
            "reports": 3,
            "difficulties": 3,
            "same-key": 3,
            "extend": 2,
            "handover": 1,
            "if-match": 3,
            "recall": 0.3,
        }
        action = rng.choices(list(weights), weights=list(weights.values()))[0]
    headers: dict[str, str] = {}
    if action == "if-match":
        action = "deploy" if approved else "difficulties"
        headers["If-Match"] = f'"{target.setup_version + rng.randrange(3)}"'
    if action == "same-key":
        action = "difficulties"
        headers["Idempotency-Key"] = f"same-{target.sid}"
    if action == "reports":
        headers.update(token("official", personnel_id=target.personnel_id))
    return action, headers


def _storm(url: str, targets: list[Target], approved: set[str]) -> list[Sent]:
    sent: list[Sent] = []
    guard = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client_loop(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=url, timeout=60) as client:
            start.wait()
            for _ in range(COMMANDS_PER_CLIENT):
                target = rng.choice(targets)
                action, extra = _command(target, target.sid in approved, rng)
                headers = {**MINISTRY, **extra}
                r = client.post(
                    f"/v1/secondments/{target.sid}/{action}", json=BODIES[action], headers=headers
                )
                if_match = extra.get("If-Match")
                with guard:
                    sent.append(
                        Sent(
                            target.sid,
                            action,
                            r.status_code,
                            r.json(),
                            r.headers.get("content-type", ""),
                            extra.get("Idempotency-Key"),
                            int(if_match.strip('"')) if if_match else None,
                        )
                    )

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a client hung"
    return sent


def _events(client: httpx.Client, sid: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"/v1/secondments/{sid}/events", params=params, headers=MINISTRY)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return items


def test_conflicting_writers_each_acknowledged_command_is_one_event(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        targets = [_prepare(client, state) for state in ("approved", "approved", "deployed") * 2]
        approved = {t.sid for t in targets if t.setup_version == 2}
        sent = _storm(server, targets, approved)
        assert len(sent) == CLIENTS * COMMANDS_PER_CLIENT

        statuses = sorted({s.status for s in sent})
        assert all(s < 500 for s in statuses), statuses
        refused = [s for s in sent if s.status >= 300]
        assert {s.status for s in refused} <= {409, 412, 422}, statuses
        assert all(s.content_type.startswith("application/problem+json") for s in refused)
        accepted = [s for s in sent if 200 <= s.status < 300]
        assert len(accepted) >= len(targets), statuses

        stored: dict[tuple[str, int], int] = {}
        all_positions: list[int] = []
        for target in targets:
            events = _events(client, target.sid)
            versions = [e["version"] for e in events]
            assert versions == list(range(1, len(events) + 1)), versions
            positions = [e["position"] for e in events]
            assert positions == sorted(positions)
            all_positions += positions
            current = client.get(f"/v1/secondments/{target.sid}", headers=MINISTRY).json()
            assert current["version"] == len(events)
            for e in events[target.setup_version :]:
                stored[(target.sid, e["version"])] = e["position"]
        assert len(set(all_positions)) == len(all_positions)

        answered: dict[tuple[str, int], list[Sent]] = defaultdict(list)
        for s in accepted:
            event = (s.sid, s.body["version"])
            assert event in stored, f"a 2xx answer with no stored event: {s}"
            assert stored[event] == s.body["position"], s
            if s.if_match is not None:
                assert s.body["version"] == s.if_match + 1, s
            answered[event].append(s)
        assert set(answered) == set(stored), "a stored event that no 2xx answer acknowledged"
        for answers in answered.values():
            if len(answers) > 1:
                keys = {a.key for a in answers}
                assert len(keys) == 1 and None not in keys, f"one event, many answers: {answers}"
        for s in refused:
            if s.status == 412:
                assert s.if_match is not None and s.body["expected_version"] == s.if_match
            if s.status == 409 and s.body["type"].endswith("illegal-transition"):
                assert s.body["state"] and isinstance(s.body["allowed_actions"], list)
