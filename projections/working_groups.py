"""Read model `working_groups`: each group (leader, members, communes it covers, state) and
each of its visits; the list of groups and the coverage report (communes visited and not yet
visited, by group, and the communes of a province that no group has visited) read it."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import orjson

from domain.units import all_wards
from domain.working_group import GROUP_EVENT_CLASSES as EV
from projections import base
from projections.audit import reason_of, states_of
from projections.base import Event, Page, ReadModel, Rows, Scope, Table, Tables, View, Where, paged
from projections.secondments import province_label, ward_label
from projections.store import Row, Tx

Visited = dict[str, dict[int, tuple[int, str]]]
"""Per group id, per ward code: the number of visits and the last one's day."""
GROUPS = Table(
    "",
    (
        ("group_id", "TEXT NOT NULL"),
        ("seq", "BIGINT NOT NULL"),
        ("version", "INTEGER NOT NULL"),
        ("name", "TEXT NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("state", "TEXT NOT NULL"),
        ("formed_on", "TEXT"),
        ("closed_on", "TEXT"),
        ("leader", "TEXT NOT NULL"),
        ("members", "TEXT NOT NULL"),
        ("ward_codes", "TEXT NOT NULL"),
    ),
    ("group_id",),
    (("province_code", "seq"),),
)
VISITS = Table(
    "visits",
    (
        ("group_id", "TEXT NOT NULL"),
        ("number", "INTEGER NOT NULL"),
        ("seq", "BIGINT NOT NULL"),
        ("province_code", "INTEGER NOT NULL"),
        ("ward_code", "INTEGER NOT NULL"),
        ("visited_on", "TEXT NOT NULL"),
        ("findings", "TEXT NOT NULL"),
        ("guidance", "TEXT NOT NULL"),
        ("issues", "TEXT NOT NULL"),
        ("actor_sub", "TEXT"),
    ),
    ("group_id", "number"),
    (("province_code", "ward_code"),),
)


def wards_text(codes: Sequence[int]) -> str:
    """Ward codes as ",a,b," so that `LIKE '%,a,%'` finds one."""
    return f",{','.join(str(c) for c in codes)}," if codes else ""


def ward_list(stored: str) -> list[int]:
    return [int(c) for c in stored.split(",") if c]


@functools.singledispatch
def _fold(data: object, e: Event, groups: Rows, visits: Rows) -> None:
    """Applies one event of a working group (others are not this model's)."""


@_fold.register(EV["Formed"])
def _formed(data: Any, e: Event, groups: Rows, visits: Rows) -> None:
    groups.put(
        {
            "group_id": e.sid,
            "seq": e.position,
            "version": e.version,
            "name": data.name,
            "province_code": data.province_code,
            "state": data.to_state,
            "formed_on": base.iso(data.effective_on),
            "leader": base.dumps(base.jsonable(data.leader)),
            "members": base.dumps(base.jsonable(list(data.members))),
            "ward_codes": wards_text(data.ward_codes),
        }
    )


def _followed(e: Event, groups: Rows) -> Row | None:
    row = groups.get(e.sid)
    if row is not None:
        row.update(state=e.data.to_state, version=e.version)
        groups.put(row)
    return row


@_fold.register(EV["Enlarged"])
def _enlarged(data: Any, e: Event, groups: Rows, visits: Rows) -> None:
    if (row := _followed(e, groups)) is not None:
        members = [*orjson.loads(row["members"]), *base.jsonable(list(data.members))]
        row["members"] = base.dumps(members)
        row["ward_codes"] = wards_text([*ward_list(row["ward_codes"]), *data.ward_codes])


@_fold.register(EV["Closed"])
def _closed(data: Any, e: Event, groups: Rows, visits: Rows) -> None:
    if (row := _followed(e, groups)) is not None:
        row["closed_on"] = base.iso(data.effective_on)


@_fold.register(EV["VisitRecorded"])
def _visit_recorded(data: Any, e: Event, groups: Rows, visits: Rows) -> None:
    if (row := _followed(e, groups)) is None:
        return
    v = data.visit
    visits.put(
        {
            "group_id": e.sid,
            "number": v.number,
            "seq": e.position,
            "province_code": row["province_code"],
            "ward_code": v.ward_code,
            "visited_on": base.iso(v.visited_on),
            "findings": v.findings,
            "guidance": v.guidance,
            "issues": base.dumps(base.jsonable(list(v.issues))),
            "actor_sub": v.recorded_by.sub,
        }
    )


@base.scope_facts.register(EV["Formed"])
def _group_facts(data: Any) -> Row:
    return {"province_code": data.province_code}


@states_of.register(EV["Formed"])
def _group_created(data: Any) -> tuple[str | None, str | None]:
    return None, data.to_state


@states_of.register(EV["Enlarged"])
@states_of.register(EV["VisitRecorded"])
@states_of.register(EV["Closed"])
def _group_moved(data: Any) -> tuple[str | None, str | None]:
    return data.to_state, data.to_state


@reason_of.register(EV["Closed"])
def _closing_reason(data: Any) -> str | None:
    return data.reason or None


class WorkingGroups(ReadModel):
    """Working groups and their visits to communes."""

    reads = frozenset({"WorkingGroup"})

    name = "working_groups"
    tables = (GROUPS, VISITS)

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        groups, visits = self.rows(tx, t), self.rows(tx, t, "visits")
        groups.preload(e.sid for e in events)
        for e in events:
            _fold(e.data, e, groups, visits)
        groups.flush()
        visits.flush()


def in_scope(scope: Scope, w: Where) -> Where:
    """The groups a reader sees: a province's, or those covering one commune (None: any)."""
    w.eq("province_code", scope.province_code)
    if scope.ward_code is not None:
        w.add("ward_codes LIKE ?", f"%,{scope.ward_code},%")
    return w


def present(row: Row, visited: dict[int, tuple[int, str]]) -> dict[str, Any]:
    """A group's row as the API shows it, with the communes it visited and not yet visited."""
    wards = ward_list(row["ward_codes"])
    return {
        "id": row["group_id"],
        "name": row["name"],
        "province_code": row["province_code"],
        "state": row["state"],
        "version": row["version"],
        "formed_on": row["formed_on"],
        "closed_on": row["closed_on"],
        "leader": orjson.loads(row["leader"]),
        "members": orjson.loads(row["members"]),
        "ward_codes": wards,
        "visited": [w for w in wards if w in visited],
        "not_visited": [w for w in wards if w not in visited],
        "visits": sum(visited[w][0] for w in wards if w in visited),
    }


class WorkingGroupsView(View):
    """The groups a reader may see, and the coverage of communes by their visits."""

    model = "working_groups"

    def groups(
        self, scope: Scope, state: str | None, after: int, limit: int
    ) -> tuple[Page, Visited]:
        w = in_scope(scope, Where()).eq("state", state).add("seq > ?", after)
        with self.reading() as (tx, t):
            rows = tx.rows(
                f"SELECT * FROM {t.main}{w.sql} ORDER BY seq LIMIT ?", [*w.params, limit + 1]
            )
            page = paged(rows, limit, lambda r: {"seq": r["seq"]})
            return page, self._visited(tx, t, w)

    def coverage(self, scope: Scope, province_code: int | None) -> list[dict[str, Any]]:
        """One row per commune a group covers (with its visits), then one per commune of the
        province that no group has visited and no group covers."""
        w = in_scope(scope, Where()).eq("province_code", province_code)
        with self.reading() as (tx, t):
            rows = tx.rows(f"SELECT * FROM {t.main}{w.sql} ORDER BY seq", w.params)
            visited = self._visited(tx, t, w)
        provinces = sorted({r["province_code"] for r in rows} | _given(province_code, scope))
        found = [
            _covered(r, ward, visited[r["group_id"]])
            for r in rows
            for ward in ward_list(r["ward_codes"])
            if scope.ward_code in (None, ward)
        ]
        seen = {f["ward_code"] for f in found if f["visited"]}
        covered = {f["ward_code"] for f in found}
        for code, _name, province in WARDS:
            wanted = province in provinces and scope.ward_code in (None, code)
            if wanted and code not in seen and code not in covered:
                found.append(_uncovered(province, code))
        return found

    @staticmethod
    def _visited(tx: Tx, t: Tables, groups: Where) -> Visited:
        """Per group chosen by `groups`, per commune: how many visits, and the last one's day."""
        found: Visited = defaultdict(dict)
        for r in tx.rows(
            f"SELECT group_id, ward_code, COUNT(*) AS n, MAX(visited_on) AS last "
            f"FROM {t['visits']} WHERE group_id IN (SELECT group_id FROM {t.main}{groups.sql}) "
            "GROUP BY group_id, ward_code",
            groups.params,
        ):
            found[r["group_id"]][int(r["ward_code"])] = (int(r["n"]), r["last"])
        return found


WARDS = sorted(all_wards())


def _given(province_code: int | None, scope: Scope) -> set[int]:
    return {p for p in (province_code, scope.province_code) if p is not None}


def _covered(row: Row, ward: int, visited: dict[int, tuple[int, str]]) -> dict[str, Any]:
    visits, last = visited.get(ward, (0, None))
    return {
        "province_code": row["province_code"],
        "province_name": province_label(row["province_code"]),
        "ward_code": ward,
        "ward_name": ward_label(ward),
        "group_id": row["group_id"],
        "group_name": row["name"],
        "visits": visits,
        "last_visited_on": last,
        "visited": visits > 0,
    }


def _uncovered(province: int, ward: int) -> dict[str, Any]:
    return {
        "province_code": province,
        "province_name": province_label(province),
        "ward_code": ward,
        "ward_name": ward_label(ward),
        "group_id": None,
        "group_name": None,
        "visits": 0,
        "last_visited_on": None,
        "visited": False,
    }
