"""Who may do what, and to which secondments: the role table of API.md and the scope rules.

Reused by the read models: `scope_filter(principal)` says which secondments a caller may see,
`can_read(principal, secondment)` checks one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from api.auth import Principal
from api.errors import forbidden
from domain import corrections, lifecycle
from domain.declaration import Lifecycle
from domain.plan_lifecycle import PLAN
from domain.secondment import Secondment
from domain.values import Host, Role
from domain.visit_lifecycle import STUDY_VISIT
from domain.working_group_lifecycle import WORKING_GROUP

READ = lifecycle.READ
AUDIT = lifecycle.AUDIT
REQUEST = lifecycle.REQUEST
DECIDE = lifecycle.DECIDE
DECLARE_NEEDS = lifecycle.DECLARE_NEEDS
DECLARE_AREA = lifecycle.DECLARE_AREA
CORRECT = lifecycle.CORRECT
PROJECTIONS = "projections"
METRICS = "metrics"
SEES_SENSITIVE = frozenset({Role.HOME_AFFAIRS, Role.MINISTRY})
"""Roles that decide, and so read an official's sensitive data (maternity protection)."""

PLATFORM: dict[Role, frozenset[str]] = {Role.ADMIN: frozenset({PROJECTIONS, METRICS})}
"""Rights over the platform itself, outside any aggregate's declaration."""
DECLARED = (lifecycle.SECONDMENT, PLAN, WORKING_GROUP, STUDY_VISIT)
"""Every aggregate's declaration; a role's permissions are read off them."""


def permissions(role: Role) -> frozenset[str]:
    """A role's rights, read off the platform's and every declaration's at each call (so a
    changed declaration changes them)."""
    return frozenset().union(
        PLATFORM.get(role, frozenset()), *(d.permissions(role) for d in DECLARED)
    )


KINDS = {
    "secondment": "hồ sơ biệt phái",
    "plan": "kế hoạch",
    "study_visit": "đợt học tập kinh nghiệm",
    "working_group": "tổ công tác",
}
"""The Vietnamese name of each declared kind of record, for the lifecycle pages."""


def role_table_of(declared: Lifecycle) -> dict[str, list[str]]:
    """What each role may do on this kind of record, as its declaration says."""
    return {
        role.value: sorted(declared.permissions(role)) for role in Role if role is not Role.SYSTEM
    }


def declared(name: str) -> Lifecycle:
    """The declaration of this name among DECLARED."""
    return next(d for d in DECLARED if d.name == name)


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return unicodedata.normalize("NFC", s).strip().casefold()

    return norm(a) == norm(b)


@dataclass(frozen=True)
class Scope:
    """Which secondments a caller may see; a None field does not constrain."""

    province_code: int | None = None
    ward_code: int | None = None
    home_agency: str | None = None
    personnel_id: str | None = None
    nothing: bool = False

    @property
    def everything(self) -> bool:
        return not self.nothing and self == Scope()

    def admits(self, host: Host, home_agency: str, personnel_id: str) -> bool:
        return not self.nothing and all(
            (
                self.province_code in (None, host.province_code),
                self.ward_code in (None, host.ward_code),
                self.home_agency is None or _same(self.home_agency, home_agency),
                self.personnel_id is None or _same(self.personnel_id, personnel_id),
            )
        )


def permits(principal: Principal, action: str) -> bool:
    return action in permissions(principal.role)


def sees_sensitive(principal: Principal) -> bool:
    return principal.role in SEES_SENSITIVE


def require(principal: Principal, action: str) -> None:
    """403 when the caller's role may never take this action."""
    if not permits(principal, action):
        raise forbidden(f"the {principal.role.value} role may not {action.replace('_', ' ')}")


def require_correction(principal: Principal, fact: str) -> None:
    """403 unless the caller may correct this fact: the roles that may give its command, and
    home_affairs and ministry for any fact in their scope."""
    action = corrections.ACTIONS.get(fact, "")
    if principal.role not in (Role.HOME_AFFAIRS, Role.MINISTRY) and not permits(principal, action):
        raise forbidden(f"the {principal.role.value} role may not correct a {fact} fact")


def scope_filter(principal: Principal) -> Scope:
    """The secondments the caller may read (an admin sees none)."""
    p = principal
    match p.role:
        case Role.COMMUNE:
            return Scope(province_code=p.province_code, ward_code=p.ward_code)
        case Role.AGENCY:
            return Scope(province_code=p.province_code, home_agency=p.home_agency)
        case Role.OFFICIAL:
            return Scope(personnel_id=p.personnel_id)
        case Role.HOME_AFFAIRS | Role.AUDITOR:
            return Scope(province_code=p.province_code)
        case Role.MINISTRY:
            return Scope()
    return Scope(nothing=True)


def can_read(principal: Principal, secondment: Secondment) -> bool:
    s = secondment
    admitted = scope_filter(principal).admits(s.host, s.home_agency, s.official.personnel_id)
    return permits(principal, READ) and admitted


def may_request(principal: Principal, host: Host, home_agency: str) -> bool:
    """Whether the caller may request a secondment from this agency to this host."""
    scope = scope_filter(principal)
    if principal.role is Role.COMMUNE and host.ward_code is None:
        return False
    return scope.personnel_id is None and scope.admits(host, home_agency, "")


def may_declare_needs(principal: Principal, host: Host) -> bool:
    """Whether the caller may declare this commune's needs."""
    scope = scope_filter(principal)
    return scope.home_agency is None and scope.personnel_id is None and scope.admits(host, "", "")


def allowed_actions(principal: Principal, state: str) -> list[str]:
    """The secondment's actions from a state that this caller's role may take."""
    return declared(lifecycle.SECONDMENT.name).allowed_for(principal.role, state)


def role_table() -> dict[str, list[str]]:
    return {role.value: sorted(permissions(role)) for role in Role if role is not Role.SYSTEM}


def require_declared(principal: Principal, declared: Lifecycle, action: str) -> None:
    """403 when the caller's role may never take this action on this kind of record, as its
    declaration says."""
    if not declared.permits(principal.role, action):
        what = declared.name.replace("_", " ")
        raise forbidden(
            f"the {principal.role.value} role may not {action.replace('_', ' ')} a {what}"
        )
