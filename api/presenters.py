"""Turns the domain's records into the API's response models."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from api import access
from api.auth import Principal
from api.schemas import views as out
from domain.application import Recorded, RecordedNeeds, StoredEvent
from domain.records import Difficulty
from domain.secondment import Secondment
from domain.units import province_name, ward_name
from domain.values import Actor, Term
from projections.base import jsonable, redacted

EVENT_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
        "meta",
        "from_state",
        "to_state",
        "effective_on",
    }
)


REPORTS = TypeAdapter(list[out.ReportOut])
"""A record's reports validated in one call from their fields: a long record carries about
900, and one `model_validate` from attributes per report took longer than its whole read."""


def _actor(actor: Actor) -> out.ActorOut:
    return out.ActorOut(sub=actor.sub, role=actor.role.value)


def _term(term: Term | None) -> out.TermOut | None:
    return out.TermOut(start=term.start, end=term.end) if term else None


def _record(kind: type[Any], record: Any) -> Any:
    """The response model of a domain record, read from its attributes (asdict was 10× slower)."""
    return kind.model_validate(record, from_attributes=True) if record is not None else None


def view(s: Secondment, principal: Principal, current: bool = True) -> dict[str, Any]:
    """The fields of the secondment view; `allowed_actions` only for the current version."""
    planned = _term(s.planned)
    assert planned is not None
    return {
        "id": s.id,
        "version": s.version,
        "state": s.state,
        "kind": s.kind,
        "official": _official(s, principal),
        "home_agency": s.home_agency,
        "host": out.HostOut(
            province_code=s.host.province_code,
            province_name=province_name(s.host.province_code),
            ward_code=s.host.ward_code,
            ward_name=ward_name(s.host.ward_code) if s.host.ward_code else None,
        ),
        "fields": list(s.fields),
        "planned": planned,
        "reason": s.reason,
        "requested_on": s.requested_on,
        "requested_by": _actor(s.requested_by),
        "decision": _record(out.DecisionOut, s.decision),
        "term": _term(s.term),
        "eligibility_failures": list(s.eligibility_failures),
        "override_reason": s.override_reason,
        "consulted_on": s.consulted_on,
        "closing_reason": s.closing_reason,
        "arrived_on": s.arrived_on,
        "reports": REPORTS.validate_python([vars(r) for r in s.reports]),
        "difficulties": [_difficulty(d) for d in s.difficulties],
        "extensions": [_record(out.ExtensionOut, e) for e in s.extensions],
        "handover": _record(out.HandoverOut, s.handover_record),
        "ending": _record(out.EndingOut, s.ending),
        "overdue_periods": [_term(p) for p in s.overdue_periods],
        "handover_due_for": s.handover_due_for,
        "expired_for": s.expired_for,
        "returned": _record(out.ReturnOut, s.returned),
        "return_missing_since": s.return_missing_since,
        "plan": None if s.plan is None else {"id": s.plan.plan_id, "batch": s.plan.batch},
        "created_at": s.created_on,
        "updated_at": s.modified_on,
        "allowed_actions": access.allowed_actions(principal, s.state) if current else [],
    }


def _official(s: Secondment, principal: Principal) -> out.OfficialOut:
    """The official; `maternity_protected` only for the roles that decide (else null)."""
    shown: out.OfficialOut = _record(out.OfficialOut, s.official)
    if not access.sees_sensitive(principal):
        shown.maternity_protected = None
    return shown


def _difficulty(d: Difficulty) -> out.DifficultyOut:
    """From its fields (not `asdict`, which copies every value deeply: 30 µs a difficulty)."""
    came_from = None if d.came_from is None else vars(d.came_from)
    data = {**vars(d), "raised_by": _actor(d.raised_by), "status": d.status, "came_from": came_from}
    return out.DifficultyOut.model_validate(data)


def secondment(s: Secondment, principal: Principal, current: bool = True) -> out.SecondmentView:
    return out.SecondmentView(**view(s, principal, current))


def recorded_view(r: Recorded, principal: Principal) -> out.SecondmentRecorded:
    return out.SecondmentRecorded(**view(r.secondment, principal), position=r.position)


def difficulty_raised(r: Recorded, principal: Principal) -> out.DifficultyRecorded:
    number = r.secondment.difficulties[-1].number
    return out.DifficultyRecorded(
        **view(r.secondment, principal), position=r.position, number=number
    )


def decision(recorded: list[Recorded], principal: Principal) -> out.DecisionRecorded:
    first = recorded[0].secondment
    assert first.decision is not None and first.term is not None
    return out.DecisionRecorded(
        decision=_record(out.DecisionOut, first.decision),
        term=out.TermOut(start=first.term.start, end=first.term.end),
        position=max(r.position for r in recorded),
        items=[recorded_view(r, principal) for r in recorded],
    )


def needs(r: RecordedNeeds) -> out.NeedsRecorded:
    n = r.needs
    return out.NeedsRecorded(
        ward_code=n.ward_code,
        ward_name=ward_name(n.ward_code),
        province_code=n.province_code,
        fields=list(n.fields),
        note=n.note,
        area=list(n.areas),
        version=n.version,
        position=r.position,
    )


def event(stored: StoredEvent, sensitive: bool = False) -> out.EventItem:
    """One stored event; the official's sensitive fields only when `sensitive` (deciding roles)."""
    e: Any = stored.event
    data = {k: jsonable(v) for k, v in vars(e).items() if k not in EVENT_FIELDS}
    data = data if sensitive else redacted(data)
    return out.EventItem(
        position=stored.position,
        version=e.originator_version,
        type=type(e).__name__,
        recorded_at=e.timestamp,
        actor=_actor(e.meta.actor),
        from_state=getattr(e, "from_state", None),
        to_state=getattr(e, "to_state", None),
        effective_on=getattr(e, "effective_on", None),
        correlation_id=e.meta.correlation_id,
        command_id=e.meta.command_id,
        data=data,
    )
