"""How our value types are stored: dates as ISO text, enums by value, records as dicts, and
personal fields sealed under their person's key (see domain/personal.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields, is_dataclass
from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoding,
    TranscodingNotRegisteredError,
)

from domain import personal, plan_values, records, values, working_group_records
from domain.errors import StoredShapeError
from domain.evolution import check_shape
from domain.personal import ERASED, Keyring, Personal

PERSONAL_CHANGES = frozenset({"full_name", "position"})
"""Corrections of these fields (the official's, as requested) are sealed like the original."""


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
        self.members: dict[Any, Enum] = dict(enum._value2member_map_)

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        member = self.members.get(data)
        return member if member is not None else self.type(data)


class RecordAsDict(Transcoding):
    """A frozen dataclass as a dict of its fields."""

    def __init__(self, record: type[Any]) -> None:
        self.type = record
        self.name = record.__name__
        self.names = frozenset(f.name for f in fields(record))
        self.plain = not hasattr(record, "__post_init__") and "__slots__" not in vars(record)
        """Whether a stored record with every field can be restored without its __init__
        (which only assigns them); records that normalise in __post_init__ go through it."""

        self.required = tuple(
            f.name for f in fields(record) if f.default is MISSING and f.default_factory is MISSING
        )

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        if self.plain and data.keys() == self.names:
            record: Any = object.__new__(self.type)
            record.__dict__.update(data)
            return record
        for name in self.required:
            if name not in data:
                raise StoredShapeError(self.name, 0, name)
        return self.type(**data)


class PersonalAsSealed(Transcoding):
    """A personal value, sealed (AES-GCM) under the key linked to the aggregate being stored;
    read back as it was, or as "[đã xóa]" once that key is destroyed. Rows stored before
    sealing existed hold the plain value and read as before."""

    type = Personal
    name = "personal"

    def __init__(self, transcoder: JSONTranscoder, keyring: Callable[[], Keyring]) -> None:
        self.transcoder = transcoder
        self.keyring = keyring

    def encode(self, obj: Personal) -> dict[str, str]:
        aggregate_id = personal.CURRENT.get()
        if aggregate_id is None:
            raise personal.KeyringMissing("personal data stored outside an aggregate's event")
        key_id, key = self.keyring().key_of(aggregate_id)
        if key is None:
            raise personal.KeyringMissing(f"the personal key of {aggregate_id} was destroyed")
        return {"k": key_id, "s": personal.seal(key, self.transcoder.encode(obj.value), key_id)}

    def decode(self, data: dict[str, str]) -> Any:
        key = self.keyring().key(data["k"])
        if key is None:
            return ERASED
        return self.transcoder.decode(personal.unseal(key, data["s"], data["k"]))


class OfficialSealed(RecordAsDict):
    """The official with their name, personnel id, position and appraisals sealed."""

    SEALED = ("full_name", "personnel_id", "position", "appraisals", "maternity_protected")
    """`maternity_protected` (sensitive: family life) is sealed once the official carries it."""

    def __init__(self, record: type[Any], keyring: Callable[[], Keyring]) -> None:
        super().__init__(record)
        self.keyring = keyring

    def encode(self, obj: Any) -> dict[str, Any]:
        """Links the aggregate being stored to the official's key, then seals."""
        data = super().encode(obj)
        aggregate_id = personal.CURRENT.get()
        if aggregate_id is not None and obj.personnel_id != ERASED:
            keyring = self.keyring()
            keyring.link(aggregate_id, keyring.pseudonym(obj.personnel_id))
        return {k: Personal(v) if k in self.SEALED else v for k, v in data.items()}

    def decode(self, data: dict[str, Any]) -> Any:
        if data.get("appraisals") == ERASED:
            data = {**data, "appraisals": ()}
        if data.get("maternity_protected") == ERASED:
            data = {**data, "maternity_protected": None}
        return super().decode(data)


class EvaluationSealed(RecordAsDict):
    """The host's evaluation with its comment sealed."""

    def encode(self, obj: Any) -> dict[str, Any]:
        return {**super().encode(obj), "comment": Personal(obj.comment)}


class Transcoder(JSONTranscoder):
    """The library's JSON transcoder, with a leaner hook for stored objects (it runs for every
    JSON object of every event read, about fourteen per event: a third of decoding); a
    correction of the official's name or position is sealed like the original."""

    def encode(self, obj: Any) -> bytes:
        if isinstance(obj, dict) and isinstance(obj.get("changes"), dict):
            changes = obj["changes"]
            sealed = {k: Personal(v) if k in PERSONAL_CHANGES else v for k, v in changes.items()}
            obj = {**obj, "changes": sealed}
        return super().encode(obj)

    def _decode_obj(self, d: dict[str, Any]) -> Any:
        if len(d) == 2 and "_type_" in d and "_data_" in d:
            try:
                transcoding = self.names[d["_type_"]]
            except KeyError:
                raise TranscodingNotRegisteredError(
                    f"Data serialized with name {d['_type_']!r} is not deserializable: "
                    "no transcoding is registered for it"
                ) from None
            return transcoding.decode(d["_data_"])
        return d


class ShapeCheckingMapper(Mapper[Any]):
    """The library's mapper (which upcasts older versions), then completes fields added with a
    default since the event was stored and refuses a stored event that lacks a required one."""

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        with personal.about(stored_event.originator_id):
            return check_shape(super().to_domain_event(stored_event))

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        with personal.about(domain_event.originator_id):
            return super().to_stored_event(domain_event)


def _members(module: Any, kind: type) -> list[type]:
    found = [
        v for v in vars(module).values() if isinstance(v, type) and v.__module__ == module.__name__
    ]
    if kind is Enum:
        return [v for v in found if issubclass(v, Enum)]
    return [v for v in found if is_dataclass(v)]


def register(transcoder: JSONTranscoder, keyring: Callable[[], Keyring]) -> None:
    """Registers every value type of the domain, the personal ones sealed by `keyring`."""
    transcoder.register(DateAsISO())
    transcoder.register(PersonalAsSealed(transcoder, keyring))
    for module in (values, records, plan_values, working_group_records):
        for enum in _members(module, Enum):
            transcoder.register(EnumAsValue(enum))
        for record in _members(module, object):
            if record is values.Official:
                transcoder.register(OfficialSealed(record, keyring))
            elif record is values.HostEvaluation:
                transcoder.register(EvaluationSealed(record))
            else:
                transcoder.register(RecordAsDict(record))
