"""`secondments token`: mint a signed token for local use; prints only the token."""

from __future__ import annotations

import argparse

ROLES = ("commune", "agency", "official", "home_affairs", "ministry", "auditor", "admin")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", required=True, choices=ROLES)
    parser.add_argument("--sub", help="subject (default: derived from role and scope)")
    parser.add_argument("--province", type=int, help="province_code claim")
    parser.add_argument("--ward", type=int, help="ward_code claim (commune)")
    parser.add_argument("--agency", help="home_agency claim (agency)")
    parser.add_argument("--personnel-id", help="personnel_id claim (official)")
    parser.add_argument("--hours", type=float, default=12.0, help="validity (default 12)")


def claims(args: argparse.Namespace) -> dict[str, object]:
    scope = [args.province, args.ward, args.agency, args.personnel_id]
    default_sub = "-".join([args.role, *(str(s) for s in scope if s is not None)])
    return {
        "sub": args.sub or default_sub,
        "role": args.role,
        "province_code": args.province,
        "ward_code": args.ward,
        "home_agency": args.agency,
        "personnel_id": args.personnel_id,
    }


def run(args: argparse.Namespace) -> int:
    from api.auth import mint_token
    from api.settings import get_settings

    settings = get_settings()
    if args.hours > settings.jwt_max_lifetime_hours:
        longest = settings.jwt_max_lifetime_hours
        raise SystemExit(
            f"error: --hours {args.hours:g} is longer than the {longest:g} hours the server "
            "accepts (SECONDMENTS_JWT_MAX_LIFETIME_HOURS)"
        )
    print(mint_token(settings, claims(args), hours=args.hours))
    return 0
