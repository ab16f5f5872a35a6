"""How values are stored and read back: the leaner decoding must give what the library's would."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError

from domain import transcodings
from domain.personal import ERASED, KeyringMissing, MemoryKeyring, about
from domain.records import Difficulty, Ending, Handover, Report
from domain.values import (
    Actor,
    Appraisal,
    Category,
    CommandMeta,
    Field,
    HostEvaluation,
    Official,
    Outcome,
    Rating,
    ReportKind,
    Role,
)

KEYS = MemoryKeyring()


def transcoder(kind: type[JSONTranscoder] = transcodings.Transcoder) -> JSONTranscoder:
    made = kind()
    transcodings.register(made, lambda: KEYS)
    return made


VALUES: list[Any] = [
    Report(
        ReportKind.PROGRESS,
        date(2025, 10, 20),
        date(2025, 10, 26),
        "Tuần 1",
        3,
        1,
        0,
        date(2025, 10, 27),
    ),
    Difficulty(
        1, "Thiếu máy", "", Field.LAND_MANAGEMENT, Actor("u1", Role.COMMUNE), date(2025, 11, 2)
    ),
    Handover(date(2026, 1, 5), ("Nguyễn Văn A",), ("hồ sơ đất đai",)),
    Ending(Outcome.COMPLETED, date(2026, 1, 10), reason="hết hạn"),
    CommandMeta(Actor("sys", Role.SYSTEM), "c1", "r1"),
    {"nested": [date(2025, 1, 1), Role.HOME_AFFAIRS, {"_type_": "not a marker", "x": 1}]},
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_the_lean_decoder_reads_back_what_the_library_decoder_reads(value: Any) -> None:
    stored = transcoder().encode(value)
    assert transcoder().decode(stored) == value
    assert transcoder().decode(stored) == transcoder(JSONTranscoder).decode(stored)


def test_records_that_normalise_themselves_still_do_when_read() -> None:
    stored = transcoder().encode(Handover(date(2026, 1, 5), ("A", "B"), ("x",)))
    read = transcoder().decode(stored)
    assert isinstance(read.recipients, tuple) and read.recipients == ("A", "B")


def test_a_record_stored_before_a_field_was_added_gets_the_fields_default() -> None:
    stored = json.loads(transcoder().encode(Ending(Outcome.COMPLETED, date(2026, 1, 10))))
    del stored["_data_"]["initiated_by"]
    read = transcoder().decode(json.dumps(stored).encode())
    assert read == Ending(Outcome.COMPLETED, date(2026, 1, 10))
    assert read.initiated_by is None


def test_an_unknown_stored_type_is_refused_loudly() -> None:
    with pytest.raises(TranscodingNotRegisteredError, match="Mystery"):
        transcoder().decode(b'{"_type_": "Mystery", "_data_": 1}')


OFFICIAL = Official(
    "Nguyễn Thị Riêng Tư",
    "DB-KHCN-0042",
    Category.PUBLIC_EMPLOYEE,
    "Viên chức Phòng Công nghệ số",
    False,
    True,
    (Appraisal(2024, Rating.GOOD),),
    maternity_protected=True,
)


def test_personal_fields_are_sealed_under_the_persons_key_and_read_back() -> None:
    keys, aggregate = MemoryKeyring(), uuid4()
    t = transcodings.Transcoder()
    transcodings.register(t, lambda: keys)
    with about(aggregate):
        stored = t.encode({"official": OFFICIAL, "ev": HostEvaluation(Rating.GOOD, "Chị Tư tốt")})
    for plain in ("Riêng Tư", "DB-KHCN-0042", "Công nghệ số", "Chị Tư", "2024"):
        assert plain.encode() not in stored and json.dumps(plain).encode() not in stored
    sealed = json.loads(stored)["official"]["_data_"]["maternity_protected"]
    assert sealed["_type_"] == "personal" and "true" not in json.dumps(sealed)
    assert t.decode(stored) == {
        "official": OFFICIAL,
        "ev": HostEvaluation(Rating.GOOD, "Chị Tư tốt"),
    }


def test_once_the_key_is_destroyed_the_fields_read_as_erased_and_the_rest_as_stored() -> None:
    keys, aggregate = MemoryKeyring(), uuid4()
    t = transcodings.Transcoder()
    transcodings.register(t, lambda: keys)
    with about(aggregate):
        stored = t.encode({"official": OFFICIAL, "changes": {"full_name": "Tư", "reason": "x"}})
    assert keys.destroy(keys.pseudonym(" db-khcn-0042 ")) == 1
    read = t.decode(stored)
    erased = Official(ERASED, ERASED, Category.PUBLIC_EMPLOYEE, ERASED, False, True, ())
    object.__setattr__(erased, "maternity_protected", None)  # sensitive: unreadable, not False
    assert read == {"official": erased, "changes": {"full_name": ERASED, "reason": "x"}}


def test_an_official_stored_in_plain_text_before_sealing_still_reads() -> None:
    plain = transcodings.Transcoder()
    plain.register(transcodings.DateAsISO())
    for kind in (Category, Rating):
        plain.register(transcodings.EnumAsValue(kind))
    for record in (Official, Appraisal):
        plain.register(transcodings.RecordAsDict(record))
    assert transcoder().decode(plain.encode({"official": OFFICIAL})) == {"official": OFFICIAL}


def test_sealing_outside_an_aggregate_fails_loudly() -> None:
    with pytest.raises(KeyringMissing):
        transcoder().encode({"changes": {"full_name": "Tư"}})
