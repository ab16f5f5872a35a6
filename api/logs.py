"""Logging without personal data: an unexpected exception is logged by its type and stack only,
since its message may quote what a request carried (names, personnel ids, appraisals)."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def redacted(exc: BaseException) -> str:
    """The chain of exception types with their frames (file, line, code), and no messages."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    parts = []
    for link in reversed(chain):
        kind = type(link)
        frames = "".join(traceback.format_tb(link.__traceback__))
        name = f"{kind.__module__}.{kind.__qualname__}"
        parts.append(f"Traceback (most recent call last):\n{frames}{name}")
    return "\n".join(parts)


class RedactingFormatter(logging.Formatter):
    """A formatter whose tracebacks carry exception types and frames but never messages."""

    def formatException(self, ei: ExcInfo) -> str:  # type: ignore[override]
        return redacted(ei[1])


def configure(level: str) -> None:
    """Root logging for the processes: one stream handler with the redacting formatter."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
