"""Errors raised by the domain and the application, mapped to HTTP by the API."""

from __future__ import annotations

from collections.abc import Sequence

from domain.values import Violation


class DomainError(Exception):
    """Raised when a command cannot be carried out."""


class NotFound(DomainError):
    """Raised when a secondment (or a part of it) does not exist."""

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key} not found")
        self.what = what
        self.key = key


class SecondmentNotFound(NotFound):
    """Raised when no secondment has the given id."""

    def __init__(self, key: object) -> None:
        super().__init__("secondment", key)


class IllegalTransition(DomainError):
    """Raised when an action is not legal from the current state."""

    def __init__(
        self, state: str, action: str, allowed_actions: Sequence[str], what: str = "secondment"
    ) -> None:
        super().__init__(f"cannot {action} a {what} that is {state}")
        self.what = what
        self.state = state
        self.action = action
        self.allowed_actions = list(allowed_actions)


class RuleViolation(DomainError):
    """Raised when a command breaks one or more business rules; names each of them."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        rules = ", ".join(v.rule for v in violations)
        super().__init__(f"business rules broken: {rules}")
        self.violations = list(violations)


class Conflict(DomainError):
    """Raised when concurrent writers kept changing the record and the command gave up."""


class StaleVersion(Conflict):
    """Raised when the caller expected another version than the current one."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(f"expected version {expected}, the record is at version {actual}")
        self.expected = expected
        self.actual = actual


class StoredShapeError(Exception):
    """Raised when a stored event lacks a field its class needs and no upcaster supplies it:
    the store and the code disagree, and reading on would show wrong data."""

    def __init__(self, event: str, version: int, field: str) -> None:
        super().__init__(
            f"stored {event} at version {version} has no {field!r} and the field has no default; "
            "add an upcaster for the shape it was stored in"
        )
        self.event = event
        self.version = version
        self.field = field
