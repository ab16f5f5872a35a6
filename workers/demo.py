"""`secondments demo`: demo data from the real cases in DOMAIN.md, through the application's own
commands, with deterministic command ids so that loading twice records nothing new.

- Điện Biên, decision 2446/QĐ-UBND of 17/10/2025: 97 officials for 6 months from 20/10/2025,
  52 seconded to the province's 45 communes and wards (Đào Duy Hưng → Nậm Nèn, Nguyễn Quang Dũng
  → Sam Mứn) and 45 health-station heads of Sở Y tế assigned, one per commune.
- The Ministry of Home Affairs pilot: 34 officials reinforce 33 provinces (not Hà Nội; Hồ Chí
  Minh City gets 2) for 2 months until 03/11/2025; the host is the province (no ward).
- Đà Nẵng: Sở Nội vụ sends 15 officials from five divisions to 19 mountain and border communes,
  September–December 2025, 1–2 per division per batch. One secondment has one host for one term,
  so 15 officials cannot cover 19 communes at once: we model two batches (đợt), 10 postings from
  22/09 to 31/10 and 9 from 03/11 to 31/12, so 19 postings by 15 officials, four of whom serve in
  both batches. Both batches are decided before the first one starts (the terms do not
  overlap). Which 19 communes is our choice: the sources do not list them.

Every fact carries its real business date (requests on dates we chose before each decision,
weekly reports the day after each week, every term closed on the date the sources give), as a
province adopting the registry would back-enter them. Names other than the two reported
officials are invented; decision numbers marked "DEMO" are placeholders for acts the sources do
not number. `workers.demo_wave` adds a small current wave, marked as sample data.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from api.settings import Settings
    from domain.application import SecondmentRegistry

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Lò", "Quàng", "Lường")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Hải", "Ngọc")
GIVEN = ("An", "Bình", "Chiến", "Dung", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Phương")
DIEN_BIEN_AGENCIES = (
    ("Sở Khoa học và Công nghệ", "KHCN", ("information_technology", "digital_transformation")),
    ("Sở Xây dựng", "XD", ("construction", "land_management")),
    ("Sở Nông nghiệp và Môi trường", "NNMT", ("agriculture", "natural_resources_environment")),
    ("Sở Tư pháp", "TP", ("justice",)),
    ("Sở Tài chính", "TC", ("finance", "economy")),
    ("Sở Công Thương", "CT", ("industry_trade",)),
    ("Sở Văn hóa, Thể thao và Du lịch", "VHTTDL", ("culture",)),
    ("Sở Nội vụ", "NV", ("home_affairs", "labour")),
)
DA_NANG_DIVISIONS = (
    ("Phòng Xây dựng chính quyền", ("home_affairs",)),
    ("Phòng Công chức, viên chức", ("home_affairs",)),
    ("Phòng Tổ chức biên chế", ("home_affairs",)),
    ("Phòng Cải cách hành chính", ("home_affairs", "digital_transformation")),
    ("Phòng Văn thư, lưu trữ", ("records_archives",)),
)
DA_NANG_COMMUNES: tuple[int, ...] = (20455, 20458, 20443, 20698, 20704, 20716, 20707, 20710)
DA_NANG_COMMUNES += (20695, 20722, 20740, 20752, 20734, 20728, 20944, 20950, 20938, 20941, 20959)
MINISTRY_POSITIONS = (
    "Phó Vụ trưởng",
    "Chuyên viên cao cấp",
    "Chuyên viên chính",
    "Nghiên cứu viên chính",
)


REQUESTED_2446 = date(2025, 10, 10)
END_2446 = date(2026, 4, 19)
DECEMBER_15 = date(2025, 12, 15)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults()


def run(args: argparse.Namespace) -> int:
    from api.settings import get_settings

    load_and_print(get_settings())
    return 0


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


def _dien_bien_postings() -> Iterator[tuple[int, str, int, tuple[str, str, tuple[str, ...]]]]:
    """The 52 secondments: (number, official's name, ward code, agency), the two real ones first."""
    from vietnam_provinces import ProvinceCode, Ward

    wards = [int(w.code) for w in Ward.iter_by_province(ProvinceCode(11))]
    yield 1, "Đào Duy Hưng", 3194, DIEN_BIEN_AGENCIES[0]
    yield 2, "Nguyễn Quang Dũng", 3356, DIEN_BIEN_AGENCIES[1]
    others = [w for w in wards if w not in (3194, 3356)]
    for n in range(3, 53):
        yield n, invented_name(n), others[(n - 3) % len(others)], DIEN_BIEN_AGENCIES[n % 8]


def dien_bien(demo: Demo) -> None:
    from vietnam_provinces import ProvinceCode, Ward

    term = (date(2025, 10, 20), date(2026, 4, 19))
    decision = ("2446/QĐ-UBND", date(2025, 10, 17), "UBND tỉnh Điện Biên")
    province_office = demo.actor("home_affairs", "snv-dien-bien", "Sở Nội vụ tỉnh Điện Biên")
    posted: list[tuple[Any, str, int]] = []
    for n, name, ward, (agency, code, fields) in _dien_bien_postings():
        pid = "DB-KHCN-0001" if n == 1 else f"DB-{code}-{n:04d}"
        official = demo.official(
            name, pid, f"Phó Trưởng phòng, {agency}", leader=n % 3 == 0, civil=n != 1
        )
        reason = {
            1: "Xã thiếu cán bộ công nghệ thông tin",
            2: "Xã thiếu cán bộ đất đai, xây dựng và thủ tục hành chính",
        }.get(n, "Xã thiếu cán bộ chuyên môn sau sắp xếp chính quyền hai cấp")
        agency_actor = demo.actor("agency", f"db-{code.lower()}", f"{agency} Điện Biên")
        sid = demo.request(
            f"db:request:{n}",
            agency_actor,
            official,
            agency,
            (11, ward),
            "secondment",
            fields,
            term,
            reason,
            REQUESTED_2446,
        )
        posted.append((sid, pid, ward))
    for n, ward_unit in enumerate(Ward.iter_by_province(ProvinceCode(11)), start=1):
        ward, pid = int(ward_unit.code), f"DB-YT-{n:04d}"
        official = demo.official(
            invented_name(100 + n),
            pid,
            f"Trạm trưởng Trạm Y tế {ward_unit.name}",
            leader=True,
            civil=False,
        )
        sid = demo.request(
            f"db:assign:{n}",
            demo.actor("agency", "db-yt", "Sở Y tế Điện Biên"),
            official,
            "Sở Y tế",
            (11, ward),
            "assignment",
            ("health",),
            term,
            "Tham mưu cho UBND xã về quản lý nhà nước lĩnh vực y tế",
            REQUESTED_2446,
        )
        posted.append((sid, pid, ward))
    demo.decide("db:decision-2446", province_office, [p[0] for p in posted], decision, term)
    for i, (sid, _, ward) in enumerate(posted):
        demo.app.deploy(
            sid, demo.meta(demo.actor("commune", f"ubnd-xa-{ward}"), f"db:deploy:{i}"), term[0]
        )
    _dien_bien_onward(demo, posted)
    _dien_bien_side_exits(demo, term)


def _dien_bien_onward(demo: Demo, posted: list[tuple[Any, str, int]]) -> None:
    """Weekly reports through the term, difficulties, a recall, then every term closed on
    19/04/2026 (handover from 13/04) as the decision dates it."""
    week = (date(2025, 10, 20), date(2025, 10, 26))
    recalled, _, _ = posted[5]
    for i, (sid, pid, _) in enumerate(posted):
        demo.report(
            sid,
            f"db:plan:{i}",
            pid,
            "weekly_plan",
            week,
            "Làm việc với UBND xã, rà soát hồ sơ tồn đọng, lập lịch đi cơ sở",
            (5, 2, 1),
        )
        until = DECEMBER_15 if sid == recalled else date(2026, 4, 10 if i == 1 else 13)
        demo.weekly(
            sid, f"db:{i}", pid, week[1] + timedelta(days=1), until, "Giải quyết TTHC, kèm cặp"
        )
    v = demo.v
    (hung, hung_pid, _), (dung, dung_pid, _) = posted[0], posted[1]
    hung_actor = demo.actor("official", f"official-{hung_pid}")
    demo.app.raise_difficulty(
        hung,
        demo.meta(hung_actor, "db:hung:difficulty"),
        "Đường truyền Internet tại trụ sở xã không ổn định",
        "Mất kết nối thường xuyên làm gián đoạn hệ thống một cửa điện tử",
        v.Field.INFORMATION_TECHNOLOGY,
        effective_on=date(2025, 11, 5),
    )
    nam_nen = demo.actor("commune", "ubnd-xa-3194")
    demo.app.resolve_difficulty(
        hung,
        demo.meta(nam_nen, "db:hung:resolved"),
        1,
        "Nhà mạng đã nâng cấp đường truyền cáp quang",
        effective_on=date(2025, 11, 20),
    )
    dung_actor = demo.actor("official", f"official-{dung_pid}")
    demo.app.raise_difficulty(
        dung,
        demo.meta(dung_actor, "db:dung:difficulty"),
        "Hồ sơ đất đai tồn đọng",
        "Nhiều hồ sơ cấp giấy chứng nhận chưa có bản đồ địa chính chính quy",
        v.Field.LAND_MANAGEMENT,
        effective_on=date(2025, 11, 12),
    )
    demo.app.escalate_difficulty(
        dung,
        demo.meta(dung_actor, "db:dung:escalate"),
        1,
        v.EscalationLevel.PROVINCE,
        "Vượt thẩm quyền của xã",
        effective_on=date(2025, 11, 14),
    )
    demo.app.recall(
        recalled,
        demo.meta(demo.actor("agency", "db-tc", "Sở Tài chính Điện Biên"), "db:recall:5"),
        DECEMBER_15,
        "Cơ quan cần cán bộ phục vụ quyết toán ngân sách cuối năm",
        v.Initiator.HOME_AGENCY,
    )
    demo.taken_back(recalled, "db:recall:5", DECEMBER_15)
    for i, (sid, _, ward) in enumerate(posted):
        if sid != recalled:
            demo.handover_and_end(
                sid,
                f"db:close:{i}",
                demo.actor("commune", f"ubnd-xa-{ward}"),
                date(2026, 4, 10) if i == 1 else date(2026, 4, 13),
                END_2446,
                "Công chức chuyên môn xã",
                "excellent" if i % 2 else "good",
            )


def _dien_bien_side_exits(demo: Demo, term: tuple[date, date]) -> None:
    """Two proposals that did not make the decision: one rejected, one withdrawn."""
    for n, action in ((98, "reject"), (99, "withdraw")):
        official = demo.official(invented_name(n), f"DB-TP-{n:04d}", "Chuyên viên Sở Tư pháp", True)
        agency_actor = demo.actor("agency", "db-tp", "Sở Tư pháp Điện Biên")
        sid = demo.request(
            f"db:request:{n}",
            agency_actor,
            official,
            "Sở Tư pháp",
            (11, 3193),
            "secondment",
            ("justice",),
            term,
            "Xã thiếu cán bộ tư pháp - hộ tịch",
            REQUESTED_2446,
        )
        if action == "reject":
            demo.app.reject(
                sid,
                demo.meta(
                    demo.actor("home_affairs", "snv-dien-bien", "Sở Nội vụ tỉnh Điện Biên"),
                    "db:reject",
                ),
                "Chưa đủ 3 năm đánh giá hoàn thành tốt nhiệm vụ",
                effective_on=date(2025, 10, 15),
            )
        else:
            demo.app.withdraw(
                sid,
                demo.meta(agency_actor, "db:withdraw"),
                "Cơ quan bố trí cán bộ khác thay thế",
                effective_on=date(2025, 10, 15),
            )
    needs = [
        (
            "db:needs:3194",
            3194,
            ("construction", "justice", "agriculture", "natural_resources_environment"),
            "Xã có 44 cán bộ, công chức; một số vị trí trống do nghỉ việc, chuyển công tác",
        ),
        ("db:needs:3356", 3356, ("land_management", "construction"), ""),
    ]
    for step, ward, fields, note in needs:
        demo.app.declare_needs(
            demo.meta(demo.actor("commune", f"ubnd-xa-{ward}"), step),
            demo.v.Host(11, ward),
            [demo.v.Field(f) for f in fields],
            note,
            effective_on=date(2025, 10, 1),
        )


def ministry_pilot(demo: Demo) -> None:
    from vietnam_provinces import Province

    term = (date(2025, 9, 3), date(2025, 11, 3))
    ministry = demo.actor("ministry", "bnv-vu-tccb", "Bộ Nội vụ (Vụ Tổ chức cán bộ)")
    provinces = [int(p.code) for p in Province.iter_all() if int(p.code) != 1] + [79]
    posted = []
    for n, province in enumerate(provinces, start=1):
        position = MINISTRY_POSITIONS[n % 4]
        pid = f"BNV-{n:04d}"
        official = demo.official(invented_name(200 + n), pid, position, position.startswith("Phó"))
        fields = ("home_affairs", "records_archives") if n % 5 == 0 else ("home_affairs",)
        sid = demo.request(
            f"bnv:request:{n}",
            ministry,
            official,
            "Bộ Nội vụ",
            (province, None),
            "reinforcement",
            fields,
            term,
            "Thí điểm tăng cường cán bộ Bộ Nội vụ hỗ trợ địa phương",
            date(2025, 8, 25),
        )
        posted.append((sid, pid, province))
    demo.decide(
        "bnv:decision",
        ministry,
        [p[0] for p in posted],
        ("DEMO-BNV/QĐ-BNV", date(2025, 8, 29), "Bộ Nội vụ"),
        term,
    )
    for i, (sid, pid, province) in enumerate(posted):
        host_office = demo.actor("home_affairs", f"snv-{province}")
        demo.app.deploy(sid, demo.meta(host_office, f"bnv:deploy:{i}"), term[0])
        demo.report(
            sid,
            f"bnv:plan:{i}",
            pid,
            "weekly_plan",
            (date(2025, 9, 3), date(2025, 9, 7)),
            "Lịch công tác tuần: làm việc với Sở Nội vụ, đi cơ sở tại 3 xã",
            (0, 3, 3),
        )
        demo.weekly(
            sid,
            f"bnv:{i}",
            pid,
            date(2025, 9, 8),
            date(2025, 10, 27),
            "Báo cáo định kỳ gửi Bộ: kết quả vận hành chính quyền hai cấp",
        )
        if i == 0:
            official = demo.actor("official", f"official-{pid}")
            demo.app.raise_difficulty(
                sid,
                demo.meta(official, "bnv:difficulty"),
                "Chưa rõ thẩm quyền phê duyệt vị trí việc làm cấp xã",
                "Đề nghị Bộ hướng dẫn thống nhất",
                demo.v.Field.HOME_AFFAIRS,
                effective_on=date(2025, 9, 20),
            )
            demo.app.escalate_difficulty(
                sid,
                demo.meta(official, "bnv:escalate"),
                1,
                demo.v.EscalationLevel.MINISTRY,
                "Vượt thẩm quyền tỉnh",
                effective_on=date(2025, 9, 22),
            )
        demo.handover_and_end(
            sid,
            f"bnv:close:{i}",
            host_office,
            date(2025, 10, 27),
            date(2025, 11, 3),
            "Lãnh đạo Sở Nội vụ",
        )


def da_nang(demo: Demo) -> None:
    office = demo.actor("home_affairs", "snv-da-nang", "Sở Nội vụ thành phố Đà Nẵng")
    batches = (
        (
            "dn1",
            (date(2025, 9, 22), date(2025, 10, 31)),
            date(2025, 9, 18),
            [(d, k) for d in range(5) for k in (0, 1)],
        ),
        (
            "dn2",
            (date(2025, 11, 3), date(2025, 12, 31)),
            date(2025, 10, 31),
            [(d, 2) for d in range(5)] + [(d, 0) for d in range(4)],
        ),
    )
    commune = iter(DA_NANG_COMMUNES)
    decided = []
    for batch, term, decided_on, people in batches:
        posted = []
        for d, k in people:
            division, fields = DA_NANG_DIVISIONS[d]
            pid, ward = f"DN-SNV-{d}{k}", next(commune)
            official = demo.official(
                invented_name(300 + 3 * d + k),
                pid,
                f"Phó Trưởng {division[0].lower()}{division[1:]}",
                True,
            )
            sid = demo.request(
                f"{batch}:request:{pid}",
                office,
                official,
                "Sở Nội vụ thành phố Đà Nẵng",
                (48, ward),
                "secondment",
                fields,
                term,
                "Hỗ trợ xã miền núi, biên giới vận hành chính quyền hai cấp",
                decided_on - timedelta(days=3),
            )
            posted.append((sid, pid, ward))
        demo.decide(
            f"{batch}:decision",
            office,
            [p[0] for p in posted],
            (f"DEMO-{batch.upper()}/QĐ-SNV", decided_on, "Sở Nội vụ thành phố Đà Nẵng"),
            term,
        )
        decided.append((batch, term, posted))
    for batch, term, posted in decided:
        for i, (sid, pid, ward) in enumerate(posted):
            host = demo.actor("commune", f"ubnd-xa-{ward}")
            demo.app.deploy(sid, demo.meta(host, f"{batch}:deploy:{i}"), term[0])
            demo.report(
                sid,
                f"{batch}:plan:{i}",
                pid,
                "weekly_plan",
                (term[0], term[0]),
                "Nắm tình hình, hướng dẫn nghiệp vụ tổ chức bộ máy",
                (2, 3, 1),
            )
            summary = "Hướng dẫn nghiệp vụ tổ chức bộ máy, cải cách hành chính"
            demo.weekly(sid, f"{batch}:{i}", pid, term[0] + timedelta(days=1), term[1], summary)
            demo.handover_and_end(
                sid, f"{batch}:close:{i}", host, term[1], term[1], "Văn phòng HĐND và UBND xã"
            )


def load(registry: SecondmentRegistry) -> dict[str, str]:
    """Loads the demo; returns the display names of the accounts that acted in it."""
    from workers import demo_plans, demo_wave

    demo = Demo(registry)
    dien_bien(demo)
    ministry_pilot(demo)
    da_nang(demo)
    demo_plans.load(demo)
    demo_wave.load(demo)
    return demo.people


PEOPLE_FILE = "demo-people.csv"


def write_people(settings: Settings, people: dict[str, str]) -> Path:
    """The demo's directory of display names (`sub,name`), for SECONDMENTS_PEOPLE_FILE."""
    path = settings.data_dir / PEOPLE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(sorted(people.items()))
    return path


TOKENS = (
    ("commune (Nậm Nèn)", {"role": "commune", "province_code": 11, "ward_code": 3194}),
    (
        "agency (Sở KH&CN Điện Biên)",
        {"role": "agency", "province_code": 11, "home_agency": "Sở Khoa học và Công nghệ"},
    ),
    ("official (Đào Duy Hưng)", {"role": "official", "personnel_id": "DB-KHCN-0001"}),
    ("home_affairs (Điện Biên)", {"role": "home_affairs", "province_code": 11}),
    ("ministry", {"role": "ministry"}),
    ("auditor (Điện Biên)", {"role": "auditor", "province_code": 11}),
    ("admin", {"role": "admin"}),
)


def load_and_print(settings: Settings) -> Path:
    """Loads the demo, prints a token per role; returns the demo's directory of names."""
    from api.auth import mint_token
    from api.settings import open_registry

    registry = open_registry(settings)
    try:
        before = registry.recorder.max_notification_id() or 0
        people = load(registry)
        after = registry.recorder.max_notification_id() or 0
    finally:
        registry.close()
    print(f"demo loaded: {after - before} new events (log position {after})")
    print("tokens (Authorize in /docs with the value after the colon):")
    for label, claims in TOKENS:
        sub = f"demo-{claims['role']}"
        print(f"  {label}: {mint_token(settings, {'sub': sub, **claims}, hours=24)}")
    return write_people(settings, people)
