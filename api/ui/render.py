"""Jinja2 templates of the dashboard: filters for Vietnamese labels and dates, the page frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from api import access
from api.auth import Principal
from api.ui import charts, labels, people, session
from domain import visit_lifecycle, working_group_lifecycle
from domain.values import Role

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
env = templates.env
env.filters.update(
    label=labels.label,
    vn_in=lambda code, table: table.get(code, code),
    eligibility=labels.eligibility,
    display_name=people.display_name,
    vn_datetime_text=labels.vn_datetime_text,
    vn_date=labels.vn_date,
    vn_datetime=labels.vn_datetime,
)
env.globals.update(labels=labels, Role=Role, bars=charts.bars, timeline=charts.timeline)
env.trim_blocks = True
env.lstrip_blocks = True

NAV = (
    ("/ui", "Tổng quan", access.READ),
    ("/ui/secondments", "Danh sách", access.READ),
    ("/ui/secondments/new", "Lập đề nghị", access.REQUEST),
    ("/ui/imports", "Nhập danh sách", access.REQUEST),
    ("/ui/decisions/new", "Phê duyệt theo quyết định", access.DECIDE),
    ("/ui/plans", "Kế hoạch", "read_plan"),
    ("/ui/reports/agencies", "Báo cáo", access.READ),
    ("/ui/audit", "Nhật ký", access.AUDIT),
    ("/ui/working-groups", "Tổ công tác", working_group_lifecycle.READ),
    ("/ui/study-visits", "Học tập tại Sở", visit_lifecycle.READ),
    ("/ui/lifecycle", "Vòng đời hồ sơ", None),
)


def _section(path: str) -> str:
    """The menu entry a page belongs to: the longest entry that is the path or a parent of it."""
    found = [h for h, _, _ in NAV if path == h or path.startswith(h + "/")]
    return max(found, key=len, default="")


def nav(principal: Principal | None, path: str) -> list[dict[str, Any]]:
    if principal is None:
        return []
    return [
        {"href": href, "label": text, "current": href == _section(path)}
        for href, text, needs in NAV
        if needs is None or access.permits(principal, needs)
    ]


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status: int = 200,
    principal: Principal | None = None,
) -> Response:
    """A page with the frame's context: who is signed in, the menu, the form token."""
    full = {
        "principal": principal,
        "nav": nav(principal, request.url.path),
        "csrf": session.csrf_token(request),
        "can": (lambda action: access.permits(principal, action)) if principal else None,
        **context,
    }
    return templates.TemplateResponse(request, name, full, status_code=status)


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    try:
        who: Principal | None = session.principal(request)
    except session.SignInRequired:
        who = None
    context = {"title": title, "detail": detail, "status": status}
    return render(request, "error.html", context, status, who)


session.UiRoute.error_page = staticmethod(error_page)
