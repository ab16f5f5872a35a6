"""The lifecycle diagram's labels stay readable: no edge label overlaps another label or a state
box (text widths estimated at 7.5 px a character, lines 14 px high)."""

from __future__ import annotations

import re

from api.ui import diagram
from domain import lifecycle

Box = tuple[float, float, float, float]
RECT = re.compile(r'<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"')
LABEL = re.compile(r'<text text-anchor="middle" class="edge-label"[^>]*>(.*?)</text>')
SPAN = re.compile(r'<tspan x="([\d.-]+)" y="([\d.-]+)">([^<]*)</tspan>')


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _boxes(svg: str) -> tuple[list[Box], list[tuple[str, Box]]]:
    nodes = [(x, y, x + w, y + h) for x, y, w, h in (map(float, m) for m in RECT.findall(svg))]
    labels = []
    for block in LABEL.findall(svg):
        for x, y, text in SPAN.findall(block):
            half = len(text) * 7.5 / 2
            labels.append((text, (float(x) - half, float(y) - 11, float(x) + half, float(y) + 3)))
    return nodes, labels


def test_no_label_overlaps_another_label_or_a_state() -> None:
    nodes, labels = _boxes(str(diagram.svg(lifecycle.SECONDMENT, "Sơ đồ")))
    assert len(labels) >= 10
    for i, (text, box) in enumerate(labels):
        assert not any(_overlap(box, n) for n in nodes), text
        clash = [other for other, b in labels[i + 1 :] if _overlap(box, b)]
        assert clash == [], (text, clash)
