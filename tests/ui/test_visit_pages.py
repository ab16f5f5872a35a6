"""The study-visit pages through the dashboard's forms (both stores): a commune proposes, the
department schedules, a full week shows the free weeks, the visit is rescheduled there and
attended; the list and the report show it."""

from __future__ import annotations

import re

from tests.api.visit_helpers import DA_NANG, HUNG_SON, act, propose, slot
from tests.ui.helpers import Dashboard, hidden_fields

UNIT = "Phòng Cải cách hành chính"


def submit(ui: Dashboard, path: str, page_path: str, **values: str) -> str:
    page = ui.get(page_path)
    assert page.status_code == 200, page.text
    fields = hidden_fields(page.text, path)
    r = ui.client.post(path, data={**fields, **values}, follow_redirects=True)
    return r.text


def test_propose_schedule_when_full_reschedule_and_attend(live_ui: Dashboard) -> None:
    live_ui.sign_in("commune", province_code=DA_NANG, ward_code=HUNG_SON)
    assert "Học tập tại Sở" in live_ui.get("/ui").text
    html = submit(
        live_ui,
        "/ui/study-visits/new",
        "/ui/study-visits/new",
        ward_code=str(HUNG_SON),
        participants="Hồ Văn A (mẫu); Công chức Tư pháp\nBriu Thị B (mẫu); Công chức Văn phòng",
        topics="Số hóa hồ sơ\nMột cửa",
        host_unit="Sở Nội vụ thành phố Đà Nẵng",
        preferred_weeks="2026-W10, 2026-W11",
    )
    assert "Đã ghi nhận." in html and "Hồ Văn A (mẫu)" in html
    assert 'id="do-schedule"' not in html  # a commune proposes; the department schedules
    listed = live_ui.get("/ui/study-visits").text
    found = re.search(r'href="/ui/study-visits/([0-9a-f-]{36})"', listed)
    assert found is not None
    vid = found.group(1)
    for _ in range(2):  # the department fills week 10 of the unit
        act(live_ui.api, propose(live_ui.api)["id"], "schedule", slot("2026-03-02", UNIT))
    live_ui.sign_in("home_affairs", province_code=DA_NANG)
    page = f"/ui/study-visits/{vid}"
    values = {"start": "03/03/2026", "end": "04/03/2026", "unit": UNIT}
    refused = submit(live_ui, f"{page}/schedule", page, **values)
    assert 'id="free-weeks"' in refused and "2026-W11" in refused
    done = submit(
        live_ui, f"{page}/schedule", page, **{**values, "start": "10/03/2026", "end": "10/03/2026"}
    )
    assert "Đã ghi nhận." in done and "tuần 2026-W11" in done
    moved = submit(
        live_ui, f"{page}/reschedule", page, start="17/03/2026", end="18/03/2026", unit=UNIT
    )
    assert "tuần 2026-W12" in moved and "đã đổi lịch 1 lần" in moved
    attended = submit(live_ui, f"{page}/attend", page, attended_on="17/03/2026")
    assert "Đã đến học tập" in attended and "17/03/2026, 2 người" in attended
    live_ui.caught_up()
    report = live_ui.get("/ui/study-visits/report").text
    assert "Xã Hùng Sơn" in report
    csv = live_ui.get("/ui/study-visits/report/months.csv")
    assert csv.status_code == 200 and "2026-03" in csv.text
