"""The commands of the bench's mix, each in one transaction: lock the record, check the rules,
fire the django-fsm transition (django-fsm-log writes its row), save."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from registry import rules
from registry.auth import (
    DECIDERS,
    DEPLOYERS,
    RAISERS,
    REQUESTERS,
    Refused,
    actor,
    require_role,
    visible,
)
from registry.models import Difficulty, Report, Secondment


def checked(found: list) -> None:
    if found:
        raise Refused(422, "Unprocessable Content", found)


def day(body: dict, name: str) -> date:
    try:
        return date.fromisoformat(body[name])
    except (KeyError, TypeError, ValueError):
        raise Refused(422, "Unprocessable Content", [("invalid", name, "a date")]) from None


def request(claims: dict, body: dict) -> Secondment:
    require_role(claims, REQUESTERS)
    start, end = day(body, "planned_start"), day(body, "planned_end")
    checked(rules.request(body, start, end, settings.MAX_TERM_MONTHS))
    official, host = body["official"], body["host"]
    with transaction.atomic():
        s = Secondment.objects.create(
            full_name=official["full_name"],
            personnel_id=official["personnel_id"],
            category=official["category"],
            position=official["position"],
            is_leader=official["is_leader"],
            in_succession_plan=official["in_succession_plan"],
            appraisals=official["appraisals"],
            maternity_protected=official.get("maternity_protected", False),
            home_agency=body["home_agency"],
            province_code=host["province_code"],
            ward_code=host.get("ward_code"),
            kind=body["kind"],
            fields=body["fields"],
            planned_start=start,
            planned_end=end,
            reason=body.get("reason", ""),
        )
        StateLog.objects.create(
            content_object=s, state="requested", transition="request", description=actor(claims)
        )
    return s


def on_record(claims: dict, pk: int, roles: tuple, change) -> Secondment:
    """Runs `change(s)` on the locked record and saves it; an illegal state answers 409, the
    partial unique index's refusal too."""
    require_role(claims, roles)
    try:
        with transaction.atomic():
            s = Secondment.objects.select_for_update().filter(pk=pk).first()
            if s is None or not visible(claims, s):
                raise Refused(404, "no such secondment")
            change(s)
            s.save()
    except TransitionNotAllowed as refused:
        raise Refused(409, str(refused)) from None
    except IntegrityError:
        raise Refused(409, "the official already has an active secondment") from None
    return s


def approve(claims: dict, pk: int, body: dict) -> Secondment:
    decision = {**body["decision"], "date": day(body["decision"], "date")}
    start, end = day(body, "start"), day(body, "end")
    override = body.get("override_reason") or ""

    def change(s: Secondment) -> None:
        if s.state == "requested":
            months = settings.MAX_TERM_MONTHS
            checked(rules.approval(s, decision["date"], start, end, override, months))
        s.approve(decision, (start, end), override, description=actor(claims))

    return on_record(claims, pk, DECIDERS, change)


def deploy(claims: dict, pk: int, body: dict) -> Secondment:
    arrived_on = day(body, "arrived_on")

    def change(s: Secondment) -> None:
        if s.state == "approved":
            checked(rules.arrival(s, arrived_on))
        s.deploy(arrived_on, description=actor(claims))

    return on_record(claims, pk, DEPLOYERS, change)


def report(claims: dict, pk: int, body: dict) -> Secondment:
    start, end = day(body, "period_start"), day(body, "period_end")
    submitted_on = day(body, "submitted_on")

    def change(s: Secondment) -> None:
        if claims.get("personnel_id") != s.personnel_id:
            raise Refused(403, "only the seconded official reports")
        if s.state in ("deployed", "reporting"):
            checked(rules.report(s, body["kind"], start, end, submitted_on))
        s.report(description=actor(claims))
        Report.objects.create(
            secondment=s,
            kind=body["kind"],
            period_start=start,
            period_end=end,
            summary=body["summary"],
            procedures_handled=body.get("procedures_handled", 0),
            staff_coached=body.get("staff_coached", 0),
            field_visits=body.get("field_visits", 0),
            submitted_on=submitted_on,
            submitted_by=actor(claims),
        )

    return on_record(claims, pk, ("official",), change)


def difficulty(claims: dict, pk: int, body: dict) -> tuple[Secondment, int]:
    checked(rules.difficulty(body.get("title", ""), body.get("field", "")))
    numbers = []

    def change(s: Secondment) -> None:
        s.raise_difficulty()
        number = s.difficulties.count() + 1
        Difficulty.objects.create(
            secondment=s,
            number=number,
            title=body["title"],
            detail=body.get("detail", ""),
            field=body["field"],
            raised_by=actor(claims),
        )
        numbers.append(number)

    return on_record(claims, pk, RAISERS, change), numbers[0]
