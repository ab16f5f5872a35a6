"""Điện Biên, decision 2446/QĐ-UBND of 17/10/2025: 97 officials for 6 months from 20/10/2025,
52 seconded to the province's 45 communes and wards (Đào Duy Hưng → Nậm Nèn, Nguyễn Quang Dũng →
Sam Mứn) and 45 health-station heads of Sở Y tế assigned, one per commune; weekly reports, two
difficulties, a recall, two proposals that did not make the decision, two communes' needs, and
every term closed on 19/04/2026."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.demo_kit import Demo
from workers.demo_kit import invented_name

DIEN_BIEN_AGENCIES = (
    ("Sở Khoa học và Công nghệ", "KHCN", ("information_technology", "digital_transformation")),
    ("Sở Xây dựng", "XD", ("construction", "land_management")),
    ("Sở Nông nghiệp và Môi trường", "NNMT", ("agriculture", "natural_resources_environment")),
    ("Sở Tư pháp", "TP", ("justice",)),
    ("Sở Tài chính", "TC", ("finance", "economy")),
    ("Sở Công Thương", "CT", ("industry_trade",)),
    ("Sở Văn hóa, Thể thao và Du lịch", "VHTTDL", ("culture",)),
    ("Sở Nội vụ", "NV", ("home_affairs", "labour")),
)
REQUESTED_2446 = date(2025, 10, 10)
END_2446 = date(2026, 4, 19)
DECEMBER_15 = date(2025, 12, 15)


def _dien_bien_postings() -> Iterator[tuple[int, str, int, tuple[str, str, tuple[str, ...]]]]:
    """The 52 secondments: (number, official's name, ward code, agency), the two real ones first."""
    from vietnam_provinces import ProvinceCode, Ward

    wards = [int(w.code) for w in Ward.iter_by_province(ProvinceCode(11))]
    yield 1, "Đào Duy Hưng", 3194, DIEN_BIEN_AGENCIES[0]
    yield 2, "Nguyễn Quang Dũng", 3356, DIEN_BIEN_AGENCIES[1]
    others = [w for w in wards if w not in (3194, 3356)]
    for n in range(3, 53):
        yield n, invented_name(n), others[(n - 3) % len(others)], DIEN_BIEN_AGENCIES[n % 8]


def load(demo: Demo) -> None:
    from vietnam_provinces import ProvinceCode, Ward

    term = (date(2025, 10, 20), date(2026, 4, 19))
    decision = ("2446/QĐ-UBND", date(2025, 10, 17), "UBND tỉnh Điện Biên")
    province_office = demo.actor("home_affairs", "snv-dien-bien", "Sở Nội vụ tỉnh Điện Biên")
    posted: list[tuple[Any, str, int]] = []
    for n, name, ward, (agency, code, fields) in _dien_bien_postings():
        pid = "DB-KHCN-0001" if n == 1 else f"DB-{code}-{n:04d}"
        official = demo.official(
            name, pid, f"Phó Trưởng phòng, {agency}", leader=n % 3 == 0, civil=n != 1
        )
        reason = {
            1: "Xã thiếu cán bộ công nghệ thông tin",
            2: "Xã thiếu cán bộ đất đai, xây dựng và thủ tục hành chính",
        }.get(n, "Xã thiếu cán bộ chuyên môn sau sắp xếp chính quyền hai cấp")
        agency_actor = demo.actor("agency", f"db-{code.lower()}", f"{agency} Điện Biên")
        sid = demo.request(
            f"db:request:{n}",
            agency_actor,
            official,
            agency,
            (11, ward),
            "secondment",
            fields,
            term,
            reason,
            REQUESTED_2446,
        )
        posted.append((sid, pid, ward))
    for n, ward_unit in enumerate(Ward.iter_by_province(ProvinceCode(11)), start=1):
        ward, pid = int(ward_unit.code), f"DB-YT-{n:04d}"
        official = demo.official(
            invented_name(100 + n),
            pid,
            f"Trạm trưởng Trạm Y tế {ward_unit.name}",
            leader=True,
            civil=False,
        )
        sid = demo.request(
            f"db:assign:{n}",
            demo.actor("agency", "db-yt", "Sở Y tế Điện Biên"),
            official,
            "Sở Y tế",
            (11, ward),
            "assignment",
            ("health",),
            term,
            "Tham mưu cho UBND xã về quản lý nhà nước lĩnh vực y tế",
            REQUESTED_2446,
        )
        posted.append((sid, pid, ward))
    demo.decide("db:decision-2446", province_office, [p[0] for p in posted], decision, term)
    for i, (sid, _, ward) in enumerate(posted):
        demo.app.deploy(
            sid, demo.meta(demo.actor("commune", f"ubnd-xa-{ward}"), f"db:deploy:{i}"), term[0]
        )
    _dien_bien_onward(demo, posted)
    _dien_bien_side_exits(demo, term)


def _dien_bien_onward(demo: Demo, posted: list[tuple[Any, str, int]]) -> None:
    """Weekly reports through the term, difficulties, a recall, then every term closed on
    19/04/2026 (handover from 13/04) as the decision dates it."""
    week = (date(2025, 10, 20), date(2025, 10, 26))
    recalled, _, _ = posted[5]
    for i, (sid, pid, _) in enumerate(posted):
        demo.report(
            sid,
            f"db:plan:{i}",
            pid,
            "weekly_plan",
            week,
            "Làm việc với UBND xã, rà soát hồ sơ tồn đọng, lập lịch đi cơ sở",
            (5, 2, 1),
        )
        until = DECEMBER_15 if sid == recalled else date(2026, 4, 10 if i == 1 else 13)
        demo.weekly(
            sid, f"db:{i}", pid, week[1] + timedelta(days=1), until, "Giải quyết TTHC, kèm cặp"
        )
    v = demo.v
    (hung, hung_pid, _), (dung, dung_pid, _) = posted[0], posted[1]
    hung_actor = demo.actor("official", f"official-{hung_pid}")
    demo.app.raise_difficulty(
        hung,
        demo.meta(hung_actor, "db:hung:difficulty"),
        "Đường truyền Internet tại trụ sở xã không ổn định",
        "Mất kết nối thường xuyên làm gián đoạn hệ thống một cửa điện tử",
        v.Field.INFORMATION_TECHNOLOGY,
        effective_on=date(2025, 11, 5),
    )
    nam_nen = demo.actor("commune", "ubnd-xa-3194")
    demo.app.resolve_difficulty(
        hung,
        demo.meta(nam_nen, "db:hung:resolved"),
        1,
        "Nhà mạng đã nâng cấp đường truyền cáp quang",
        effective_on=date(2025, 11, 20),
    )
    dung_actor = demo.actor("official", f"official-{dung_pid}")
    demo.app.raise_difficulty(
        dung,
        demo.meta(dung_actor, "db:dung:difficulty"),
        "Hồ sơ đất đai tồn đọng",
        "Nhiều hồ sơ cấp giấy chứng nhận chưa có bản đồ địa chính chính quy",
        v.Field.LAND_MANAGEMENT,
        effective_on=date(2025, 11, 12),
    )
    demo.app.escalate_difficulty(
        dung,
        demo.meta(dung_actor, "db:dung:escalate"),
        1,
        v.EscalationLevel.PROVINCE,
        "Vượt thẩm quyền của xã",
        effective_on=date(2025, 11, 14),
    )
    demo.app.recall(
        recalled,
        demo.meta(demo.actor("agency", "db-tc", "Sở Tài chính Điện Biên"), "db:recall:5"),
        DECEMBER_15,
        "Cơ quan cần cán bộ phục vụ quyết toán ngân sách cuối năm",
        v.Initiator.HOME_AGENCY,
    )
    demo.taken_back(recalled, "db:recall:5", DECEMBER_15)
    for i, (sid, _, ward) in enumerate(posted):
        if sid != recalled:
            demo.handover_and_end(
                sid,
                f"db:close:{i}",
                demo.actor("commune", f"ubnd-xa-{ward}"),
                date(2026, 4, 10) if i == 1 else date(2026, 4, 13),
                END_2446,
                "Công chức chuyên môn xã",
                "excellent" if i % 2 else "good",
            )


def _dien_bien_side_exits(demo: Demo, term: tuple[date, date]) -> None:
    """Two proposals that did not make the decision: one rejected, one withdrawn."""
    for n, action in ((98, "reject"), (99, "withdraw")):
        official = demo.official(invented_name(n), f"DB-TP-{n:04d}", "Chuyên viên Sở Tư pháp", True)
        agency_actor = demo.actor("agency", "db-tp", "Sở Tư pháp Điện Biên")
        sid = demo.request(
            f"db:request:{n}",
            agency_actor,
            official,
            "Sở Tư pháp",
            (11, 3193),
            "secondment",
            ("justice",),
            term,
            "Xã thiếu cán bộ tư pháp - hộ tịch",
            REQUESTED_2446,
        )
        if action == "reject":
            demo.app.reject(
                sid,
                demo.meta(
                    demo.actor("home_affairs", "snv-dien-bien", "Sở Nội vụ tỉnh Điện Biên"),
                    "db:reject",
                ),
                "Chưa đủ 3 năm đánh giá hoàn thành tốt nhiệm vụ",
                effective_on=date(2025, 10, 15),
            )
        else:
            demo.app.withdraw(
                sid,
                demo.meta(agency_actor, "db:withdraw"),
                "Cơ quan bố trí cán bộ khác thay thế",
                effective_on=date(2025, 10, 15),
            )
    needs = [
        (
            "db:needs:3194",
            3194,
            ("construction", "justice", "agriculture", "natural_resources_environment"),
            "Xã có 44 cán bộ, công chức; một số vị trí trống do nghỉ việc, chuyển công tác",
        ),
        ("db:needs:3356", 3356, ("land_management", "construction"), ""),
    ]
    for step, ward, fields, note in needs:
        demo.app.declare_needs(
            demo.meta(demo.actor("commune", f"ubnd-xa-{ward}"), step),
            demo.v.Host(11, ward),
            [demo.v.Field(f) for f in fields],
            note,
            effective_on=date(2025, 10, 1),
        )
