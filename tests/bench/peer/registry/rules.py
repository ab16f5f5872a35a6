"""The rules the peer checks, in their simplest form; each returns the violations it finds as
(rule, field, message), empty when it passes. Of ours (domain/rules.py and
domain/secondment_guards.py) it checks:

- request: the planned term starts after the two-tier units existed, is ordered, and is shorter
  than the longest term; the kind, the category and the fields are known ones;
- approve: maternity protection (no override); eligibility (rated good or better in each of the
  three years before the decision, and a leader or in a succession plan) unless an override
  reason is given; the term ordered and within the longest term; the decision not in the future;
  one active secondment per official (the partial unique index);
- deploy: the arrival on or after the decision date, within the approved term, not in the future;
- report: by the seconded official only; the period ordered, within the term, not reported
  before (kind and period); submitted not in the future;
- difficulty: only on post (deployed, reporting, handover); a title and a known field.

It does not check what ours adds beyond those: business dates in the order of the state path,
consultation before the decision, the scope of every role in detail, terms that overlap another
secondment's, idempotency keys and expected versions.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

TWO_TIER_FROM = date(2025, 7, 1)
ELIGIBILITY_YEARS = 3
GOOD = ("good", "excellent")
KINDS = ("secondment", "reinforcement", "assignment", "in_place")
CATEGORIES = ("civil_servant", "public_employee")
REPORT_KINDS = ("weekly_plan", "progress")
FIELDS = (
    "information_technology",
    "digital_transformation",
    "information_communications",
    "industry_trade",
    "construction",
    "transport",
    "urban_management",
    "labour",
    "home_affairs",
    "justice",
    "agriculture",
    "land_management",
    "natural_resources_environment",
    "cadastral",
    "irrigation",
    "economy",
    "culture",
    "health",
    "education",
    "finance",
    "records_archives",
)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    return datetime.now(VIETNAM).date()


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def term(start: date, end: date, months: int, field: str = "end") -> list:
    if start > end:
        return [("term_ordered", field, "the term ends before it starts")]
    if end >= add_months(start, months):
        return [("term_limit", field, f"the term exceeds {months} months")]
    return []


def request(body: dict, start: date, end: date, months: int) -> list:
    found = term(start, end, months, "planned_end")
    if start < TWO_TIER_FROM:
        found.append(("term_after_two_tier_units", "planned_start", "before the two-tier units"))
    if body["kind"] not in KINDS:
        found.append(("invalid", "kind", "not a kind of secondment"))
    if body["official"]["category"] not in CATEGORIES:
        found.append(("invalid", "official.category", "not a category"))
    if not body["fields"] or any(f not in FIELDS for f in body["fields"]):
        found.append(("invalid", "fields", "one or more known fields"))
    return found


def eligibility(s, decision_year: int, override_reason: str) -> list:
    ratings = {a["year"]: a["rating"] for a in s.appraisals}
    years = range(decision_year - ELIGIBILITY_YEARS, decision_year)
    eligible = all(ratings.get(y) in GOOD for y in years) and (s.is_leader or s.in_succession_plan)
    if eligible or override_reason.strip():
        return []
    return [("eligibility", "override_reason", "not eligible: give override_reason")]


def approval(s, decided_on: date, start: date, end: date, override: str, months: int) -> list:
    found = []
    protected = s.maternity_protected and s.kind in ("secondment", "reinforcement")
    if protected and s.category == "public_employee":
        found.append(("maternity_protection", "official.maternity_protected", "no override"))
    found += eligibility(s, decided_on.year, override)
    found += term(start, end, months)
    if decided_on > today():
        found.append(("effective_date_in_future", "decision.date", "after today"))
    return found


def arrival(s, arrived_on: date) -> list:
    if arrived_on > today():
        return [("effective_date_in_future", "arrived_on", "after today")]
    if arrived_on < s.decision_date:
        return [("arrival_after_decision", "arrived_on", "arrival is before the decision date")]
    if not s.term_start <= arrived_on <= s.term_end:
        return [("arrival_in_term", "arrived_on", "arrival is outside the approved term")]
    return []


def report(s, kind: str, start: date, end: date, submitted_on: date) -> list:
    if kind not in REPORT_KINDS:
        return [("invalid", "kind", "not a kind of report")]
    if start > end:
        return [("period_ordered", "period_end", "the period ends before it starts")]
    if not (s.term_start <= start and end <= s.term_end):
        return [("report_period_in_term", "period_start", "the period lies outside the term")]
    if submitted_on > today():
        return [("effective_date_in_future", "submitted_on", "after today")]
    if s.reports.filter(kind=kind, period_start=start, period_end=end).exists():
        return [("report_period_duplicate", "period_start", "already on the record")]
    return []


def difficulty(title: str, field: str) -> list:
    found = []
    if not title.strip():
        found.append(("invalid", "title", "a title is needed"))
    if field not in FIELDS:
        found.append(("invalid", "field", "not a known field"))
    return found
