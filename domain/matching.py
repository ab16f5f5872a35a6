"""Matching nominees to a plan's target seats.

TEMPORARY STAND-IN with the agreed interface, until the optimising solver lands: maximum
cardinality by augmenting paths (Kuhn), trying seats in preference order (more needed fields
covered, eligible, leaders first), one seat per official, a seat only for a nominee with a
field it needs. Deterministic for the same input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.values import Violation


@dataclass(frozen=True)
class Seat:
    """One seat of a plan's target: which target, which seat of it, where, which fields."""

    target: int
    number: int
    ward_code: int | None
    province_code: int
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Nominee:
    """A nominated official as the matching sees them (no personal data)."""

    nomination_id: str
    personnel_key: str
    fields: tuple[str, ...]
    eligible: bool
    leader: bool


@dataclass(frozen=True)
class Assignment:
    """A nominee on a seat, and the needed fields they cover."""

    nomination_id: str
    target: int
    number: int
    ward_code: int | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Matching:
    """The assignments, and the seats left without anyone."""

    assignments: tuple[Assignment, ...]
    uncovered: tuple[Seat, ...]


def covered(seat: Seat, nominee: Nominee) -> tuple[str, ...]:
    return tuple(f for f in seat.fields if f in nominee.fields)


def match(seats: Sequence[Seat], nominees: Sequence[Nominee]) -> Matching:
    people = _one_per_official(nominees)
    options = [_ranked(seat, people) for seat in seats]
    holder: dict[str, int] = {}  # personnel_key → seat index

    def place(s: int, seen: set[str]) -> bool:
        for n in options[s]:
            key = people[n].personnel_key
            if key in seen:
                continue
            seen.add(key)
            if key not in holder or place(holder[key], seen):
                holder[key] = s
                return True
        return False

    for s in range(len(seats)):
        place(s, set())
    by_seat = {s: k for k, s in holder.items()}
    by_key = {n.personnel_key: n for n in people}
    assignments = tuple(
        Assignment(
            by_key[by_seat[s]].nomination_id,
            seat.target,
            seat.number,
            seat.ward_code,
            covered(seat, by_key[by_seat[s]]),
        )
        for s, seat in enumerate(seats)
        if s in by_seat
    )
    uncovered = tuple(seat for s, seat in enumerate(seats) if s not in by_seat)
    return Matching(assignments, uncovered)


def _one_per_official(nominees: Sequence[Nominee]) -> list[Nominee]:
    best: dict[str, Nominee] = {}
    for n in nominees:
        kept = best.get(n.personnel_key)
        if kept is None or (n.eligible, n.leader) > (kept.eligible, kept.leader):
            best[n.personnel_key] = n
    return sorted(best.values(), key=lambda n: n.nomination_id)


def _ranked(seat: Seat, people: Sequence[Nominee]) -> list[int]:
    fit = [i for i, n in enumerate(people) if covered(seat, n)]
    return sorted(
        fit,
        key=lambda i: (
            -len(covered(seat, people[i])),
            not people[i].eligible,
            not people[i].leader,
            people[i].nomination_id,
        ),
    )


def check(
    seats: Sequence[Seat],
    nominees: Sequence[Nominee],
    assignments: Sequence[tuple[str, int, int]],
) -> list[Violation]:
    """What is wrong with assignments by hand: (nomination_id, target, number) each."""
    by_seat = {(s.target, s.number): s for s in seats}
    by_id = {n.nomination_id: n for n in nominees}
    taken: set[tuple[int, int]] = set()
    officials: set[str] = set()
    found: list[Violation] = []
    for i, (nomination_id, target, number) in enumerate(assignments):
        field = f"assignments[{i}]"
        seat, nominee = by_seat.get((target, number)), by_id.get(nomination_id)
        if nominee is None:
            found.append(
                Violation("nomination_exists", f"{field}.nomination_id", "no such nominee")
            )
        if seat is None:
            found.append(Violation("seat_exists", f"{field}.number", "no such seat"))
        if nominee is None or seat is None:
            continue
        if (target, number) in taken:
            found.append(Violation("seat_taken", f"{field}.number", "seat already given"))
        if nominee.personnel_key in officials:
            message = "this official already has a seat"
            found.append(Violation("one_seat_per_official", f"{field}.nomination_id", message))
        if not covered(seat, nominee):
            message = "the nominee has none of the fields this target needs"
            found.append(Violation("field_needed", f"{field}.nomination_id", message))
        taken.add((target, number))
        officials.add(nominee.personnel_key)
    return found
