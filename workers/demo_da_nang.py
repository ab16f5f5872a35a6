"""Đà Nẵng: Sở Nội vụ sends 15 officials from five divisions to 19 mountain and border communes,
September–December 2025, 1–2 per division per batch. One secondment has one host for one term,
so 15 officials cannot cover 19 communes at once: two batches (đợt), 10 postings from 22/09 to
31/10 and 9 from 03/11 to 31/12, four officials serving in both. Both batches are decided before
the first one starts (the terms do not overlap). Which 19 communes is our choice: the sources do
not list them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workers.demo_kit import Demo
from workers.demo_kit import invented_name

DA_NANG_DIVISIONS = (
    ("Phòng Xây dựng chính quyền", ("home_affairs",)),
    ("Phòng Công chức, viên chức", ("home_affairs",)),
    ("Phòng Tổ chức biên chế", ("home_affairs",)),
    ("Phòng Cải cách hành chính", ("home_affairs", "digital_transformation")),
    ("Phòng Văn thư, lưu trữ", ("records_archives",)),
)
DA_NANG_COMMUNES: tuple[int, ...] = (20455, 20458, 20443, 20698, 20704, 20716, 20707, 20710)
DA_NANG_COMMUNES += (20695, 20722, 20740, 20752, 20734, 20728, 20944, 20950, 20938, 20941, 20959)


def load(demo: Demo) -> None:
    office = demo.actor("home_affairs", "snv-da-nang", "Sở Nội vụ thành phố Đà Nẵng")
    batches = (
        (
            "dn1",
            (date(2025, 9, 22), date(2025, 10, 31)),
            date(2025, 9, 18),
            [(d, k) for d in range(5) for k in (0, 1)],
        ),
        (
            "dn2",
            (date(2025, 11, 3), date(2025, 12, 31)),
            date(2025, 10, 31),
            [(d, 2) for d in range(5)] + [(d, 0) for d in range(4)],
        ),
    )
    commune = iter(DA_NANG_COMMUNES)
    decided = []
    for batch, term, decided_on, people in batches:
        posted = []
        for d, k in people:
            division, fields = DA_NANG_DIVISIONS[d]
            pid, ward = f"DN-SNV-{d}{k}", next(commune)
            official = demo.official(
                invented_name(300 + 3 * d + k),
                pid,
                f"Phó Trưởng {division[0].lower()}{division[1:]}",
                True,
            )
            sid = demo.request(
                f"{batch}:request:{pid}",
                office,
                official,
                "Sở Nội vụ thành phố Đà Nẵng",
                (48, ward),
                "secondment",
                fields,
                term,
                "Hỗ trợ xã miền núi, biên giới vận hành chính quyền hai cấp",
                decided_on - timedelta(days=3),
            )
            posted.append((sid, pid, ward))
        demo.decide(
            f"{batch}:decision",
            office,
            [p[0] for p in posted],
            (f"DEMO-{batch.upper()}/QĐ-SNV", decided_on, "Sở Nội vụ thành phố Đà Nẵng"),
            term,
        )
        decided.append((batch, term, posted))
    for batch, term, posted in decided:
        for i, (sid, pid, ward) in enumerate(posted):
            host = demo.actor("commune", f"ubnd-xa-{ward}")
            demo.app.deploy(sid, demo.meta(host, f"{batch}:deploy:{i}"), term[0])
            demo.report(
                sid,
                f"{batch}:plan:{i}",
                pid,
                "weekly_plan",
                (term[0], term[0]),
                "Nắm tình hình, hướng dẫn nghiệp vụ tổ chức bộ máy",
                (2, 3, 1),
            )
            summary = "Hướng dẫn nghiệp vụ tổ chức bộ máy, cải cách hành chính"
            demo.weekly(sid, f"{batch}:{i}", pid, term[0] + timedelta(days=1), term[1], summary)
            demo.handover_and_end(
                sid, f"{batch}:close:{i}", host, term[1], term[1], "Văn phòng HĐND và UBND xã"
            )
