"""What a golden store's records look like when read: each aggregate's public state as JSON."""

from __future__ import annotations

from typing import Any

from projections.base import jsonable


def record_view(aggregate: Any) -> dict[str, Any]:
    """An aggregate's class, id, version and public attributes, as plain JSON values."""
    attributes = {k: v for k, v in vars(aggregate).items() if not k.startswith("_")}
    view: dict[str, Any] = jsonable(attributes)
    view["class"] = type(aggregate).__name__
    view["id"] = str(aggregate.id)
    view["version"] = aggregate.version
    return view
