"""How our value types are stored: dates as ISO text, enums by value, records as dicts."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain import records, values


class DateAsISO(Transcoding):
    """A business date as YYYY-MM-DD."""

    type = date
    name = "date"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EnumAsValue(Transcoding):
    """An enumeration member by its value."""

    def __init__(self, enum: type[Enum]) -> None:
        self.type = enum
        self.name = enum.__name__

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        member: Enum = self.type(data)
        return member


class RecordAsDict(Transcoding):
    """A frozen dataclass as a dict of its fields."""

    def __init__(self, record: type[Any]) -> None:
        self.type = record
        self.name = record.__name__

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


def _members(module: Any, kind: type) -> list[type]:
    found = [
        v for v in vars(module).values() if isinstance(v, type) and v.__module__ == module.__name__
    ]
    if kind is Enum:
        return [v for v in found if issubclass(v, Enum)]
    return [v for v in found if is_dataclass(v)]


def register(transcoder: JSONTranscoder) -> None:
    """Registers every value type of the domain."""
    transcoder.register(DateAsISO())
    for module in (values, records):
        for enum in _members(module, Enum):
            transcoder.register(EnumAsValue(enum))
        for record in _members(module, object):
            transcoder.register(RecordAsDict(record))
