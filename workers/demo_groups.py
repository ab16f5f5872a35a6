"""The demo's working groups (tổ công tác).

- Đà Nẵng: the Sở Nội vụ sets up three working groups, led by the Ministry's and the
  department's representatives, that work directly with the commune People's Committees. They
  cover the 19 mountain and border communes of the Đà Nẵng demo (7, 6 and 6), from 15/09/2025,
  and visit some of them during the two batches. The sources give neither the members' names
  nor the visits' dates and findings: every name here is invented and marked "(mẫu)", and the
  visits are sample data.
- A sample group of Điện Biên's department (marked "(mẫu)") covers the communes of the current
  sample wave, and its visit of five days ago opened a difficulty on a secondment on post there
  (linked both ways), so that the dashboard shows the link.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.demo_kit import Demo

FORMED = date(2025, 9, 15)
LEADS = (
    ("Nguyễn Văn Hải (mẫu)", "Phó Vụ trưởng Vụ Chính quyền địa phương", "Bộ Nội vụ"),
    ("Trần Thị Lan (mẫu)", "Phó Giám đốc Sở Nội vụ", "Sở Nội vụ thành phố Đà Nẵng"),
    ("Lê Quang Minh (mẫu)", "Phó Giám đốc Sở Nội vụ", "Sở Nội vụ thành phố Đà Nẵng"),
)
MEMBERS = (
    ("Phạm Ngọc Anh (mẫu)", "Trưởng phòng Xây dựng chính quyền"),
    ("Võ Thị Hà (mẫu)", "Phó Trưởng phòng Cải cách hành chính"),
    ("Đặng Minh Khôi (mẫu)", "Chuyên viên Phòng Tổ chức biên chế"),
)
FINDINGS = "Bộ máy xã đã vận hành; còn thiếu công chức chuyên môn, hồ sơ tồn đọng (mẫu)"
GUIDANCE = "Hướng dẫn sắp xếp vị trí việc làm, quy trình một cửa và lưu trữ hồ sơ (mẫu)"


def load(demo: Demo) -> None:
    from workers.demo_da_nang import DA_NANG_COMMUNES

    office = demo.actor("home_affairs", "snv-da-nang", "Sở Nội vụ thành phố Đà Nẵng")
    shares = (DA_NANG_COMMUNES[:7], DA_NANG_COMMUNES[7:13], DA_NANG_COMMUNES[13:])
    for n, wards in enumerate(shares):
        gid = _form(demo, office, f"dn-group:{n}", 48, f"Tổ công tác số {n + 1}", LEADS[n], wards)
        for k, ward in enumerate(wards[: 5 - n]):
            day = FORMED + timedelta(days=10 + 14 * k + 3 * n)
            _visit(demo, office, gid, f"dn-group:{n}:visit:{k}", ward, day, [])
    _sample_wave_group(demo)


def _form(
    demo: Demo,
    actor: Any,
    step: str,
    province: int,
    name: str,
    lead: tuple[str, str, str],
    wards: tuple[int, ...],
    formed: date = FORMED,
) -> Any:
    from domain.working_group_records import Member
    from domain.working_groups import NewGroup, WorkingGroups

    members = tuple(Member(n, p, lead[2]) for n, p in MEMBERS)
    new = NewGroup(province, name, Member(*lead), members, wards, formed)
    return WorkingGroups(demo.app).form(demo.meta(actor, step), new).record.id


def _visit(
    demo: Demo, actor: Any, gid: Any, step: str, ward: int, day: date, issues: list[Any]
) -> None:
    from domain.working_groups import NewVisit, WorkingGroups

    new = NewVisit(ward, day, FINDINGS, GUIDANCE, tuple(issues))
    WorkingGroups(demo.app).record_visit(gid, demo.meta(actor, step), None, new)


def _sample_wave_group(demo: Demo) -> None:
    from domain.secondment import secondment_id_for
    from domain.working_group_records import VisitIssue
    from workers.demo_wave import WARDS

    today = demo.app.today()
    office = demo.actor("home_affairs", "snv-dien-bien")
    lead = ("Lò Văn Thắng (mẫu)", "Phó Giám đốc Sở Nội vụ", "Sở Nội vụ tỉnh Điện Biên")
    formed = today - timedelta(days=30)
    gid = _form(demo, office, "wave-group", 11, "Tổ công tác hỗ trợ (mẫu)", lead, WARDS, formed)
    on_post = secondment_id_for("demo:wave:request:0")
    issue = VisitIssue(
        "Chưa có phần mềm quản lý văn bản (mẫu)",
        "Xã chưa được cấp tài khoản hệ thống quản lý văn bản điều hành",
        demo.v.Field.DIGITAL_TRANSFORMATION,
        on_post,
    )
    _visit(demo, office, gid, "wave-group:visit:0", WARDS[0], today - timedelta(days=5), [issue])
