"""JSON bodies serialised once, by orjson (UTF-8 as is: Vietnamese text round-trips exactly)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class OrjsonResponse(JSONResponse):
    """A JSON response whose content (dicts, lists, str, int, float, None) orjson renders."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
