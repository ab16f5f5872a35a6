"""Facts a golden store holds beyond the demo and the walk, given through the registry's own
commands as the HTTP layer gives them: a decision with its consultation date and corrections of
it (a date, and the official's name and position, which are sealed like the original), a
request for an official under maternity protection, a commune's needs with its hardship areas,
a person whose data was erased, and a stored idempotent response.

`record` returns what the golden test needs to find them again (`golden.json`); the erased
person's name and personnel id are kept there only as probes that must not be readable in the
store."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.application import SecondmentRegistry
from domain.values import Actor, Area, CommandMeta, Field, Kind, Official, Role
from tests import builders

TERM, DECISION, HOST = builders.TERM, builders.DECISION_2446, builders.NAM_NEN
ERASED_NAME, ERASED_ID = "Lò Thị Xóa", "GOLDEN-ERASED-0001"
SEALED_NAME, SEALED_ID = "Quàng Văn Mật", "GOLDEN-SEALED-0001"
CORRECTED_NAME = "Quàng Văn Mạnh"


class Steps:
    """Commands with ids derived from their step (a rerun would replay them)."""

    def __init__(self, app: SecondmentRegistry) -> None:
        self.app = app

    def meta(self, step: str, role: Role = Role.HOME_AFFAIRS) -> CommandMeta:
        return CommandMeta(Actor("golden", role), f"golden:facts:{step}", "golden-facts")

    def request(self, step: str, official: Official, kind: Kind = Kind.SECONDMENT) -> Any:
        return self.app.request(
            self.meta(step, Role.AGENCY),
            official,
            "Sở Khoa học và Công nghệ",
            HOST,
            kind,
            [Field.INFORMATION_TECHNOLOGY],
            TERM,
            "Xã thiếu cán bộ công nghệ thông tin",
            date(2025, 10, 1),
        ).secondment.id


def official(name: str, personnel_id: str, maternity: bool = False) -> Official:
    return builders.official(
        full_name=name, personnel_id=personnel_id, maternity_protected=maternity
    )


def record(app: SecondmentRegistry) -> dict[str, Any]:
    steps = Steps(app)
    manifest: dict[str, Any] = {
        "sealed": _consulted_and_corrected(steps),
        "maternity": str(_maternity(steps)),
        "erased": _erased(steps),
        "idempotency": _idempotent_response(app),
    }
    app.declare_needs(
        steps.meta("needs:3194", Role.HOME_AFFAIRS),
        HOST,
        [Field.INFORMATION_TECHNOLOGY, Field.LAND_MANAGEMENT],
        "Thiếu cán bộ công nghệ thông tin và địa chính",
        areas=[Area.MOUNTAIN, Area.BORDER],
        effective_on=date(2025, 10, 2),
    )
    return manifest


def _consulted_and_corrected(steps: Steps) -> dict[str, str]:
    """Approved with a consultation date, deployed, then the arrival and the official's name
    and position corrected."""
    sid = steps.request("sealed:request", official(SEALED_NAME, SEALED_ID))
    app = steps.app
    app.approve(sid, steps.meta("sealed:approve"), DECISION, TERM, consulted_on=date(2025, 10, 10))
    app.deploy(sid, steps.meta("sealed:deploy"), date(2025, 10, 21))
    app.correct(sid, steps.meta("sealed:fix-arrival"), 3, {"arrived_on": "2025-10-22"}, "Sai ngày")
    changes = {"full_name": CORRECTED_NAME, "position": "Chuyên viên Phòng Công nghệ số"}
    app.correct(sid, steps.meta("sealed:fix-name"), 1, changes, "Sai chính tả họ tên")
    return {"secondment": str(sid), "full_name": SEALED_NAME, "corrected_name": CORRECTED_NAME}


def _maternity(steps: Steps) -> Any:
    """A request for an official under maternity protection, which the province rejects."""
    sid = steps.request("maternity:request", official("Tòng Thị Hiền", "GOLDEN-MAT-0001", True))
    steps.app.reject(
        sid, steps.meta("maternity:reject"), "Đang nuôi con dưới 36 tháng", None, date(2025, 10, 3)
    )
    return sid


def _erased(steps: Steps) -> dict[str, Any]:
    """Two requests for one official (one withdrawn, one rejected), one corrected, then the
    person's data erased."""
    from domain import people

    who = official(ERASED_NAME, ERASED_ID)
    first = steps.request("erased:request:1", who)
    steps.app.correct(
        first, steps.meta("erased:fix-name"), 1, {"full_name": "Lò Thị Xoá"}, "Sai dấu"
    )
    steps.app.withdraw(first, steps.meta("erased:withdraw"), "Rút", None, date(2025, 10, 3))
    second = steps.request("erased:request:2", who, Kind.REINFORCEMENT)
    steps.app.reject(second, steps.meta("erased:reject"), "Không phù hợp", None, date(2025, 10, 4))
    found = people.secondments_of(steps.app, ERASED_ID)
    erasure = people.erase(
        steps.app,
        steps.meta("erased:erase"),
        ERASED_ID,
        found,
        "Người lao động yêu cầu xóa dữ liệu",
        "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Điều 14",
    )
    return {
        "secondments": sorted(str(s) for s in erasure.secondment_ids),
        "person": str(erasure.person.id),
        "probes": [ERASED_NAME, ERASED_ID, "Lò Thị Xoá"],
    }


def _idempotent_response(app: SecondmentRegistry) -> dict[str, Any]:
    """A first response kept under a token subject's pseudonym, as the HTTP layer keeps it."""
    from starlette.responses import Response

    from api.idempotency import IdempotencyStore, fingerprint
    from api.storage import Database

    replays = IdempotencyStore(Database(app))
    replays.create_table()
    subject = app.keyring.pseudonym("token-subject:golden")
    key, body = "golden-key-1", '{"id": "golden"}'
    request = fingerprint("POST", "/v1/secondments", b"{}")
    assert replays.reserve(subject, key, request)
    response = Response(body, 201, {"location": "/v1/secondments/golden", "etag": '"1"'})
    replays.remember(subject, key, response)
    return {"subject": subject, "key": key, "fingerprint": request, "status": 201, "body": body}
