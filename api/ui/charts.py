"""Charts as inline SVG: horizontal bars, and a timeline of term ends by month."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from markupsafe import Markup, escape

Bar = tuple[str, int, str | None]
MONTHS = 6


def _shorten(text: str, most: int = 22) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def bars(items: Sequence[Bar], title: str) -> Markup:
    """One bar per (label, value, link); the values are also written as text."""
    top = max((n for _, n, _ in items), default=0) or 1
    rows = []
    for i, (text, n, href) in enumerate(items):
        y = i * 28 + 4
        width = round(n / top * 190, 1)
        name = f"<title>{escape(text)}: {n}</title>{escape(_shorten(text))}"
        label = f'<a href="{escape(href)}">{name}</a>' if href else name
        rows.append(
            f'<text x="0" y="{y + 16}" class="bar-label">{label}</text>'
            f'<rect x="180" y="{y + 3}" width="{width}" height="18" rx="3" class="bar"/>'
            f'<text x="{186 + width}" y="{y + 16}" class="bar-value">{n}</text>'
        )
    height = len(items) * 28 + 8
    return Markup(
        f'<svg class="bars" viewBox="0 0 420 {height}" role="img" aria-label="{escape(title)}"'
        f' xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )


def _month(day: date, ahead: int) -> date:
    index = day.month - 1 + ahead
    return date(day.year + index // 12, index % 12 + 1, 1)


def months(deadlines: Iterable[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Term ends per month from this month on, after one column of the ends already past
    (before this month): how many, and how many without handover."""
    starts = [_month(today, i) for i in range(MONTHS)]
    columns: list[dict[str, Any]] = [{"label": "Đã quá hạn", "ends": 0, "without_handover": 0}]
    columns += [{"label": m.strftime("%m/%Y"), "ends": 0, "without_handover": 0} for m in starts]
    for item in deadlines:
        end = date.fromisoformat(item["term_end"])
        if end >= _month(today, MONTHS):
            continue
        index = max((i + 1 for i, first in enumerate(starts) if first <= end), default=0)
        columns[index]["ends"] += 1
        columns[index]["without_handover"] += 0 if item["handover_started"] else 1
    return columns


def timeline(per_month: Sequence[dict[str, Any]], title: str) -> Markup:
    """Columns on a month axis: term ends, the part without handover drawn darker."""
    top = max((m["ends"] for m in per_month), default=0) or 1
    step, base = 72, 150
    parts = [f'<line x1="20" y1="{base}" x2="{20 + step * len(per_month)}" y2="{base}"/>']
    for i, m in enumerate(per_month):
        x = 20 + i * step + 18
        full = round(m["ends"] / top * 110, 1)
        late = round(m["without_handover"] / top * 110, 1)
        month = m["label"]
        when = month if "/" not in month else f"Tháng {month}"
        tip = f"{when}: {m['ends']} kết thúc, {m['without_handover']} chưa bàn giao"
        parts.append(
            f"<g><title>{escape(tip)}</title>"
            f'<rect x="{x}" y="{base - full}" width="36" height="{full}" class="span"/>'
            f'<rect x="{x}" y="{base - late}" width="36" height="{late}" class="span late"/>'
            f'<text x="{x + 18}" y="{base - full - 6}" text-anchor="middle">{m["ends"]}</text>'
            f'<text x="{x + 18}" y="{base + 20}" text-anchor="middle">{month}</text></g>'
        )
    width = 40 + step * len(per_month)
    return Markup(
        f'<svg class="gantt" viewBox="0 0 {width} 180" role="img" aria-label="{escape(title)}"'
        f' xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )
