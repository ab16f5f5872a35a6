"""Every action form, through the whole life of a secondment, by the role that takes it."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from api.ui import labels
from domain import lifecycle
from domain.values import Field, Kind, Rating, Role
from tests.ui.helpers import Dashboard, error_of
from tests.ui.test_secondment_page import APPROVE

DECISION_512 = {
    "decision.number": "512/QĐ-UBND",
    "decision.date": "10/04/2026",
    "decision.issuer": "UBND tỉnh Điện Biên",
}


def _done(ui: Dashboard, sid: str, action: str, **values: str) -> None:
    r = ui.submit(sid, action, **values)
    assert r.status_code == 303, (action, r.text[-3000:])


def test_a_whole_secondment_through_the_forms(ui: Dashboard) -> None:
    created = ui.api.create()
    sid, pid = created["id"], created["official"]["personnel_id"]
    ui.sign_in("home_affairs")
    _done(ui, sid, "approve", **APPROVE)
    ui.sign_in("commune")
    r = ui.submit(sid, "deploy", arrived_on="15/10/2025")
    assert error_of(r.text, "form-deploy-arrived_on") == (
        "Ngày đến nhận nhiệm vụ trước ngày ký quyết định."
    )
    _done(ui, sid, "deploy", arrived_on="21/10/2025")
    ui.sign_in("official", personnel_id=pid)
    report = {
        "kind": "weekly_plan",
        "period_start": "20/10/2025",
        "period_end": "26/10/2025",
        "summary": "Rà soát hồ sơ một cửa",
        "procedures_handled": "12",
        "staff_coached": "3",
        "field_visits": "2",
    }
    r = ui.submit(sid, "report", **{**report, "procedures_handled": "nhiều"})
    assert error_of(r.text, "form-report-procedures_handled") == "Phải là số nguyên không âm."
    _done(ui, sid, "report", **report)
    difficulty = {"title": "Mất mạng", "detail": "Đường truyền yếu", "field": "justice"}
    _done(ui, sid, "raise_difficulty", **difficulty)
    ui.sign_in("commune")
    _done(ui, sid, "escalate_difficulty", number="1", to="province", note="Vượt thẩm quyền")
    r = ui.submit(sid, "escalate_difficulty", number="1", to="province", note="Lần nữa")
    assert error_of(r.text, "form-escalate-difficulty-to") == (
        "Vướng mắc đã được báo cáo lên cấp này hoặc cấp cao hơn."
    )
    ui.sign_in("home_affairs")
    _done(ui, sid, "resolve_difficulty", number="1", resolution="Đã nâng cấp đường truyền")
    _done(ui, sid, "extend", new_end="19/10/2026", **DECISION_512)
    ui.sign_in("official", personnel_id=pid)
    today = datetime.now(labels.VIETNAM).strftime("%d/%m/%Y")
    # the report went in today (its default date), so what follows it is dated today
    handover = {"planned_on": today, "recipients": "Công chức Văn phòng\n", "items": "A\nB"}
    _done(ui, sid, "handover", **handover)
    ui.sign_in("commune")
    _done(
        ui,
        sid,
        "end",
        ended_on=today,
        **{"host_evaluation.rating": "excellent", "host_evaluation.comment": "Rất tốt"},
    )
    s = ui.api.registry.get(UUID(sid))
    assert (s.state, s.version, s.handover_record.items) == ("ended", 10, ("A", "B"))
    html = ui.page(sid)
    for title in ("Gia hạn", "Bàn giao", "Kết thúc", "Tháo gỡ vướng mắc", "Gửi báo cáo"):
        assert f"<strong>{title}</strong>" in html
    assert "19/10/2026" in html and "Hoàn thành xuất sắc nhiệm vụ — Rất tốt" in html
    assert "Bạn không có thao tác nào" in html


def test_reject_withdraw_and_recall_by_their_roles(ui: Dashboard) -> None:
    rejected, withdrawn, recalled = (ui.api.create()["id"] for _ in range(3))
    ui.sign_in("home_affairs")
    _done(ui, rejected, "reject", reason="Chưa đủ 3 năm đánh giá")
    _done(ui, recalled, "approve", **APPROVE)
    ui.sign_in("agency")
    _done(ui, withdrawn, "withdraw", reason="Cơ quan bố trí người khác")
    ui.sign_in("commune")
    _done(ui, recalled, "deploy", arrived_on="20/10/2025")
    ui.sign_in("agency")
    _done(ui, recalled, "recall", ended_on="15/12/2025", reason="Cần cán bộ", initiated_by="host")
    states = [ui.api.registry.get(UUID(s)).state for s in (rejected, withdrawn, recalled)]
    assert states == ["rejected", "withdrawn", "ended"]
    html = ui.page(recalled)
    assert "Rút về trước hạn ngày 15/12/2025" in html and "Cần cán bộ" in html


def test_the_record_as_it_was(ui: Dashboard) -> None:
    sid = ui.api.create()["id"]
    ui.sign_in("home_affairs")
    _done(ui, sid, "approve", **APPROVE)
    today = labels.vn_date(datetime.now(UTC).astimezone(labels.VIETNAM).date())
    html = ui.page(sid, f"?as_of={today}")
    assert "Đã phê duyệt" in html and 'id="actions-title"' not in html
    old = ui.page(sid, "?version=1")
    assert "Đang xem hồ sơ như đã ghi nhận" in old and "phiên bản 1 / 2" in old
    assert "badge state-requested" in old and 'id="actions-title"' not in old
    assert "<strong>Phê duyệt</strong>" not in old
    before = ui.page(sid, "?as_of=01/01/2020")
    assert "Hồ sơ chưa được lập vào ngày này." in before
    assert "Ngày phải có dạng dd/mm/yyyy" in ui.page(sid, "?as_of=hôm qua")


def test_every_code_has_a_vietnamese_label() -> None:
    for table, enum in (("field", Field), ("kind", Kind), ("rating", Rating), ("role", Role)):
        assert {m.value for m in enum} <= set(labels.TABLES[table]), table
    assert set(lifecycle.STATES) <= set(labels.STATES)
    assert set(lifecycle.ACTIONS) <= set(labels.ACTIONS)
    assert set(lifecycle.GUARDS) <= set(labels.GUARDS)
    assert labels.STATES["deployed"] == "Đã đến nhận nhiệm vụ"
    assert labels.parse_vn_date("20/10/2025") == labels.parse_vn_date("2025-10-20")
    assert labels.parse_vn_date("31/02/2025") is None


def test_the_lifecycle_page_is_drawn_from_the_machine(ui: Dashboard) -> None:
    for role in ("commune", "official", "admin", "ministry"):
        ui.sign_in(role)
        html = ui.get("/ui/lifecycle").text
        assert '<svg class="lifecycle"' in html
        for state in lifecycle.STATES:
            assert labels.STATES[state] in html
        granted = html.count("Được thực hiện")
        assert (granted == 0) == (role == "admin"), role
    ui.sign_in("admin")
    nav = ui.get("/ui/lifecycle").text.split("</nav>")[0]
    assert "Danh sách" not in nav and "Vòng đời hồ sơ" in nav


def test_the_law_in_the_forms(ui: Dashboard) -> None:
    official = {**ui.api.create()["official"], "maternity_protected": True}
    official["personnel_id"] += "-m"
    protected = ui.api.create(official=official)["id"]
    ui.sign_in("home_affairs")
    refused = ui.submit(protected, "approve", **APPROVE)
    assert refused.status_code == 422
    assert "khoản 7 Điều 36 Luật Viên chức 2010" in refused.text
    assert ui.api.registry.get(UUID(protected)).state == "requested"
    assert "Bảo vệ thai sản" in ui.page(protected)
    ui.sign_in("commune")
    assert "Bảo vệ thai sản" not in ui.page(protected)
    ui.sign_in("home_affairs")
    sid = ui.api.create()["id"]
    late = ui.submit(sid, "approve", **APPROVE, consulted_on="18/10/2025")
    assert error_of(late.text, "form-approve-consulted_on") == (
        "Ngày gặp gỡ, trao đổi với viên chức phải trước ngày quyết định (Nghị định 115/2020)."
    )
    _done(ui, sid, "approve", **APPROVE, consulted_on="15/10/2025")
    ui.sign_in("commune")
    _done(ui, sid, "deploy", arrived_on="20/10/2025")
    ui.sign_in("agency")
    _done(ui, sid, "recall", ended_on="15/12/2025", reason="Cần cán bộ", initiated_by="host")
    early = ui.submit(sid, "return", returned_on="14/12/2025", post="Phó phòng")
    assert error_of(early.text, "form-return-returned_on") == (
        "Ngày tiếp nhận trở lại không được trước ngày kết thúc biệt phái."
    )
    _done(ui, sid, "return", returned_on="16/12/2025", post="Phó phòng")
    s = ui.api.registry.get(UUID(sid))
    assert (s.consulted_on.isoformat(), s.returned.post) == ("2025-10-15", "Phó phòng")
    html = ui.page(sid)
    assert "Ngày 16/12/2025, vị trí: Phó phòng" in html and "15/10/2025" in html
