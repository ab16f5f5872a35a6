"""Value types of the secondment domain: enumerations and small immutable records."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from uuid import UUID


def personnel_key(personnel_id: str) -> str:
    """The key one official is known by: Unicode NFC, trimmed, case-folded.

    Ids are stored as typed and compared by this key, so two spellings of one id are one person."""
    folded = unicodedata.normalize("NFC", personnel_id.strip()).casefold()
    return unicodedata.normalize("NFC", folded)


class Category(Enum):
    """Legal category of an official: công chức or viên chức."""

    CIVIL_SERVANT = "civil_servant"
    PUBLIC_EMPLOYEE = "public_employee"


class Rating(Enum):
    """Annual appraisal rating, best first."""

    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"

    @property
    def is_good_or_better(self) -> bool:
        return self in (Rating.EXCELLENT, Rating.GOOD)


class Kind(Enum):
    """Kind of posting: biệt phái, tăng cường, phân công, biệt phái tại chỗ."""

    SECONDMENT = "secondment"
    REINFORCEMENT = "reinforcement"
    ASSIGNMENT = "assignment"
    IN_PLACE = "in_place"


class Field(Enum):
    """A field of expertise a commune may lack."""

    INFORMATION_TECHNOLOGY = "information_technology"
    DIGITAL_TRANSFORMATION = "digital_transformation"
    INFORMATION_COMMUNICATIONS = "information_communications"
    INDUSTRY_TRADE = "industry_trade"
    CONSTRUCTION = "construction"
    TRANSPORT = "transport"
    URBAN_MANAGEMENT = "urban_management"
    LABOUR = "labour"
    HOME_AFFAIRS = "home_affairs"
    JUSTICE = "justice"
    AGRICULTURE = "agriculture"
    LAND_MANAGEMENT = "land_management"
    NATURAL_RESOURCES_ENVIRONMENT = "natural_resources_environment"
    CADASTRAL = "cadastral"
    IRRIGATION = "irrigation"
    ECONOMY = "economy"
    CULTURE = "culture"
    HEALTH = "health"
    EDUCATION = "education"
    FINANCE = "finance"
    RECORDS_ARCHIVES = "records_archives"


class Area(Enum):
    """A commune's hardship classification, declared by the province (Decree 170/2025 Art. 27)."""

    MOUNTAIN = "mountain"
    BORDER = "border"
    ISLAND = "island"
    ESPECIALLY_DIFFICULT = "especially_difficult"


class ReportKind(Enum):
    """A weekly work plan or a progress report."""

    WEEKLY_PLAN = "weekly_plan"
    PROGRESS = "progress"


class EscalationLevel(Enum):
    """Who a difficulty is escalated to, lowest first."""

    PROVINCE = "province"
    MINISTRY = "ministry"


class DifficultyStatus(Enum):
    """Where a difficulty stands."""

    OPEN = "open"
    ESCALATED = "escalated"
    RESOLVED = "resolved"


class Outcome(Enum):
    """How a secondment ended."""

    COMPLETED = "completed"
    RECALLED = "recalled"


class Initiator(Enum):
    """Who asked for an early recall."""

    HOME_AGENCY = "home_agency"
    HOST = "host"
    PROVINCE = "province"
    MINISTRY = "ministry"


class Role(Enum):
    """Roles of the people (and the system) that act on secondments."""

    COMMUNE = "commune"
    AGENCY = "agency"
    OFFICIAL = "official"
    HOME_AFFAIRS = "home_affairs"
    MINISTRY = "ministry"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who did something: the token's subject and role."""

    sub: str
    role: Role


@dataclass(frozen=True)
class CommandMeta:
    """What every recorded fact carries besides its data: who, which command, which request."""

    actor: Actor
    command_id: str
    correlation_id: str


@dataclass(frozen=True)
class Appraisal:
    """An official's rating for one year."""

    year: int
    rating: Rating


@dataclass(frozen=True)
class Official:
    """The person seconded, as described in the request."""

    full_name: str
    personnel_id: str
    category: Category
    position: str
    is_leader: bool
    in_succession_plan: bool
    appraisals: tuple[Appraisal, ...] = field(default_factory=tuple)
    maternity_protected: bool = False
    """Pregnant or raising a child under 36 months (sensitive; older stored rows read False)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "appraisals", tuple(self.appraisals))


SENSITIVE_OFFICIAL_FIELDS = frozenset({"maternity_protected"})
"""Fields of an official only deciding roles read: never exported, logged or copied to the audit."""


@dataclass(frozen=True)
class Host:
    """Where the official goes: a province, and a commune or ward in it (None for a province)."""

    province_code: int
    ward_code: int | None


@dataclass(frozen=True)
class Decision:
    """The legal act that approves or extends a secondment, e.g. 2446/QĐ-UBND."""

    number: str
    date: date
    issuer: str


@dataclass(frozen=True)
class Term:
    """A closed range of business dates."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: Term) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class HostEvaluation:
    """The host's evaluation at the end of a secondment."""

    rating: Rating
    comment: str


@dataclass(frozen=True)
class Violation:
    """One broken business rule, with the request field it concerns."""

    rule: str
    field: str
    message: str
    about: UUID | None = None
    """Another record the message names; the API names it only to callers who may read it."""
