"""The web dashboard (Vietnamese), served under /ui by the same app as the API (GitHub issue #8)."""

from __future__ import annotations

from fastapi import APIRouter

from api.ui import (
    audit,
    communes,
    dashboards,
    decisions,
    imports,
    listing,
    pages,
    plan_actions,
    plans,
    records,
    reports,
    requests,
    working_group_page,
    working_groups,
)

router = APIRouter(include_in_schema=False)
for part in (
    pages.router,
    requests.router,
    imports.router,
    decisions.router,
    plans.router,
    plan_actions.router,
    communes.router,
    audit.router,
    reports.router,
    listing.router,
    dashboards.router,
    records.router,
    working_groups.router,
    working_group_page.router,
):
    router.include_router(part, prefix="/ui")
