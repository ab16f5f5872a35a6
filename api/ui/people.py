"""Display names of the accounts that act in the registry, where it knows them: the directory
file configured by SECONDMENTS_PEOPLE_FILE (`sub,name` rows), the signed-in caller's own token
(`name` claim), the demo's accounts, the system's timers. Pages show the name with the account
id on hover; an unknown account shows its id."""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import Any

from jinja2 import pass_context

from api.ui import session

BUILT_IN = {
    "timers": "Hệ thống (tự động)",
    **{f"demo-{c['role']}": label for label, c in session.DEMO_ROLES},
}


@functools.cache
def directory(path: Path | None) -> dict[str, str]:
    """The configured directory; a file that cannot be read stops the page loudly."""
    if path is None:
        return {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row[0].strip(): row[1].strip() for row in csv.reader(f) if len(row) >= 2}


def name_of(sub: str, path: Path | None, own: tuple[str, str | None] = ("", None)) -> str:
    """The directory's name, else the signed-in caller's own token name (`own` = sub, name),
    else a built-in one, else the id itself."""
    mine = own[1] if own[0] == sub else None
    return directory(path).get(sub) or mine or BUILT_IN.get(sub) or sub


@pass_context
def display_name(context: Any, sub: str) -> str:
    """The Jinja filter: `{{ actor.sub | display_name }}`."""
    settings = context["request"].app.state.settings
    principal = context.get("principal")
    own = (principal.sub, principal.name) if principal else ("", None)
    return name_of(sub, settings.people_file, own)
