"""What the demo's cases share: `Demo`, which issues the registry's commands with command ids
derived from each step (so a second load records nothing new), and invented names."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.application import SecondmentRegistry

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Lò", "Quàng", "Lường")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Hải", "Ngọc")
GIVEN = ("An", "Bình", "Chiến", "Dung", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Phương")


def invented_name(n: int) -> str:
    return f"{SURNAMES[n % 11]} {MIDDLE[n // 11 % 8]} {GIVEN[n * 7 % 11]}"


class Demo:
    """Issues the demo's commands; each command id is derived from its step, so reruns replay."""

    def __init__(self, registry: SecondmentRegistry) -> None:
        from domain import values as v

        self.v = v
        self.app = registry
        self.people: dict[str, str] = {}
        """Display names of the demo's accounts (never officials': that is personal data)."""

    def actor(self, role: str, sub: str, name: str = "") -> Any:
        from domain.units import province_name, ward_name

        if name:
            self.people[sub] = name
        elif sub.startswith("ubnd-xa-"):
            self.people[sub] = f"UBND {ward_name(int(sub.removeprefix('ubnd-xa-')))}"
        elif sub.startswith("snv-") and sub.removeprefix("snv-").isdigit():
            self.people[sub] = f"Sở Nội vụ {province_name(int(sub.removeprefix('snv-')))}"
        return self.v.Actor(sub, self.v.Role(role))

    def meta(self, actor: Any, step: str) -> Any:
        return self.v.CommandMeta(actor, f"demo:{step}", "demo-loader")

    def official(
        self,
        name: str,
        pid: str,
        position: str,
        leader: bool,
        civil: bool = True,
        first_year: int = 2022,
    ) -> Any:
        v = self.v
        ratings = (v.Rating.GOOD, v.Rating.EXCELLENT, v.Rating.GOOD)
        return v.Official(
            name,
            pid,
            v.Category.CIVIL_SERVANT if civil else v.Category.PUBLIC_EMPLOYEE,
            position,
            leader,
            not leader,
            tuple(v.Appraisal(first_year + i, r) for i, r in enumerate(ratings)),
        )

    def request(
        self,
        step: str,
        actor: Any,
        official: Any,
        agency: str,
        host: tuple[int, int | None],
        kind: str,
        fields: tuple[str, ...],
        term: tuple[date, date],
        reason: str,
        requested_on: date | None = None,
    ) -> Any:
        v = self.v
        return self.app.request(
            self.meta(actor, step),
            official,
            agency,
            v.Host(*host),
            v.Kind(kind),
            [v.Field(f) for f in fields],
            v.Term(*term),
            reason,
            requested_on,
        ).secondment.id

    def decide(
        self,
        step: str,
        actor: Any,
        ids: list[Any],
        decision: tuple[str, date, str],
        term: tuple[date, date],
    ) -> None:
        v = self.v
        self.app.approve_many(self.meta(actor, step), ids, v.Decision(*decision), v.Term(*term))

    def report(
        self,
        sid: Any,
        step: str,
        pid: str,
        kind: str,
        period: tuple[date, date],
        summary: str,
        counts: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        """A report submitted the day after its period (or today, if that is later)."""
        v = self.v
        self.app.submit_report(
            sid,
            self.meta(self.actor("official", f"official-{pid}"), step),
            v.ReportKind(kind),
            v.Term(*period),
            summary,
            *counts,
            submitted_on=min(period[1] + timedelta(days=1), self.app.today()),
        )

    def weekly(
        self,
        sid: Any,
        step: str,
        pid: str,
        since: date,
        until: date,
        summary: str,
        skip: int | None = None,
    ) -> None:
        """A progress report for every week from `since` that ended before `until` and
        before today (weeks counted from `since`, as the deadlines count them), but week
        number `skip`."""
        start, n = since, 0
        while start + timedelta(days=6) < min(until, self.app.today()):
            end = start + timedelta(days=6)
            if n != skip:
                period = (start, end)
                self.report(sid, f"{step}:week:{n}", pid, "progress", period, summary, (6, 2, 1))
            start, n = end + timedelta(days=1), n + 1

    def closable(self, day: date) -> bool:
        """Whether a fact dated `day` has happened yet (the real cases close on their dates)."""
        return day <= self.app.today()

    def handover_and_end(
        self,
        sid: Any,
        step: str,
        actor: Any,
        planned: date,
        ended: date,
        recipient: str,
        rating: str = "good",
    ) -> None:
        v = self.v
        if not self.closable(planned):
            return
        self.app.start_handover(
            sid,
            self.meta(actor, f"{step}:handover"),
            planned,
            [recipient],
            ["Hồ sơ, tài liệu đang xử lý", "Sổ tay hướng dẫn nghiệp vụ"],
        )
        evaluation = v.HostEvaluation(v.Rating(rating), "Hoàn thành tốt nhiệm vụ được giao")
        if self.closable(ended):
            self.app.end(sid, self.meta(actor, f"{step}:end"), ended, evaluation)
            self.taken_back(sid, step, ended)

    def taken_back(self, sid: Any, step: str, ended: date) -> None:
        """The home agency takes the official back the next working week (right of return)."""
        back = min(ended + timedelta(days=3), self.app.today())
        home = self.actor("home_affairs", "demo-home-agency")
        self.app.record_return(sid, self.meta(home, f"{step}:return"), back, "Vị trí việc làm cũ")
