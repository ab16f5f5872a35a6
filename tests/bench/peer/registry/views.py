"""The peer's JSON endpoints: the paths, bodies and status codes of our bench's command mix,
the list by place and state (a page of 50 in id order, on its index) and one record's trail
(its django-fsm-log rows but the reports' own, its reports and its difficulties, oldest
first). Reads run in autocommit; each command runs in one transaction (registry.commands)."""

import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST
from django_fsm_log.models import StateLog

from registry import commands
from registry.auth import Refused, authenticated, problem, visible
from registry.models import Secondment

PAGE = 50
LISTED = ("id", "state", "version", "full_name", "personnel_id", "home_agency", "province_code")
LISTED += ("ward_code", "kind", "fields", "term_start", "term_end", "arrived_on", "updated_at")
LOGGED = ("timestamp", "transition", "description", "source_state", "state")
REPORTED = ("created_at", "submitted_by", "kind", "period_start", "period_end", "summary")
REPORTED += ("procedures_handled", "staff_coached", "field_visits", "submitted_on")
RAISED = ("created_at", "raised_by", "number", "title", "detail", "field")


def record(s: Secondment, **extra) -> dict:
    return {
        "id": s.pk,
        "state": s.state,
        "version": s.version,
        "official": {
            "full_name": s.full_name,
            "personnel_id": s.personnel_id,
            "category": s.category,
            "position": s.position,
            "is_leader": s.is_leader,
            "in_succession_plan": s.in_succession_plan,
            "appraisals": s.appraisals,
        },
        "home_agency": s.home_agency,
        "host": {"province_code": s.province_code, "ward_code": s.ward_code},
        "kind": s.kind,
        "fields": s.fields,
        "planned": {"start": s.planned_start, "end": s.planned_end},
        "decision": {"number": s.decision_number, "date": s.decision_date}
        if s.decision_date
        else None,
        "term": {"start": s.term_start, "end": s.term_end} if s.term_start else None,
        "arrived_on": s.arrived_on,
        "position": s.version,
        **extra,
    }


def body_of(request) -> dict:
    try:
        body = json.loads(request.body)
    except ValueError:
        raise Refused(400, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise Refused(422, "the body is not an object")
    return body


def healthz(request):
    return HttpResponse(b'{"status":"ok"}', content_type="application/json")


@authenticated
def secondments(request, claims):
    if request.method == "POST":
        created = commands.request(claims, body_of(request))
        return JsonResponse(record(created), status=201)
    if request.method != "GET":
        return problem(405, "GET or POST")
    return JsonResponse({"items": page(claims, request.GET), "next_cursor": None})


def page(claims: dict, query) -> list:
    found = Secondment.objects.order_by("id")
    for name in ("province_code", "ward_code"):
        if query.get(name):
            found = found.filter(**{name: int(query[name])})
    if query.get("state"):
        found = found.filter(state__in=query.getlist("state"))
    if claims.get("role") not in ("ministry", "admin"):
        found = found.filter(province_code=claims.get("province_code"))
    return list(found.values(*LISTED)[:PAGE])


@require_POST
@authenticated
def approve(request, claims, pk):
    return JsonResponse(record(commands.approve(claims, pk, body_of(request))))


@require_POST
@authenticated
def deploy(request, claims, pk):
    return JsonResponse(record(commands.deploy(claims, pk, body_of(request))))


@require_POST
@authenticated
def report(request, claims, pk):
    return JsonResponse(record(commands.report(claims, pk, body_of(request))))


@require_POST
@authenticated
def difficulty(request, claims, pk):
    s, number = commands.difficulty(claims, pk, body_of(request))
    return JsonResponse(record(s, number=number))


@require_GET
@authenticated
def events(request, claims, pk):
    s = Secondment.objects.filter(pk=pk).first()
    if s is None or not visible(claims, s):
        return problem(404, "no such secondment")
    logged = StateLog.objects.for_(s).exclude(transition="report").order_by("timestamp", "id")
    items = [
        item(e["timestamp"], e["transition"], e["description"], e["source_state"], e["state"], {})
        for e in logged.values(*LOGGED)[:PAGE]
    ]
    for r in s.reports.order_by("created_at", "id").values(*REPORTED)[:PAGE]:
        at, by = r.pop("created_at"), r.pop("submitted_by")
        items.append(item(at, "report", by, None, None, r))
    for d in s.difficulties.order_by("created_at", "id").values(*RAISED)[:PAGE]:
        at, by = d.pop("created_at"), d.pop("raised_by")
        items.append(item(at, "raise_difficulty", by, None, None, d))
    items.sort(key=lambda i: i["recorded_at"])
    return JsonResponse({"items": items[:PAGE], "next_cursor": None})


def item(at, kind: str, by: str, source, target, data: dict) -> dict:
    return {
        "recorded_at": at,
        "type": kind,
        "actor": by,
        "from_state": source,
        "to_state": target,
        "data": data,
    }
