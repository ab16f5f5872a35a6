"""The three cases as plans (kế hoạch), beside the secondments the rest of the demo records.

- Điện Biên: the earlier proposal named 86 officials for the communes; the province then
  approved 97 under decision 2446/QĐ-UBND of 17/10/2025 (52 seconded to 45 communes and wards,
  45 health-station heads assigned). The plan's targets are the communes and fields of those 52
  secondments; its 86 nominees are the 52 officials later seconded and 34 sample nominees
  ("(mẫu)" in their names, personnel ids "MAU-"): the sources give the number, not the names.
- The Ministry's pilot as batch 1 (đợt 1): 34 officials for 33 provinces (Hồ Chí Minh City 2),
  later batches depending on its results.
- Đà Nẵng: five divisions of the Sở Nội vụ over 19 communes in two batches, one plan per batch.

Each plan is drafted, opened, nominated and matched, and (Ministry, Đà Nẵng) adjusted by hand
to the postings the decision made. The demo records those secondments request by request under
their decisions, so no plan makes its own decision: each is closed with a reason that names the
decision that followed. Plan commands take no business date, so these facts are dated the day
the demo is loaded, as a province would back-enter its earlier plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from domain.plan import Plan
from domain.plan_values import Target
from domain.plans import NewPlan, Plans
from domain.values import Field, Kind, Term
from workers import demo_da_nang, demo_dien_bien, demo_ministry
from workers.demo_kit import invented_name

if TYPE_CHECKING:
    from workers.demo_kit import Demo

DIEN_BIEN_PROPOSED = 86
SAMPLE_NOMINEES = DIEN_BIEN_PROPOSED - 52


class Nominee(NamedTuple):
    """Who proposes whom, for which fields, and (when the decision placed them) which seat."""

    by: Any
    official: Any
    agency: str
    fields: tuple[str, ...]
    seat: tuple[int, int] | None = None


@dataclass(frozen=True)
class DemoPlan:
    key: str
    office: Any
    new: NewPlan
    nominees: list[Nominee]
    closing: str
    by_hand: bool = False


def load(demo: Demo) -> None:
    for plan in (_dien_bien(demo), _ministry(demo), *_da_nang(demo)):
        _record(demo, plan)


def _record(demo: Demo, plan: DemoPlan) -> None:
    """Drafts, opens, nominates, matches (then places by hand), and closes one plan."""
    plans, office, key = Plans(demo.app), plan.office, plan.key
    plan_id = plans.draft(demo.meta(office, f"{key}:draft"), plan.new).record.id
    plans.step(plan_id, demo.meta(office, f"{key}:open"), None, Plan.open_nominations)
    for i, n in enumerate(plan.nominees):
        fields = [Field(f) for f in n.fields]
        meta = demo.meta(n.by, f"{key}:nominate:{i}")
        plans.nominate(plan_id, meta, None, n.official, n.agency, fields)
    matched = plans.step(plan_id, demo.meta(office, f"{key}:match"), None, Plan.match).record
    if plan.by_hand:
        ids = [str(c.nomination_id) for c in matched.candidates]
        given = [(ids[i], *n.seat) for i, n in enumerate(plan.nominees) if n.seat]
        plans.assign(plan_id, demo.meta(office, f"{key}:assign"), None, given)
    plans.cancel(plan_id, demo.meta(office, f"{key}:close"), None, plan.closing)


def _targets(places: list[tuple[int, int | None, tuple[str, ...]]]) -> tuple[Target, ...]:
    """One target per place in order of first mention: its fields, one seat per mention."""
    seats: dict[tuple[int, int | None], list[str]] = {}
    counts: dict[tuple[int, int | None], int] = {}
    for province, ward, fields in places:
        seats.setdefault((province, ward), []).extend(fields)
        counts[province, ward] = counts.get((province, ward), 0) + 1
    return tuple(
        Target(p, w, tuple(Field(f) for f in dict.fromkeys(fs)), counts[p, w])
        for (p, w), fs in seats.items()
    )


def _dien_bien(demo: Demo) -> DemoPlan:
    office = demo.actor("home_affairs", "snv-dien-bien", "Sở Nội vụ tỉnh Điện Biên")
    postings = list(demo_dien_bien._dien_bien_postings())
    targets = _targets([(11, ward, agency[2]) for _, _, ward, agency in postings])
    nominees = []
    for n, name, _, (agency, code, fields) in postings:
        pid = "DB-KHCN-0001" if n == 1 else f"DB-{code}-{n:04d}"
        official = demo.official(name, pid, f"Phó Trưởng phòng, {agency}", n % 3 == 0, n != 1)
        by = demo.actor("agency", f"db-{code.lower()}", f"{agency} Điện Biên")
        nominees.append(Nominee(by, official, agency, fields))
    for n in range(1, SAMPLE_NOMINEES + 1):
        agency, code, fields = demo_dien_bien.DIEN_BIEN_AGENCIES[
            n % len(demo_dien_bien.DIEN_BIEN_AGENCIES)
        ]
        name = f"{invented_name(400 + n)} (mẫu)"
        official = demo.official(name, f"MAU-DB-{n:04d}", f"Chuyên viên, {agency}", False)
        by = demo.actor("agency", f"db-{code.lower()}", f"{agency} Điện Biên")
        nominees.append(Nominee(by, official, agency, fields))
    title = f"Đề xuất cán bộ biệt phái về xã, phường ({DIEN_BIEN_PROPOSED} người được đề xuất)"
    term = Term(date(2025, 10, 20), date(2026, 4, 19))
    new = NewPlan(title, "Sở Nội vụ tỉnh Điện Biên", 11, Kind.SECONDMENT, term, targets)
    closing = (
        "Đề xuất 86 người là bước trước Quyết định số 2446/QĐ-UBND ngày 17/10/2025 của UBND tỉnh"
        " Điện Biên, phê duyệt 97 cán bộ (52 người biệt phái về 45 xã, phường; 45 trạm trưởng"
        " trạm y tế được phân công tham mưu cho xã). Các hồ sơ của quyết định được lập theo từng"
        " đề nghị, nên kế hoạch khép lại không ra quyết định riêng."
    )
    return DemoPlan("plan:db", office, new, nominees, closing)


def _ministry(demo: Demo) -> DemoPlan:
    from vietnam_provinces import Province

    ministry = demo.actor("ministry", "bnv-vu-tccb", "Bộ Nội vụ (Vụ Tổ chức cán bộ)")
    provinces = [int(p.code) for p in Province.iter_all() if int(p.code) != 1] + [79]
    targets = _targets([(p, None, ("home_affairs",)) for p in provinces])
    where = {t.province_code: i for i, t in enumerate(targets)}
    taken: dict[int, int] = {}
    nominees = []
    for n, province in enumerate(provinces, start=1):
        position = demo_ministry.MINISTRY_POSITIONS[n % 4]
        official = demo.official(
            invented_name(200 + n), f"BNV-{n:04d}", position, position.startswith("Phó")
        )
        fields = ("home_affairs", "records_archives") if n % 5 == 0 else ("home_affairs",)
        seat = (where[province], taken.get(province, 0))
        taken[province] = seat[1] + 1
        nominees.append(Nominee(ministry, official, "Bộ Nội vụ", fields, seat))
    title = "Thí điểm tăng cường cán bộ Bộ Nội vụ hỗ trợ địa phương, đợt 1"
    term = Term(date(2025, 9, 3), date(2025, 11, 3))
    new = NewPlan(title, "Bộ Nội vụ", None, Kind.REINFORCEMENT, term, targets)
    closing = (
        "Đợt 1 được thực hiện theo quyết định của Bộ Nội vụ ngày 29/08/2025 (số DEMO-BNV/QĐ-BNV"
        " là số giả định: nguồn tin không nêu số), các hồ sơ lập theo từng đề nghị; các đợt sau"
        " tùy theo kết quả đợt 1."
    )
    return DemoPlan("plan:bnv", ministry, new, nominees, closing, by_hand=True)


def _da_nang(demo: Demo) -> list[DemoPlan]:
    """The demo's two batches: 10 postings (two per division) from 22/09, then 9 from 03/11."""
    office = demo.actor("home_affairs", "snv-da-nang", "Sở Nội vụ thành phố Đà Nẵng")
    agency = "Sở Nội vụ thành phố Đà Nẵng"
    people = ([(d, k) for d in range(5) for k in (0, 1)], [(d, 2) for d in range(5)])
    batches = (
        ("dn1", date(2025, 9, 22), date(2025, 10, 31), date(2025, 9, 18), people[0]),
        ("dn2", date(2025, 11, 3), date(2025, 12, 31), date(2025, 10, 31), people[1]),
    )
    communes = iter(demo_da_nang.DA_NANG_COMMUNES)
    found = []
    for n, (batch, start, end, decided_on, chosen) in enumerate(batches, start=1):
        chosen = chosen + ([(d, 0) for d in range(4)] if n == 2 else [])
        placed = [(d, k, next(communes)) for d, k in chosen]
        targets = _targets([(48, w, demo_da_nang.DA_NANG_DIVISIONS[d][1]) for d, _, w in placed])
        nominees = []
        for i, (d, k, _) in enumerate(placed):
            division, fields = demo_da_nang.DA_NANG_DIVISIONS[d]
            position = f"Phó Trưởng {division[0].lower()}{division[1:]}"
            official = demo.official(
                invented_name(300 + 3 * d + k), f"DN-SNV-{d}{k}", position, True
            )
            nominees.append(Nominee(office, official, agency, fields, (i, 0)))
        title = f"Cử cán bộ Sở Nội vụ hỗ trợ xã miền núi, biên giới, đợt {n}"
        new = NewPlan(title, agency, 48, Kind.SECONDMENT, Term(start, end), targets)
        closing = (
            f"Đợt {n} được thực hiện theo quyết định của Sở Nội vụ ngày {decided_on:%d/%m/%Y}"
            f" (số DEMO-{batch.upper()}/QĐ-SNV là số giả định: nguồn tin không nêu số), các hồ sơ"
            " lập theo từng đề nghị."
        )
        found.append(DemoPlan(f"plan:{batch}", office, new, nominees, closing, by_hand=True))
    return found
