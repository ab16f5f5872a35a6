"""How values are stored and read back: the leaner decoding must give what the library's would."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError

from domain import transcodings
from domain.records import Difficulty, Ending, Handover, Report
from domain.values import Actor, CommandMeta, Field, Outcome, ReportKind, Role


def transcoder(kind: type[JSONTranscoder] = transcodings.Transcoder) -> JSONTranscoder:
    made = kind()
    transcodings.register(made)
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
