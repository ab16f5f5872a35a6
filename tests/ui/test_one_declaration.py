"""One declaration per aggregate: change a row of the secondment's declaration and the API's
permission check, the actions the record offers, the dashboard's forms, the role table and the
lifecycle page all follow, with nothing else edited."""

from __future__ import annotations

from dataclasses import replace

import pytest

from api import access
from domain.declaration import Lifecycle
from domain.lifecycle import SECONDMENT
from domain.values import Role
from tests.api.helpers import assert_problem
from tests.ui.helpers import Dashboard


def without(declared: Lifecycle, action: str, role: Role) -> Lifecycle:
    """A copy of the declaration in which `role` may no longer take `action`."""
    table = tuple(
        replace(t, roles=t.roles - {role}) if t.action == action else t for t in declared.table
    )
    return replace(declared, table=table)


def form(sid: str, action: str) -> str:
    return f'action="/ui/secondments/{sid}/{action}"'


def test_a_role_taken_off_a_row_loses_the_action_everywhere(
    ui: Dashboard, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = ui.api.create()["id"]
    ui.sign_in("home_affairs")
    assert form(sid, "approve") in ui.page(sid)
    assert "approve" in ui.api.get(f"/v1/secondments/{sid}").json()["allowed_actions"]

    monkeypatch.setattr(access, "DECLARED", (without(SECONDMENT, "approve", Role.HOME_AFFAIRS),))

    offered = ui.api.get(f"/v1/secondments/{sid}").json()["allowed_actions"]
    assert "approve" not in offered and {"reject", "withdraw"} <= set(offered)
    page = ui.page(sid)
    assert form(sid, "approve") not in page and form(sid, "reject") in page
    refused = assert_problem(ui.api.act(sid, "approve"), 403)
    assert "may not approve" in refused["detail"]
    described = ui.api.get("/v1/lifecycle").json()
    assert "approve" not in described["roles"]["home_affairs"]
    assert "approve" in described["roles"]["ministry"]
    lifecycle_page = ui.get("/ui/lifecycle").text
    approve_row = lifecycle_page.split('<th scope="row">Phê duyệt</th>')[1].split("</tr>")[0]
    assert "Được thực hiện" not in approve_row

    approved = ui.api.act(sid, "approve", role="ministry")
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"


def test_the_real_declaration_offers_approval_to_the_province() -> None:
    """The copy above differs from the real one in that row only."""
    changed = without(SECONDMENT, "approve", Role.HOME_AFFAIRS)
    assert SECONDMENT.permits(Role.HOME_AFFAIRS, "approve")
    assert not changed.permits(Role.HOME_AFFAIRS, "approve")
    differing = [a for a, b in zip(SECONDMENT.table, changed.table, strict=True) if a != b]
    assert [t.action for t in differing] == ["approve"]
