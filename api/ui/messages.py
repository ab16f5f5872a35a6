"""Problems in Vietnamese: each rule the API names (business rule or input check) gets a message,
shown next to the field the API names."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from api.vietnamese import FALLBACK, RULES
from domain.errors import IllegalTransition, RuleViolation, StaleVersion
from domain.values import Violation


@dataclass(frozen=True)
class FieldError:
    """One problem, at an input (or at the form when `field` is empty)."""

    field: str
    rule: str

    @property
    def message(self) -> str:
        return RULES.get(self.rule, FALLBACK)


def from_validation(e: ValidationError) -> list[FieldError]:
    """The request model's complaints, at the dotted field they concern."""
    found = []
    for error in e.errors():
        path = ".".join(str(p) for p in error["loc"] if not isinstance(p, int))
        found.append(FieldError(path, error["type"]))
    return found


def _violation(v: Violation, fields: set[str]) -> FieldError:
    return FieldError(v.field if v.field in fields else "", v.rule)


def from_domain(e: Exception, fields: set[str]) -> list[FieldError]:
    """A refused command's problems, at the form's inputs where the API names one of them."""
    if isinstance(e, RuleViolation):
        return [_violation(v, fields) for v in e.violations]
    if isinstance(e, StaleVersion):
        return [FieldError("", "stale_version")]
    if isinstance(e, IllegalTransition):
        return [FieldError("", "illegal_transition")]
    return [FieldError("number" if "number" in fields else "", "not_found")]
