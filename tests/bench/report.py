"""Figures, their targets, the printed table (rich) and the JSON file."""

from __future__ import annotations

import json
import math
import platform
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

NOT_PRESENT = "n/a — read models not present"


@dataclass(frozen=True)
class Target:
    """A goal for a figure: at least (`>=`) or at most (`<=`) a value."""

    op: str
    value: float

    def passes(self, x: float) -> bool:
        return x >= self.value if self.op == ">=" else x <= self.value

    def miss_factor(self, x: float) -> float:
        """How far off a missed target is (2.0 = twice too slow); 1.0 or less when met."""
        if self.op == ">=":
            return self.value / x if x > 0 else math.inf
        return x / self.value if self.value > 0 else math.inf

    def __str__(self) -> str:
        return f"{'≥' if self.op == '>=' else '≤'} {_number(self.value)}"


def at_least(value: float) -> Target:
    return Target(">=", value)


def at_most(value: float) -> Target:
    return Target("<=", value)


@dataclass(frozen=True)
class Figure:
    """One measured figure (a median of repeated runs), or None with a note when not measurable."""

    workload: str
    measure: str
    value: float | None
    unit: str
    target: Target | None = None
    note: str = ""

    @property
    def status(self) -> str:
        if self.value is None or self.target is None or math.isnan(self.value):
            return ""
        if self.target.passes(self.value):
            return "pass"
        return f"miss ×{self.target.miss_factor(self.value):.2f}"

    def as_json(self) -> dict[str, Any]:
        found = asdict(self)
        found["target"] = str(self.target) if self.target else None
        found["status"] = self.status
        return found


def absent(workload: str, measure: str, why: str = NOT_PRESENT) -> Figure:
    return Figure(workload, measure, None, "", note=why)


def _number(x: float | None) -> str:
    if x is None or math.isnan(x):
        return "—"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def table(figures: list[Figure], title: str) -> Table:
    out = Table(title=title, title_justify="left", show_lines=False)
    for name, justify in [("workload", "left"), ("measure", "left"), ("value", "right")]:
        out.add_column(name, justify=justify)  # type: ignore[arg-type]
    for name in ("unit", "target", "status", "note"):
        out.add_column(name)
    previous = None
    for f in figures:
        mark = {"": ""}.get(
            f.status, "[green]✓ pass" if f.status == "pass" else f"[red]✗ {f.status}"
        )
        out.add_row(
            f.workload if f.workload != previous else "",
            f.measure,
            _number(f.value) if f.value is not None else "n/a",
            f.unit,
            str(f.target) if f.target else "",
            mark,
            f.note,
            end_section=False,
        )
        previous = f.workload
    return out


def show(figures: list[Figure], title: str) -> None:
    Console(width=160).print(table(figures, title))


def write_json(path: Path, figures: list[Figure], options: dict[str, Any]) -> None:
    document = {
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "options": options,
        "figures": [f.as_json() for f in figures],
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
