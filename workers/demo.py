"""`secondments demo`: demo data from the real cases in DOMAIN.md, through the application's own
commands, with deterministic command ids so that loading twice records nothing new. Each case is
its own module, listed in `workers.demo_cases.CASES`:

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
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from workers.demo_cases import CASES

if TYPE_CHECKING:
    from api.settings import Settings
    from domain.application import SecondmentRegistry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults()


def run(args: argparse.Namespace) -> int:
    from api.settings import get_settings

    load_and_print(get_settings())
    return 0


def load(registry: SecondmentRegistry) -> dict[str, str]:
    """Loads every case of the demo; returns the display names of the accounts that acted."""
    from workers.demo_kit import Demo

    demo = Demo(registry)
    for case in CASES:
        importlib.import_module(case).load(demo)
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
