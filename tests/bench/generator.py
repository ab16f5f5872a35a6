"""A nationwide history: every province and commune of the official list, tens of thousands of
secondments with realistic lifecycles, built with the domain's own commands and saved through the
application in batches (one transaction per batch of secondments).

    python -m tests.bench.generator --events 100000      # into the configured store
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from domain.application import SecondmentRegistry
from domain.engagement import Engagement
from domain.records import Handover, Report
from domain.secondment import Secondment
from domain.units import all_provinces, all_wards, province_name
from domain.values import (
    Actor,
    Appraisal,
    Category,
    CommandMeta,
    Decision,
    EscalationLevel,
    Field,
    Host,
    HostEvaluation,
    Initiator,
    Kind,
    Official,
    Rating,
    ReportKind,
    Role,
    Term,
)

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đào",
]
MIDDLE = ["Văn", "Thị", "Duy", "Quang", "Minh", "Hữu", "Thanh", "Ngọc", "Đức", "Thu"]
GIVEN = [
    "Hưng",
    "Dũng",
    "Lan",
    "Hương",
    "Tuấn",
    "Hải",
    "Linh",
    "Nam",
    "Sơn",
    "Trang",
    "Phúc",
    "Thảo",
    "Bình",
    "Khánh",
    "Yến",
]
AGENCIES = [  # each province's own departments: "Sở Y tế Điện Biên" …
    "Sở Nội vụ",
    "Sở Xây dựng",
    "Sở Tư pháp",
    "Sở Y tế",
    "Sở Tài chính",
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo",
    "Sở Công Thương",
]
TERMS = [
    (date(2025, 9, 1), date(2025, 12, 31)),
    (date(2025, 10, 20), date(2026, 4, 19)),
    (date(2025, 9, 3), date(2025, 11, 3)),
]


@dataclass
class Stats:
    secondments: int = 0
    events: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


class History:
    """Builds one secondment's life with the aggregate's commands, as the people would."""

    def __init__(
        self,
        rng: random.Random,
        wards: list[tuple[int, str, int]],
        pseudonym: Callable[[str], str],
    ) -> None:
        self.rng = rng
        self.wards = wards
        self.serial = 0
        self.pseudonym = pseudonym

    def meta(self, role: Role, sub: str) -> CommandMeta:
        self.serial += 1
        return CommandMeta(
            Actor(sub, role), f"gen-{self.serial}-{self.rng.getrandbits(48):x}", "generator"
        )

    def official(self) -> Official:
        rng = self.rng
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        ratings = [Rating.GOOD, Rating.EXCELLENT, Rating.GOOD, Rating.COMPLETED]
        appraisals = tuple(Appraisal(y, rng.choice(ratings)) for y in (2022, 2023, 2024))
        return Official(
            name,
            f"P-{self.serial}-{rng.getrandbits(40):x}",
            rng.choice(list(Category)),
            "Chuyên viên",
            rng.random() < 0.4,
            rng.random() < 0.7,
            appraisals,
        )

    def build(self) -> tuple[Secondment, Engagement | None]:
        rng = self.rng
        ward_code, _, province_code = rng.choice(self.wards)
        start, end = rng.choice(TERMS)
        fields = tuple(rng.sample(list(Field), rng.choice([1, 1, 2, 3])))
        hr = f"hr-{province_code}"
        s = Secondment(
            meta=self.meta(Role.AGENCY, "agency"),
            to_state="requested",
            effective_on=start - timedelta(days=20),
            official=self.official(),
            home_agency=f"{rng.choice(AGENCIES)} {province_name(province_code)}",
            host=Host(province_code, ward_code),
            kind=rng.choice(
                [Kind.SECONDMENT] * 6 + [Kind.ASSIGNMENT, Kind.REINFORCEMENT, Kind.IN_PLACE]
            ),
            fields=fields,
            planned=Term(start, end),
            reason="Xã thiếu cán bộ chuyên môn",
        )
        fate = rng.random()
        if fate < 0.04:
            s.reject(self.meta(Role.HOME_AFFAIRS, hr), "Không đáp ứng", start)
            return s, None
        if fate < 0.08:
            s.withdraw(self.meta(Role.AGENCY, "agency"), "Rút đề nghị", start)
            return s, None
        decision = Decision(
            f"{rng.randint(100, 3000)}/QĐ-UBND",
            start - timedelta(days=3),
            f"UBND tỉnh {province_code}",
        )
        s.approve(
            self.meta(Role.HOME_AFFAIRS, hr), decision, Term(start, end), "Nhu cầu cấp bách", 36
        )
        engagement = Engagement(self.pseudonym(s.official.personnel_id))
        engagement.engage(s.id)
        if fate < 0.12:
            return s, engagement
        s.deploy(
            self.meta(Role.COMMUNE, f"ward-{ward_code}"), start + timedelta(days=rng.randint(0, 3))
        )
        self.post(s, hr)
        if s.state == "ended":
            engagement.release(s.id)
        return s, engagement

    def post(self, s: Secondment, hr: str) -> None:
        rng = self.rng
        assert s.term is not None
        weeks = (s.term.end - s.term.start).days // 7
        lived = weeks if rng.random() < 0.7 else rng.randint(1, weeks)
        official = f"official-{s.official.personnel_id}"
        if rng.random() < 0.1:
            s.extend(
                self.meta(Role.HOME_AFFAIRS, hr),
                s.term.end + timedelta(days=60),
                Decision("9/QĐ-UBND", s.term.start + timedelta(days=30), "UBND tỉnh"),
                36,
            )
        for week in range(lived):
            if rng.random() < 0.9:
                p0 = s.term.start + timedelta(days=7 * week)
                s.submit_report(
                    self.meta(Role.OFFICIAL, official),
                    Report(
                        rng.choice(list(ReportKind)),
                        p0,
                        p0 + timedelta(days=6),
                        "Báo cáo tuần",
                        rng.randint(0, 40),
                        rng.randint(0, 5),
                        rng.randint(0, 3),
                        p0 + timedelta(days=7),
                    ),
                )
            if rng.random() < 0.06:
                self.difficulty(s, official, s.term.start + timedelta(days=7 * week))
        if lived < weeks or rng.random() < 0.08:
            s.recall(
                self.meta(Role.HOME_AFFAIRS, hr),
                s.term.start + timedelta(days=7 * lived + 1),
                "Điều động lại",
                rng.choice(list(Initiator)),
            )
        elif rng.random() < 0.8 and s.state == "reporting":
            s.start_handover(
                self.meta(Role.OFFICIAL, official),
                Handover(s.term.end - timedelta(days=10), ("Công chức xã",), ("Hồ sơ",)),
            )
            s.end(
                self.meta(Role.COMMUNE, "ward"),
                s.term.end,
                HostEvaluation(rng.choice([Rating.GOOD, Rating.EXCELLENT]), "Tốt"),
            )

    def difficulty(self, s: Secondment, official: str, day: date) -> None:
        number = s.raise_difficulty(
            self.meta(Role.OFFICIAL, official),
            "Vướng mắc thủ tục",
            "Chi tiết",
            self.rng.choice(s.fields),
            day,
        )
        roll = self.rng.random()
        if roll < 0.4:
            s.escalate_difficulty(
                self.meta(Role.COMMUNE, "ward"),
                number,
                EscalationLevel.PROVINCE,
                "Đề nghị tỉnh",
                day,
            )
        if roll < 0.1:
            s.escalate_difficulty(
                self.meta(Role.HOME_AFFAIRS, "hr"),
                number,
                EscalationLevel.MINISTRY,
                "Đề nghị Bộ",
                day,
            )
        if roll > 0.3:
            s.resolve_difficulty(
                self.meta(Role.HOME_AFFAIRS, "hr"), number, "Đã giải quyết", day + timedelta(days=7)
            )


def batches(
    target_events: int, seed: int, pseudonym: Callable[[str], str], batch_events: int = 5000
) -> Iterator[list[Secondment | Engagement]]:
    """Aggregates with their pending events, about `batch_events` events per batch."""
    wards = all_wards()
    assert len(wards) == 3321 and len(all_provinces()) == 34
    history = History(random.Random(seed), wards, pseudonym)
    made, batch, in_batch = 0, [], 0
    while made < target_events:
        s, engagement = history.build()
        count = len(s.pending_events) + (len(engagement.pending_events) if engagement else 0)
        batch += [s] + ([engagement] if engagement else [])
        made += count
        in_batch += count
        if in_batch >= batch_events:
            yield batch
            batch, in_batch = [], 0
    if batch:
        yield batch


def load(
    app: SecondmentRegistry, target_events: int, seed: int = 2025, progress: bool = False
) -> Stats:
    """Saves a generated history through the application, one transaction per batch."""
    stats = Stats()
    for batch in batches(target_events, seed, app.keyring.pseudonym):
        secondments = [a for a in batch if isinstance(a, Secondment)]
        for s in secondments:
            stats.by_state[s.state] = stats.by_state.get(s.state, 0) + 1
        stats.secondments += len(secondments)
        stats.events += sum(len(a.pending_events) for a in batch)
        app.save(*batch)
        if progress:
            print(
                f"\r{stats.events:,} events, {stats.secondments:,} secondments", end="", flush=True
            )
    if progress:
        print()
    return stats


def main() -> None:
    from api.settings import get_settings, open_registry

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    app = open_registry(get_settings())
    started = time.perf_counter()
    stats = load(app, args.events, args.seed, progress=True)
    seconds = time.perf_counter() - started
    print(
        f"{stats.events:,} events in {seconds:.1f} s ({stats.events / seconds:,.0f}/s);",
        f"states {stats.by_state}",
    )
    app.close()


if __name__ == "__main__":
    main()
