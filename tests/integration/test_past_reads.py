"""Past versions read from decoded snapshots kept in memory (`domain.past`), on each backend:
a cached snapshot is never changed by the events replayed onto it, what its containers hold is
frozen (so copying them one level is enough), and an entry lasts no longer than its key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import pairwise
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Repository

from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from domain.secondment import Secondment
from domain.values import Decision, EscalationLevel, Field, HostEvaluation, Rating, ReportKind
from domain.values import Term as Period
from tests import builders
from tests.builders import meta

ATOMS = (str, int, float, bool, bytes, date, datetime, UUID, Enum, Decimal, type(None))
CONTAINERS = (list, dict, set)


def frozen(value: Any) -> bool:
    """Whether nothing reachable from the value can be changed in place."""
    if isinstance(value, ATOMS):
        return True
    if isinstance(value, tuple | frozenset):
        return all(frozen(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        params: Any = getattr(value, "__dataclass_params__")  # noqa: B009
        return bool(params.frozen) and all(frozen(getattr(value, f.name)) for f in fields(value))
    return False


def state(record: Secondment) -> dict[str, Any]:
    return dict(vars(record))


@pytest.fixture
def small_snapshots(store: Settings) -> Iterator[SecondmentRegistry]:
    """The application with a snapshot every 5 events."""
    app = open_registry(store.model_copy(update={"snapshot_interval": 5}))
    yield app
    app.close()


def test_a_past_version_read_after_a_later_one_is_unchanged(registry: SecondmentRegistry) -> None:
    sid = builders.long_lived(registry, 100)
    first = registry.get(sid, version=60)
    assert (sid, 50) in registry.decoded_snapshots
    later = registry.get(sid, version=99)
    again = registry.get(sid, version=60)
    uncached = Repository.get(registry.repository, sid, version=60)
    assert state(again) == state(first) == state(uncached)
    assert (len(first.reports), len(later.reports)) == (len(uncached.reports), 87)
    assert state(registry.get(sid, version=99)) == state(later)


def test_a_current_read_is_not_served_from_the_past_cache(registry: SecondmentRegistry) -> None:
    sid = builders.long_lived(registry, 60)
    registry.get(sid, version=55)
    registry.raise_difficulty(sid, meta(), "Mới", "", Field.LAND_MANAGEMENT)
    assert registry.get(sid).version == 61
    assert len(registry.get(sid).difficulties) == len(registry.get(sid, version=61).difficulties)
    assert len(registry.get(sid, version=55).difficulties) == 5


def test_what_a_records_containers_hold_is_frozen(
    small_snapshots: SecondmentRegistry,
) -> None:
    """Every value of a record is frozen or a container of frozen values: the one-level copy
    of `private_copy` then keeps a cached snapshot safe. A value that can change in place
    (a list inside a record, a dataclass not frozen) fails here, not in the cache."""
    app = small_snapshots
    sid = builders.deployed(app).secondment.id
    week = Period(date(2025, 10, 20), date(2025, 10, 26))
    report = app.submit_report(
        sid, meta(), ReportKind.PROGRESS, week, "tuần 1", 3, 1, 0, submitted_on=date(2025, 10, 27)
    )
    app.submit_report(
        sid,
        meta(),
        ReportKind.WEEKLY_PLAN,
        Period(date(2025, 10, 27), date(2025, 11, 2)),
        "kế hoạch",
    )
    app.raise_difficulty(sid, meta(), "Đất đai", "chi tiết", Field.LAND_MANAGEMENT)
    app.escalate_difficulty(sid, meta(), 1, EscalationLevel.PROVINCE, "ghi chú")
    app.resolve_difficulty(sid, meta(), 1, "đã xử lý")
    app.correct(sid, meta(), report.version, {"summary": "tuần đầu"}, "nhập nhầm")
    s = app.get(sid)
    s.flag_report_overdue(meta(), Period(date(2025, 11, 3), date(2025, 11, 9)), date(2025, 11, 12))
    app.save(s)
    later = Decision("99/QĐ-UBND", date(2025, 11, 20), "UBND tỉnh Điện Biên")
    app.extend(sid, meta(), date(2026, 5, 1), later)
    app.start_handover(sid, meta(), date(2026, 4, 20), ["Chủ tịch xã"], ["Hồ sơ"])
    app.end(sid, meta(), date(2026, 5, 1), HostEvaluation(Rating.GOOD, "tốt"))
    last = app.get(sid).version
    past = app.get(sid, version=last)
    assert (sid, last - last % 5) in app.decoded_snapshots

    containers = {k: v for k, v in state(past).items() if isinstance(v, CONTAINERS)}
    filled = {k for k, v in containers.items() if v}
    assert {"reports", "difficulties", "extensions", "overdue_periods", "command_ids"} <= filled
    for name, value in state(past).items():
        held = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        inside = held if isinstance(value, CONTAINERS) else [value]
        assert all(frozen(v) for v in inside), (name, [v for v in inside if not frozen(v)])


def test_an_entry_lasts_no_longer_than_the_key_it_was_unsealed_with(
    registry: SecondmentRegistry,
) -> None:
    sid = builders.long_lived(registry, 55)
    registry.get(sid, version=52)
    _, until = registry.decoded_snapshots.entries[sid, 50]
    assert until == registry.keyring.trusted_until(sid)
    registry.keyring.forget()
    assert (sid, 50) not in registry.decoded_snapshots


def test_as_of_finds_the_latest_version_recorded_by_each_moment(
    registry: SecondmentRegistry,
) -> None:
    sid = builders.long_lived(registry, 100)
    times: list[datetime] = [e.timestamp for e in registry.events.get(sid)]  # type: ignore[attr-defined]
    halfway = [a + (b - a) / 2 for a, b in pairwise(times)]
    for at in [*times, *halfway]:
        expected = max(v for v, t in enumerate(times, 1) if t <= at)
        assert registry.as_of(sid, at).version == expected, at
