"""The working groups' read model on both backends: the coverage report equals a plain
reference fold of the groups as the domain rebuilds them, every read model takes the groups'
events in its stride, and a rebuild gives the same rows as incremental processing."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from domain.application import SecondmentRegistry
from domain.units import all_wards
from domain.values import Actor, CommandMeta, Role
from domain.working_group_records import Member
from domain.working_groups import NewGroup, NewVisit, WorkingGroups
from projections import versions
from projections.base import Scope
from projections.catalog import BY_NAME, ReadModels
from projections.runner import Runner
from projections.store import ReadStore
from projections.working_groups import WorkingGroupsView
from tests.integration.test_projections import world

DA_NANG, HUE = 48, 46
__all__ = ["world"]  # the app and read store of each backend, as the other read models use
LEADER = Member("Trần Văn An", "Phó Giám đốc Sở", "Sở Nội vụ")


def wards_of(province: int) -> list[int]:
    return sorted(code for code, _, p in all_wards() if p == province)


def load(app: SecondmentRegistry, seed: int) -> list[Any]:
    """Groups in two provinces with random visits; some closed."""
    rng = random.Random(seed)
    groups = WorkingGroups(app)
    made = []
    for n in range(6):
        province = DA_NANG if n % 3 else HUE
        wards = rng.sample(wards_of(province)[:30], rng.randint(1, 6))
        m = CommandMeta(Actor(f"u{n}", Role.HOME_AFFAIRS), f"g{seed}:{n}", "r")
        new = NewGroup(province, f"Tổ {n}", LEADER, (), tuple(wards), date(2025, 9, 1))
        gid = groups.form(m, new).record.id
        for k in range(rng.randint(0, 5)):
            vm = CommandMeta(m.actor, f"g{seed}:{n}:v{k}", "r")
            day = date(2025, 9, 2) + timedelta(days=rng.randint(0, 60))
            visit = NewVisit(rng.choice(wards), day, "Nhận xét", "Hướng dẫn", ())
            groups.record_visit(gid, vm, None, visit)
        if rng.random() < 0.3:
            groups.close(
                gid, CommandMeta(m.actor, f"g{seed}:{n}:c", "r"), None, date(2025, 12, 1), ""
            )
        made.append(groups.get(gid))
    return made


def reference(made: list[Any], provinces: set[int]) -> set[tuple[Any, ...]]:
    """Per group and commune it covers: visits and the last date; then every commune of the
    provinces that no group covers."""
    rows = set()
    for g in made:
        if g.province_code not in provinces:
            continue
        for ward in g.ward_codes:
            days = [v.visited_on.isoformat() for v in g.visits if v.ward_code == ward]
            rows.add((str(g.id), ward, len(days), max(days) if days else None))
    covered = {w for g in made if g.province_code in provinces for w in g.ward_codes}
    for province in provinces:
        rows |= {(None, w, 0, None) for w in wards_of(province) if w not in covered}
    return rows


def report(read: ReadStore, scope: Scope, province: int | None) -> set[tuple[Any, ...]]:
    rows = WorkingGroupsView(read).coverage(scope, province)
    return {(r["group_id"], r["ward_code"], r["visits"], r["last_visited_on"]) for r in rows}


def dump(read: ReadStore) -> dict[str, list[dict[str, Any]]]:
    model = BY_NAME["working_groups"]
    with read.read() as tx:
        live = versions.live(tx, read)[model.name].version
        found = {}
        for table in model.tables:
            name = read.table(
                f"{read.prefix}{model.name}_v{live}" + (f"_{table.suffix}" if table.suffix else "")
            )
            found[table.suffix] = tx.rows(f"SELECT * FROM {name} ORDER BY {', '.join(table.key)}")
    return found


def test_coverage_equals_a_reference_fold_and_survives_a_rebuild(world: Any) -> None:
    app, read = world
    runner = Runner(app, read, drop_grace=0, poll=0.05, batch_size=5)
    made = load(app, seed=3)
    runner.catch_up()
    assert report(read, Scope(), None) == reference(made, {DA_NANG, HUE})
    assert report(read, Scope(DA_NANG), None) == reference(made, {DA_NANG})
    assert report(read, Scope(), HUE) == reference(made, {HUE})
    states = {
        r["group_id"]: r["state"]
        for r in WorkingGroupsView(read).groups(Scope(), None, 0, 50)[0].items
    }
    assert states == {str(g.id): g.state for g in made}
    incremental = dump(read)
    ReadModels(read).request_rebuild("working_groups")
    runner.catch_up()
    assert dump(read) == incremental
    assert len(incremental["visits"]) == sum(len(g.visits) for g in made) > 0


def test_a_commune_sees_the_groups_covering_it(world: Any) -> None:
    app, read = world
    made = load(app, seed=5)
    Runner(app, read, drop_grace=0, poll=0.05).catch_up()
    ward = made[1].ward_codes[0]
    page, _ = WorkingGroupsView(read).groups(Scope(DA_NANG, ward), None, 0, 50)
    assert {r["group_id"] for r in page.items} == {str(g.id) for g in made if ward in g.ward_codes}
    rows = WorkingGroupsView(read).coverage(Scope(DA_NANG, ward), None)
    assert {r["ward_code"] for r in rows} == {ward}
