"""Allowances of a month: the days an official was at the host, and the amounts the province's
rates give for them (Decree 170/2025 Art. 27(3): the province decides the preferential
allowances for mountain, border, island and especially difficult areas).

Rates are configuration, never code: per province and kind, an amount per day at the host
(`per_day`, e.g. công tác phí) and an amount per day by hardship area (`area_per_day`); when a
commune has several areas the highest of their rates applies.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.values import Area, Kind


@dataclass(frozen=True)
class Rate:
    """What one province pays per day at the host for one kind of posting."""

    per_day: int
    area_per_day: Mapping[Area, int] = field(default_factory=dict)

    def area_rate(self, areas: Iterable[Area]) -> int:
        return max((self.area_per_day.get(a, 0) for a in areas), default=0)


@dataclass(frozen=True)
class Rates:
    """Every configured rate, by province code and kind, in one currency."""

    currency: str
    by_province: Mapping[int, Mapping[Kind, Rate]]

    def rate(self, province_code: int, kind: Kind) -> Rate | None:
        return self.by_province.get(province_code, {}).get(kind)


def _amount(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{where}: an amount is a whole number ≥ 0, not {value!r}")
    return value


def _rate(data: Any, where: str) -> Rate:
    if not isinstance(data, dict) or not data.keys() <= {"per_day", "area_per_day"}:
        raise ValueError(f"{where}: expected {{'per_day', 'area_per_day'}}")
    areas = data.get("area_per_day", {})
    if not isinstance(areas, dict):
        raise ValueError(f"{where}.area_per_day: expected an object")
    return Rate(
        _amount(data.get("per_day"), f"{where}.per_day"),
        {Area(a): _amount(v, f"{where}.area_per_day.{a}") for a, v in areas.items()},
    )


def parse_rates(data: Any) -> Rates:
    """Rates from the documented JSON shape; ValueError naming the faulty place."""
    if not isinstance(data, dict) or not isinstance(data.get("provinces"), dict):
        raise ValueError("allowance rates: expected {'currency', 'provinces': {...}}")
    currency = data.get("currency")
    if not isinstance(currency, str) or not currency.strip():
        raise ValueError("allowance rates: 'currency' must be named, e.g. 'VND'")
    by_province: dict[int, dict[Kind, Rate]] = {}
    for code, kinds in data["provinces"].items():
        if not str(code).isdigit() or not isinstance(kinds, dict):
            raise ValueError(f"provinces.{code}: expected a province code and an object of kinds")
        by_province[int(code)] = {
            Kind(k): _rate(r, f"provinces.{code}.{k}") for k, r in kinds.items()
        }
    return Rates(currency.strip(), by_province)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def days_at_host(arrived_on: date, last_day: date, year: int, month: int) -> int:
    """Calendar days from arrival to the last day at the host (both counted) within a month."""
    first, last = month_bounds(year, month)
    start, end = max(arrived_on, first), min(last_day, last)
    return max(0, (end - start).days + 1)


@dataclass(frozen=True)
class Amounts:
    """A month's allowance for one secondment (None when its province and kind have no rate)."""

    per_diem: int | None
    area_allowance: int | None

    @property
    def total(self) -> int | None:
        if self.per_diem is None or self.area_allowance is None:
            return None
        return self.per_diem + self.area_allowance


def amounts(rate: Rate | None, days: int, areas: Iterable[Area]) -> Amounts:
    if rate is None:
        return Amounts(None, None)
    return Amounts(rate.per_day * days, rate.area_rate(areas) * days)
