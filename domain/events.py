"""The stored event classes by name, for code that dispatches on them (the read models).
Typed `type[Any]`: their fields are the parameters of the methods that apply them.

The aggregates' `@event` decorators create these classes when the aggregate class is built, so
they are looked up here once and exported under their own names.
"""

from __future__ import annotations

from typing import Any

from domain.commune import CommuneNeeds
from domain.engagement import Engagement
from domain.erasure import Person
from domain.nomination import Nomination
from domain.plan import Plan
from domain.secondment import Secondment


def _events(aggregate: type) -> dict[str, type[Any]]:
    base = vars(aggregate)["Event"]
    return {
        name: value
        for name, value in vars(aggregate).items()
        if isinstance(value, type) and issubclass(value, base) and hasattr(value, "class_version")
    }


SECONDMENT = _events(Secondment)
COMMUNE_NEEDS = _events(CommuneNeeds)
ENGAGEMENT = _events(Engagement)
PERSON = _events(Person)

Requested = SECONDMENT["Requested"]
Approved = SECONDMENT["Approved"]
Rejected = SECONDMENT["Rejected"]
Withdrawn = SECONDMENT["Withdrawn"]
Deployed = SECONDMENT["Deployed"]
ReportSubmitted = SECONDMENT["ReportSubmitted"]
DifficultyRaised = SECONDMENT["DifficultyRaised"]
DifficultyEscalated = SECONDMENT["DifficultyEscalated"]
DifficultyResolved = SECONDMENT["DifficultyResolved"]
Extended = SECONDMENT["Extended"]
HandoverStarted = SECONDMENT["HandoverStarted"]
Ended = SECONDMENT["Ended"]
Recalled = SECONDMENT["Recalled"]
ReportOverdue = SECONDMENT["ReportOverdue"]
HandoverDue = SECONDMENT["HandoverDue"]
TermExpired = SECONDMENT["TermExpired"]
Corrected = SECONDMENT["Corrected"]
Returned = SECONDMENT["Returned"]
ReturnMissing = SECONDMENT["ReturnMissing"]
Opened = COMMUNE_NEEDS["Opened"]
NeedsDeclared = COMMUNE_NEEDS["NeedsDeclared"]
AreaDeclared = COMMUNE_NEEDS["AreaDeclared"]
Erased = PERSON["Erased"]

PLAN = _events(Plan)
Drafted, TargetsAmended, NominationsOpened, Nominated, SeatsGiven, Decided, Cancelled = (
    PLAN[name]
    for name in (
        "Drafted",
        "TargetsAmended",
        "NominationsOpened",
        "Nominated",
        "SeatsGiven",
        "Decided",
        "Cancelled",
    )
)
Proposed = _events(Nomination)["Proposed"]
