"""A list of requests (a spreadsheet) recorded all or none, optionally approved under one
decision, on each backend."""

from __future__ import annotations

from datetime import date

import pytest

from domain.batches import Approval, NewRequest
from domain.errors import RuleViolation
from domain.values import Field, Host, Kind, Official, Term
from tests import builders
from tests.builders import DECISION_2446, NAM_NEN, TERM, meta


def _new(who: Official | None = None, **overrides: object) -> NewRequest:
    values: dict[str, object] = {
        "official": who or builders.official(),
        "home_agency": "Sở Xây dựng",
        "host": NAM_NEN,
        "kind": Kind.SECONDMENT,
        "fields": (Field.CONSTRUCTION,),
        "planned": TERM,
        "reason": "Xã thiếu cán bộ xây dựng",
    }
    values.update(overrides)
    return NewRequest(**values)  # type: ignore[arg-type]


def _count(registry) -> int:
    return registry.recorder.max_notification_id() or 0


def test_every_row_is_recorded_in_one_save(registry):
    before = _count(registry)
    done = registry.request_many(meta(), [_new() for _ in range(5)])
    assert [r.secondment.state for r in done] == ["requested"] * 5
    assert len({r.secondment.id for r in done}) == 5
    assert _count(registry) == before + 5
    assert registry.get(done[3].secondment.id).home_agency == "Sở Xây dựng"


def test_one_bad_row_records_nothing_and_names_its_row(registry):
    before = _count(registry)
    rows = [_new(), _new(host=Host(11, 99999)), _new(planned=Term(TERM.end, TERM.start))]
    with pytest.raises(RuleViolation) as caught:
        registry.request_many(meta(), rows)
    found = {(v.rule, v.field) for v in caught.value.violations}
    assert found == {
        ("ward_exists", "rows[1].host.ward_code"),
        ("term_ordered", "rows[2].planned_end"),
    }
    assert _count(registry) == before


def test_a_dry_run_checks_and_records_nothing(registry):
    before = _count(registry)
    checked = registry.request_many(meta(), [_new(), _new()], dry_run=True)
    assert len(checked) == 2
    assert _count(registry) == before


def test_a_repeated_batch_creates_nothing_new(registry):
    once = meta(command_id="batch-once")
    rows = [_new(), _new()]
    first = registry.request_many(once, rows)
    again = registry.request_many(once, rows)
    assert [r.secondment.id for r in again] == [r.secondment.id for r in first]
    assert all(r.replayed for r in again)


def test_approved_under_one_decision_with_a_per_official_override(registry):
    approval = Approval(DECISION_2446, TERM)
    weak = builders.official(eligible=False)
    rows = [_new(), _new(weak, override_reason="Người duy nhất có chuyên môn xây dựng")]
    done = registry.request_many(meta(), rows, approval)
    assert [r.secondment.state for r in done] == ["approved", "approved"]
    assert done[1].secondment.override_reason == "Người duy nhất có chuyên môn xây dựng"
    assert registry.get(done[0].secondment.id).decision == DECISION_2446


def test_an_approval_that_fails_for_one_official_approves_and_creates_nothing(registry):
    before = _count(registry)
    same = builders.official()
    rows = [_new(builders.official(eligible=False)), _new(same), _new(same)]
    with pytest.raises(RuleViolation) as caught:
        registry.request_many(meta(), rows, Approval(DECISION_2446, TERM))
    found = {(v.rule, v.field) for v in caught.value.violations}
    assert ("eligibility", "rows[0].override_reason") in found
    assert ("one_active_secondment", "rows[2].official.personnel_id") in found
    assert not any(f.startswith("rows[1]") for _, f in found)
    assert _count(registry) == before


def test_an_empty_list_is_refused(registry):
    with pytest.raises(RuleViolation) as caught:
        registry.request_many(meta(), [])
    assert [v.rule for v in caught.value.violations] == ["rows_required"]


def test_the_first_day_of_the_term_is_kept(registry):
    start = Term(date(2025, 11, 1), date(2026, 1, 31))
    done = registry.request_many(meta(), [_new(planned=start)])
    assert registry.get(done[0].secondment.id).planned == start
