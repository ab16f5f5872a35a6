"""`manage.py load_peer --records N --events M`: fills the peer's tables by bulk insert with N
secondments whose trails hold about M rows in all (as many as our generated history's events),
spread over the 34 provinces and the lifecycle's states, so that the list and the trail are read
from a store of the same size as ours."""

import random
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone
from django_fsm_log.models import StateLog

from registry.models import Difficulty, Report, Secondment

PROVINCES = (1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46)
PROVINCES += (48, 51, 52, 56, 66, 68, 75, 79, 80, 82, 86, 91, 92, 96)
PATHS = {
    "requested": ("request",),
    "rejected": ("request", "reject"),
    "approved": ("request", "approve"),
    "deployed": ("request", "approve", "deploy"),
    "reporting": ("request", "approve", "deploy"),
    "ended": ("request", "approve", "deploy", "end"),
}
STATES = {"requested": 5, "rejected": 3, "approved": 5, "deployed": 5, "reporting": 62}
STATES |= {"ended": 20}
TARGETS = {"request": "requested", "reject": "rejected", "approve": "approved"}
TARGETS |= {"deploy": "deployed", "end": "ended"}
START = date(2025, 10, 20)
BATCH = 5000


class Command(BaseCommand):
    help = "Bulk-loads secondments with trails for the bench's reads."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, required=True)
        parser.add_argument("--events", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, records, events, seed, **options):
        rng = random.Random(seed)
        states = rng.choices(list(STATES), weights=list(STATES.values()), k=records)
        extra = max(0, events - sum(len(PATHS[s]) for s in states))
        on_post = sum(s in ("reporting", "ended") for s in states) or 1
        made = Secondment.objects.bulk_create(
            [secondment(rng, n, state) for n, state in enumerate(states)], batch_size=BATCH
        )
        kind = ContentType.objects.get_for_model(Secondment)
        logs, reports, difficulties = [], [], []
        began = timezone.now() - timedelta(days=400)
        for s in made:
            at = began + timedelta(seconds=s.pk)
            for n, name in enumerate(PATHS[s.state]):
                logs.append(log(kind, s, name, at + timedelta(milliseconds=n)))
            if s.state in ("reporting", "ended"):
                count = rng.randint(0, round(2 * extra / on_post))
                for n in range(count):
                    when = at + timedelta(milliseconds=10 + n)
                    if n % 10 == 9:
                        difficulties.append(raised(s, n // 10 + 1, when))
                        continue
                    reports.append(weekly(s, n, when))
                    logs.append(log(kind, s, "report", when))
        StateLog.objects.bulk_create(logs, batch_size=BATCH)
        Report.objects.bulk_create(reports, batch_size=BATCH)
        Difficulty.objects.bulk_create(difficulties, batch_size=BATCH)
        with connection.cursor() as cursor:
            for model in (Secondment, StateLog, Report, Difficulty):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        rows = len(logs) + len(difficulties)
        self.stdout.write(f"{len(made)} secondments, {rows} trail rows")


def secondment(rng: random.Random, n: int, state: str) -> Secondment:
    on_term = state not in ("requested", "rejected")
    return Secondment(
        state=state,
        version=len(PATHS[state]),
        full_name=f"Công chức {n}",
        personnel_id=f"PEER-{n:08d}",
        category="civil_servant",
        position="Chuyên viên",
        in_succession_plan=True,
        appraisals=[{"year": y, "rating": "good"} for y in (2022, 2023, 2024)],
        home_agency="Sở Khoa học và Công nghệ",
        province_code=rng.choice(PROVINCES),
        ward_code=rng.randint(1, 30000),
        kind="secondment",
        fields=["information_technology"],
        planned_start=START,
        planned_end=START + timedelta(days=181),
        decision_number=f"{n}/QĐ-UBND" if on_term else "",
        decision_date=START - timedelta(days=3) if on_term else None,
        term_start=START if on_term else None,
        term_end=START + timedelta(days=729) if on_term else None,
        arrived_on=START + timedelta(days=1) if len(PATHS[state]) > 2 else None,
    )


def log(kind: ContentType, s: Secondment, name: str, at) -> StateLog:
    return StateLog(
        content_type=kind,
        object_id=s.pk,
        transition=name,
        state=TARGETS.get(name, "reporting"),
        timestamp=at,
        description="bench-loader (ministry)",
    )


def weekly(s: Secondment, n: int, at) -> Report:
    start = START + timedelta(days=7 * n)
    return Report(
        secondment=s,
        kind="progress",
        period_start=start,
        period_end=start + timedelta(days=6),
        summary="Báo cáo tuần",
        submitted_on=start + timedelta(days=7),
        submitted_by="bench-loader (official)",
        created_at=at,
    )


def raised(s: Secondment, number: int, at) -> Difficulty:
    return Difficulty(
        secondment=s,
        number=number,
        title="Vướng mắc",
        field="land_management",
        raised_by="bench-loader (commune)",
        created_at=at,
    )
