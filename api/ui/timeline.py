"""A secondment's audit trail as people read it: who, when, what changed, and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from api import presenters
from api.ui.labels import eligibility, label, vn_date
from domain.application import StoredEvent
from domain.units import province_name, ward_name

Lines = list[tuple[str, str]]


@dataclass
class Entry:
    """One event of the trail, in words."""

    version: int
    position: int
    title: str
    when: Any
    who: str
    role: str
    from_state: str | None
    to_state: str | None
    effective_on: Any
    details: Lines = field(default_factory=list)
    why: str = ""
    type: str = ""
    period: tuple[str, str] | None = None
    """The period a system flag is about (a missed report's), as ISO dates."""
    system: bool = False


@dataclass
class Fold:
    """A run of one system flag (e.g. 12 missed reports after a timer pass), shown as one line
    that opens to its entries."""

    entries: list[Entry]

    @property
    def summary(self) -> str:
        first, count = self.entries[-1], len(self.entries)
        periods = [e.period for e in self.entries if e.period]
        if len(periods) == count:
            start = min(p[0] for p in periods)
            end = max(p[1] for p in periods)
            return f"{first.title}: {count} kỳ, từ {vn_date(start)} đến {vn_date(end)}"
        return f"{first.title}: {count} lần"


def fold(entries: list[Entry]) -> list[Entry | Fold]:
    """Consecutive entries of the same system flag folded into one."""
    shown: list[Entry | Fold] = []
    for e in entries:
        last = shown[-1] if shown else None
        if e.system and isinstance(last, Fold) and last.entries[0].type == e.type:
            last.entries.append(e)
        elif e.system and isinstance(last, Entry) and last.system and last.type == e.type:
            shown[-1] = Fold([last, e])
        else:
            shown.append(e)
    return shown


def _decision(d: dict[str, Any]) -> str:
    return f"Số {d['number']} ngày {vn_date(d['date'])} của {d['issuer']}"


def _term(t: dict[str, Any]) -> str:
    return f"{vn_date(t['start'])} – {vn_date(t['end'])}"


def _requested(d: dict[str, Any]) -> Lines:
    host = d["host"]
    province = province_name(host["province_code"]) or str(host["province_code"])
    ward = ward_name(host["ward_code"]) if host["ward_code"] else None
    return [
        ("Cán bộ", f"{d['official']['full_name']} ({d['official']['personnel_id']})"),
        ("Cơ quan cử", d["home_agency"]),
        ("Nơi đến", f"{ward}, {province}" if ward else province),
        ("Hình thức", label(d["kind"], "kind")),
        ("Lĩnh vực", ", ".join(label(f, "field") for f in d["fields"])),
        ("Thời gian dự kiến", _term(d["planned"])),
    ]


def _approved(d: dict[str, Any]) -> Lines:
    lines = [("Quyết định", _decision(d["decision"])), ("Thời hạn", _term(d["term"]))]
    if d["eligibility_failures"]:
        failures = [eligibility(f) for f in d["eligibility_failures"]]
        lines.append(("Chưa đủ điều kiện", "; ".join(failures)))
    return lines


def _report(d: dict[str, Any]) -> Lines:
    r = d["report"]
    return [
        ("Loại", label(r["kind"], "report_kind")),
        ("Kỳ", f"{vn_date(r['period_start'])} – {vn_date(r['period_end'])}"),
        ("Nội dung", r["summary"]),
        (
            "Kết quả",
            f"{r['procedures_handled']} thủ tục, {r['staff_coached']} cán bộ được hướng dẫn,"
            f" {r['field_visits']} chuyến đi cơ sở",
        ),
    ]


def _difficulty(d: dict[str, Any]) -> Lines:
    x = d["difficulty"]
    return [
        ("Số", str(x["number"])),
        ("Tiêu đề", x["title"]),
        ("Lĩnh vực", label(x["field"], "field")),
        ("Nội dung", x["detail"]),
    ]


def _extended(d: dict[str, Any]) -> Lines:
    x = d["extension"]
    change = f"{vn_date(x['previous_end'])} → {vn_date(x['new_end'])}"
    return [("Quyết định", _decision(x["decision"])), ("Ngày kết thúc", change)]


def _handover(d: dict[str, Any]) -> Lines:
    x = d["handover"]
    return [
        ("Ngày bàn giao", vn_date(x["planned_on"])),
        ("Người nhận", "; ".join(x["recipients"])),
        ("Nội dung", "; ".join(x["items"])),
    ]


def _ending(d: dict[str, Any]) -> Lines:
    x = d["ending"]
    lines = [("Kết quả", label(x["outcome"], "outcome")), ("Ngày", vn_date(x["ended_on"]))]
    if x.get("host_evaluation"):
        lines.append(("Đánh giá", label(x["host_evaluation"]["rating"], "rating")))
    if x.get("initiated_by"):
        lines.append(("Bên đề nghị", label(x["initiated_by"], "initiator")))
    return lines


DETAILS: dict[str, Callable[[dict[str, Any]], Lines]] = {
    "Requested": _requested,
    "Approved": _approved,
    "ReportSubmitted": _report,
    "DifficultyRaised": _difficulty,
    "DifficultyEscalated": lambda d: [
        ("Vướng mắc số", str(d["number"])),
        ("Báo cáo lên", label(d["to"], "level")),
    ],
    "DifficultyResolved": lambda d: [("Vướng mắc số", str(d["number"]))],
    "Extended": _extended,
    "HandoverStarted": _handover,
    "Ended": _ending,
    "Recalled": _ending,
    "ReportOverdue": lambda d: [("Kỳ chưa báo cáo", _term(d["period"]))],
    "HandoverDue": lambda d: [("Hạn kết thúc", vn_date(d["end"]))],
    "TermExpired": lambda d: [("Hạn kết thúc", vn_date(d["end"]))],
    "Corrected": lambda d: [
        ("Đính chính bước (phiên bản)", str(d["corrects_version"])),
        *((name, str(value)) for name, value in d["changes"].items()),
    ],
}
WHY = ("reason", "override_reason", "note", "resolution")


def _why(data: dict[str, Any]) -> str:
    for key in WHY:
        if data.get(key):
            return str(data[key])
    ending = data.get("ending") or {}
    evaluation = ending.get("host_evaluation") or {}
    return str(ending.get("reason") or evaluation.get("comment") or "")


def entry(stored: StoredEvent) -> Entry:
    e = presenters.event(stored)
    return Entry(
        version=e.version,
        position=e.position,
        title=label(e.type, "event"),
        when=e.recorded_at,
        who=e.actor.sub,
        role=label(e.actor.role, "role"),
        from_state=e.from_state,
        to_state=e.to_state,
        effective_on=e.effective_on,
        details=DETAILS[e.type](e.data) if e.type in DETAILS else [],
        why=_why(e.data),
        type=e.type,
        period=(e.data["period"]["start"], e.data["period"]["end"]) if "period" in e.data else None,
        system=e.actor.role == "system",
    )
