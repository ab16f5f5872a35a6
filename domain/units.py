"""The official list of administrative units after the July 2025 reform (34 provinces)."""

from __future__ import annotations

from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

from domain.values import Host, Violation


def province_name(code: int) -> str | None:
    try:
        return Province.from_code(ProvinceCode(code)).name
    except ValueError:
        return None


def ward_name(code: int) -> str | None:
    try:
        return Ward.from_code(WardCode(code)).name
    except ValueError:
        return None


def ward_province(code: int) -> int | None:
    try:
        return int(Ward.from_code(WardCode(code)).province_code)
    except ValueError:
        return None


def host_violations(host: Host) -> list[Violation]:
    """Checks that the province exists and that the ward, if any, belongs to it."""
    if province_name(host.province_code) is None:
        return [Violation("province_exists", "host.province_code", "unknown province code")]
    if host.ward_code is None:
        return []
    owner = ward_province(host.ward_code)
    if owner is None:
        return [Violation("ward_exists", "host.ward_code", "unknown commune or ward code")]
    if owner != host.province_code:
        return [
            Violation(
                "ward_in_province",
                "host.ward_code",
                f"commune or ward {host.ward_code} is in province {owner},"
                f" not {host.province_code}",
            )
        ]
    return []


def all_provinces() -> list[tuple[int, str]]:
    return [(int(p.code), p.name) for p in Province.iter_all()]


def all_wards() -> list[tuple[int, str, int]]:
    return [(int(w.code), w.name, int(w.province_code)) for w in Ward.iter_all()]
