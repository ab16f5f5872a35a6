"""Corrections: which data of which recorded fact may be corrected, read from a request's
`changes`, and the rules the corrected fact must pass (those of its own command).

A correction never changes the state path; it supersedes the dates, figures and texts that the
fact's command carried. The corrected fact is checked by giving its command again, with the
corrected data, to the record as it stood just before the fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from domain import rules
from domain.errors import RuleViolation
from domain.records import Handover, Report
from domain.values import CommandMeta, Decision, HostEvaluation, Rating, Violation

TEXT, DAY, COUNT = "text", "date", "count"
CORRECTABLE: dict[str, dict[str, str]] = {
    "Requested": {"full_name": TEXT, "position": TEXT, "reason": TEXT, "requested_on": DAY},
    "Approved": {"decision.number": TEXT, "decision.date": DAY, "decision.issuer": TEXT},
    "Deployed": {"arrived_on": DAY},
    "ReportSubmitted": {
        "period_start": DAY,
        "period_end": DAY,
        "summary": TEXT,
        "procedures_handled": COUNT,
        "staff_coached": COUNT,
        "field_visits": COUNT,
        "submitted_on": DAY,
    },
    "HandoverStarted": {"planned_on": DAY},
    "Ended": {"ended_on": DAY},
    "Recalled": {"ended_on": DAY},
}
"""Fact → the data of its command that may be corrected, and of what kind."""
DATE_OF = {
    "Requested": "requested_on",
    "Approved": "decision.date",
    "Deployed": "arrived_on",
    "ReportSubmitted": "submitted_on",
    "HandoverStarted": "planned_on",
    "Ended": "ended_on",
    "Recalled": "ended_on",
}
"""Fact → the corrected datum that is its business date."""
ACTIONS = {
    "Requested": "request",
    "Approved": "approve",
    "Deployed": "deploy",
    "ReportSubmitted": "report",
    "HandoverStarted": "handover",
    "Ended": "end",
    "Recalled": "recall",
}
"""Fact → the command that gave it (and whose rules and roles apply to its correction)."""


def read_changes(fact: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes as typed values ("decision": {...} flattened to "decision.number"…);
    RuleViolation naming each field that this fact does not carry or a value of the wrong kind."""
    allowed = CORRECTABLE.get(fact)
    if allowed is None:
        message = f"a {fact} fact has no data that can be corrected"
        raise RuleViolation([Violation("correction_supported", "version", message)])
    flat = _flatten(changes)
    found: list[Violation] = []
    if not flat:
        found.append(Violation("correction_changes", "changes", "name at least one change"))
    typed: dict[str, Any] = {}
    for name, value in flat.items():
        kind = allowed.get(name)
        field = f"changes.{name}"
        if kind is None:
            known = ", ".join(sorted(allowed))
            message = f"not correctable on a {fact} fact (correctable: {known})"
            found.append(Violation("correction_field", field, message))
            continue
        try:
            typed[name] = _typed(kind, value)
        except (TypeError, ValueError):
            found.append(Violation("correction_value", field, f"not a valid {kind}"))
    if found:
        raise RuleViolation(found)
    return typed


def _flatten(changes: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in changes.items():
        if isinstance(value, Mapping):
            flat.update({f"{name}.{k}": v for k, v in value.items()})
        else:
            flat[name] = value
    return flat


def _typed(kind: str, value: Any) -> Any:
    if kind == DAY:
        if not isinstance(value, str):
            raise TypeError(value)
        return date.fromisoformat(value)
    if kind == COUNT:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
            raise ValueError(value)
        return value
    if not isinstance(value, str) or not value.strip() or len(value) > 2000:
        raise ValueError(value)
    return value.strip()


def corrected(fact: str, original: Any, changes: Mapping[str, Any]) -> Any:
    """The record value the fact carried, with the changes applied (for the fact types whose
    data is a record); `original` is the stored event."""
    if fact == "Approved":
        parts = {k.split(".", 1)[1]: v for k, v in changes.items()}
        return replace(original.decision, **parts)
    if fact == "ReportSubmitted":
        return replace(original.report, **changes)
    if fact == "HandoverStarted":
        return replace(original.handover, **changes)
    if fact in ("Ended", "Recalled"):
        return replace(original.ending, **changes)
    return None


def recheck(
    before: Any,
    fact: str,
    original: Any,
    changes: Mapping[str, Any],
    meta: CommandMeta,
    today: date,
    max_term_months: int,
) -> None:
    """Gives the fact's command again, with the corrected data, to the record as it stood just
    before the fact (`before`, a copy; None for the request); RuleViolation for each rule the
    corrected fact breaks, its field named as in `changes`."""
    found: list[Violation] = []
    if fact != "Requested":
        on = _business_date(fact, original, changes)
        try:
            before.check_business_date(ACTIONS[fact], DATE_OF[fact], on, today)
        except RuleViolation as e:
            found += e.violations
    try:
        _give_again(before, fact, original, changes, meta, today, max_term_months)
    except RuleViolation as e:
        found += e.violations
    if found:
        raise RuleViolation([Violation(v.rule, _field(v.field), v.message) for v in found])


def _field(name: str) -> str:
    return name if name.startswith("changes.") else f"changes.{name}"


def _give_again(
    before: Any,
    fact: str,
    original: Any,
    changes: Mapping[str, Any],
    meta: CommandMeta,
    today: date,
    max_term_months: int,
) -> None:
    value = corrected(fact, original, changes)
    if fact == "Requested":
        found = rules.not_in_future("requested_on", changes.get("requested_on"), today)
        if found:
            raise RuleViolation(found)
        return
    on = _business_date(fact, original, changes)
    if fact == "Approved":
        decision: Decision = value
        before.approve(meta, decision, original.term, original.override_reason, max_term_months)
    elif fact == "Deployed":
        before.deploy(meta, on)
    elif fact == "ReportSubmitted":
        report: Report = value
        before.submit_report(meta, report)
    elif fact == "HandoverStarted":
        handover: Handover = value
        before.start_handover(meta, handover)
    elif fact == "Ended":
        before.end(meta, on, value.host_evaluation or HostEvaluation(Rating.GOOD, ""))
    elif fact == "Recalled":
        before.recall(meta, on, value.reason or "", value.initiated_by)


def _business_date(fact: str, original: Any, changes: Mapping[str, Any]) -> date:
    name = DATE_OF[fact]
    if name in changes:
        day: date = changes[name]
        return day
    found: date = original.effective_on
    return found


def apply_to(record: Any, fact: str, changes: Mapping[str, Any], index: int | None) -> None:
    """Supersedes, in a secondment's state, the data of a fact with its corrected values."""
    if fact == "Requested":
        people = {k: v for k, v in changes.items() if k in ("full_name", "position")}
        record.official = replace(record.official, **people)
        record.reason = changes.get("reason", record.reason)
        record.requested_on = changes.get("requested_on", record.requested_on)
    elif fact == "Approved":
        parts = {k.split(".", 1)[1]: v for k, v in changes.items()}
        record.decision = replace(record.decision, **parts)
    elif fact == "Deployed":
        record.arrived_on = changes["arrived_on"]
    elif fact == "ReportSubmitted" and index is not None:
        record.reports[index] = replace(record.reports[index], **changes)
    elif fact == "HandoverStarted":
        record.handover_record = replace(record.handover_record, **changes)
    elif fact in ("Ended", "Recalled"):
        record.ending = replace(record.ending, **changes)
