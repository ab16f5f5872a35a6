"""A declared lifecycle drawn as inline SVG, laid out from its own `describe()` and worded with
its own labels (`domain.declaration.Lifecycle`).

States sit in columns by their longest distance from the initial state; the longest path to a
final state is the main row, every other state goes below its column. Edges that skip columns on
the main row arc over it (those of two columns under it); transitions back to the same state
are drawn as loops.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from domain.declaration import Lifecycle

COLUMN, ROW, WIDTH, HEIGHT, MARGIN, TOP = 300, 130, 136, 48, 20, 150


Edges = dict[tuple[str, str], list[str]]
Point = tuple[float, float]


def _depths(states: list[str], initial: str, edges: Edges) -> dict[str, int]:
    depth = dict.fromkeys(states, 0)
    for _ in states:
        for a, b in edges:
            if a != b and depth[b] < depth[a] + 1 and (a == initial or depth[a] > 0):
                depth[b] = depth[a] + 1
    return depth


def _main_row(final: list[str], depth: dict[str, int], edges: Edges) -> list[str]:
    state = max(final, key=lambda s: depth[s])
    row = [state]
    while depth[state] > 0:
        state = next(a for a, b in edges if b == state and a != b and depth[a] == depth[state] - 1)
        row.append(state)
    return row[::-1]


def layout(described: dict[str, Any]) -> tuple[dict[str, Point], Edges]:
    """Centres of the states, and the edges (source, destination) → actions."""
    edges: Edges = defaultdict(list)
    for t in described["transitions"]:
        for source in t["from"]:
            if t["to"] is not None:
                edges[(source, t["to"])].append(t["action"])
    depth = _depths(described["states"], described["initial"], edges)
    main = _main_row(described["final"], depth, edges)
    rows: dict[int, int] = defaultdict(int)
    centres: dict[str, Point] = {}
    for state in described["states"]:
        row = 0 if state in main else 1 + rows[depth[state]]
        if state not in main:
            rows[depth[state]] += 1
        centres[state] = (MARGIN + WIDTH / 2 + depth[state] * COLUMN, TOP + row * ROW)
    return centres, edges


def _boundary(c: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
    dx, dy = toward[0] - c[0], toward[1] - c[1]
    t = min(WIDTH / 2 / abs(dx) if dx else 1e9, HEIGHT / 2 / abs(dy) if dy else 1e9)
    return c[0] + dx * t, c[1] + dy * t


def _lines(text: str) -> list[str]:
    words = text.split()
    if len(text) <= 16 or len(words) < 2:
        return [text]
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(text) / 2))
    return [" ".join(words[:cut]), " ".join(words[cut:])]


Words = Callable[[str], str]


def _label(x: float, y: float, actions: list[str], name_of: Words) -> str:
    """The actions' names, wrapped in lines of about 18 characters, ending just above y."""
    lines: list[str] = []
    for action in actions:
        words = name_of(action).split()
        line = ""
        for word in words:
            if line and len(line) + len(word) > 18:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line + ("," if action != actions[-1] else ""))
    first = y - 14 * (len(lines) - 1)
    spans = "".join(
        f'<tspan x="{x:.0f}" y="{first + 14 * i:.0f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="middle" class="edge-label" paint-order="stroke">{spans}</text>'


def _edge(
    a: tuple[float, float], b: tuple[float, float], actions: list[str], span: int, word: Words
) -> str:
    if a == b:
        x, y = a[0], a[1] + HEIGHT / 2
        path = f"M{x - 18},{y} C{x - 40},{y + 48} {x + 40},{y + 48} {x + 18},{y + 2}"
        return f'<path d="{path}" class="edge"/>' + _label(x, y + 58, actions, word)
    if a[1] == b[1] and span > 1:
        # arcs over two columns go below the row, longer ones above, so no two cross
        below = span == 2
        side = a[1] + HEIGHT / 2 if below else a[1] - HEIGHT / 2
        lift = (20 + 45 * span) * (-1 if below else 1)
        path = f"M{a[0] + 30},{side} Q{(a[0] + b[0]) / 2},{side - lift} {b[0] - 30},{side}"
        label_y = side - lift / 2 + (20 if below else -6)
        return f'<path d="{path}" class="edge"/>' + _label(
            (a[0] + b[0]) / 2, label_y, actions, word
        )
    start, end = _boundary(a, b), _boundary(b, a)
    line = f'<path d="M{start[0]:.0f},{start[1]:.0f} L{end[0]:.0f},{end[1]:.0f}" class="edge"/>'
    return line + _label((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 - 6, actions, word)


def _node(state: str, c: tuple[float, float], described: dict[str, Any], name: str) -> str:
    kind = (
        "initial"
        if state == described["initial"]
        else "final"
        if state in described["final"]
        else "state"
    )
    lines = _lines(name)
    first = c[1] + 5 - 8 * (len(lines) - 1)
    texts = "".join(
        f'<tspan x="{c[0]:.0f}" y="{first + 16 * i:.0f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<g class="node {kind}"><rect x="{c[0] - WIDTH / 2:.0f}" y="{c[1] - HEIGHT / 2:.0f}"'
        f' width="{WIDTH}" height="{HEIGHT}" rx="10"/>'
        f'<text text-anchor="middle">{texts}</text></g>'
    )


def svg(declared: Lifecycle, title: str) -> Markup:
    """The state diagram as an inline <svg> (with `title` for screen readers)."""
    described = declared.describe()
    centres, edges = layout(described)
    columns = max(round((x - MARGIN - WIDTH / 2) / COLUMN) for x, _ in centres.values())
    width = 2 * MARGIN + WIDTH + columns * COLUMN
    height = max(y for _, y in centres.values()) + HEIGHT / 2 + 80
    column = {s: round((x - MARGIN - WIDTH / 2) / COLUMN) for s, (x, _) in centres.items()}
    parts = [
        _edge(centres[a], centres[b], actions, abs(column[b] - column[a]), declared.action_label)
        for (a, b), actions in edges.items()
    ]
    words = declared.state_labels
    parts += [_node(s, centres[s], described, words.get(s, s)) for s in described["states"]]
    start = centres[described["initial"]]
    return Markup(
        f'<svg class="lifecycle" viewBox="0 0 {width:.0f} {height:.0f}" role="img"'
        f' aria-labelledby="lifecycle-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="lifecycle-title">{escape(title)}</title>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"'
        ' markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        "</defs>"
        f'<circle cx="{start[0]:.0f}" cy="{start[1] - HEIGHT / 2 - 30:.0f}" r="7"'
        ' class="start"/>'
        f'<path d="M{start[0]:.0f},{start[1] - HEIGHT / 2 - 23:.0f} L{start[0]:.0f},'
        f'{start[1] - HEIGHT / 2:.0f}" class="edge"/>' + "".join(parts) + "</svg>"
    )
