"""Logging without personal data: an unexpected exception is logged by its type and stack only,
since its message may quote what a request carried (names, personnel ids, appraisals). Every
logged message is one line: what a request put in it (a path with %0A, control bytes, bidi
controls) is escaped, so no one can forge a log line or make the log binary."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class Trace(str):
    """A redacted traceback: exception types and our own frames, logged on several lines."""


FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def redacted(exc: BaseException) -> Trace:
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
    return Trace("\n".join(parts))


def printable(text: str) -> str:
    """The text with each non-printable character (CR, LF, control bytes, bidi controls, lone
    surrogates) written as its escape, e.g. `\\n`, `\\x1b`, `\\u202e`."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _escaped(value: object) -> object:
    if isinstance(value, Trace | int | float):
        return value
    return printable(str(value))


class RedactingFormatter(logging.Formatter):
    """A formatter whose messages are escaped to one line and whose tracebacks carry exception
    types and frames but never messages."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.args, tuple) and record.args:
            args = tuple(_escaped(a) for a in record.args)
            record = logging.makeLogRecord({**record.__dict__, "args": args})
        return super().format(record)

    def formatException(self, ei: ExcInfo) -> str:  # type: ignore[override]
        return redacted(ei[1])


def configure(level: str) -> None:
    """Root logging for the processes: one stream handler with the redacting formatter."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
