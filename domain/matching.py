"""Matching a plan's nominees to its seats: an assignment problem solved by the Hungarian method
(`scipy.optimize.linear_sum_assignment`), with a lexicographic objective encoded in the weights.

The objective, in order: cover as many seats as possible; then the best field fit (how many of
a seat's needed fields the nominee has, summed); then the most eligible nominees; then the most
leaders. A nominee may take a seat only when they have at least one field the seat needs, and an
official (one `personnel_key`, however many nominations) takes at most one seat.

Why the weights keep that order. With K = min(officials, seats) (no matching has more pairs) and
F the most fields a seat needs, a pair's weight is COVER + FIT·fit + ELIGIBLE·eligible + LEADER·
leader with LEADER = 1, ELIGIBLE = K + 1, FIT = (K + 1)², COVER = FIT·(K·F + 1). Over a whole
matching the leader count is at most K < ELIGIBLE; the eligible and leader terms together are at
most K·(K + 1) + K < FIT; the fit, eligible and leader terms together are at most
FIT·K·F + FIT − 1 < COVER. So one more covered seat outweighs any fit, eligibility and leaders,
one more point of fit outweighs any eligibility and leaders, and so on: the maximum-weight
matching is the lexicographic optimum. The weights are integers kept below 2⁵³ in total, so the
solver's floating point adds them exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from domain.values import Violation

EXACT = 2**53


@dataclass(frozen=True)
class Seat:
    """One place to fill: seat `number` of the plan's target `target` (its index)."""

    target: int
    number: int
    ward_code: int | None
    province_code: int
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Nominee:
    """One nomination, as the matcher sees it."""

    nomination_id: str
    personnel_key: str
    fields: tuple[str, ...]
    eligible: bool
    leader: bool


@dataclass(frozen=True)
class Assignment:
    """A nominee given a seat, with the seat's needed fields that the nominee covers."""

    nomination_id: str
    target: int
    number: int
    ward_code: int | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Matching:
    """The proposed assignments, in seat order, and the seats left uncovered."""

    assignments: tuple[Assignment, ...]
    uncovered: tuple[Seat, ...]


@dataclass(frozen=True)
class Weights:
    """Integer weights whose sum keeps the lexicographic order (see the module's docstring)."""

    cover: int
    fit: int
    eligible: int
    leader: int

    @classmethod
    def for_size(cls, pairs: int, most_fields: int) -> Weights:
        eligible = pairs + 1
        fit = eligible * eligible
        weights = cls(cover=fit * (pairs * most_fields + 1), fit=fit, eligible=eligible, leader=1)
        if pairs * (weights.cover + weights.fit * most_fields + eligible + 1) >= EXACT:
            raise ValueError(f"too large to solve exactly: {pairs} pairs")
        return weights


def match(seats: Sequence[Seat], nominees: Sequence[Nominee]) -> Matching:
    """The lexicographically best assignment; the same input always gives the same answer."""
    officials = _officials(nominees)
    if not seats or not officials:
        return Matching((), tuple(seats))
    fit = _fit(seats, nominees)
    weights = Weights.for_size(min(len(officials), len(seats)), int(fit.max(initial=0)))
    value, chosen = _best_nomination(_values(weights, fit, nominees), officials)
    rows, cols = linear_sum_assignment(value.astype(np.float64), maximize=True)
    taken = {int(c): int(chosen[r, c]) for r, c in zip(rows, cols, strict=True) if value[r, c]}
    assignments = tuple(
        _assignment(seat, nominees[taken[s]]) for s, seat in enumerate(seats) if s in taken
    )
    uncovered = tuple(seat for s, seat in enumerate(seats) if s not in taken)
    return Matching(assignments, uncovered)


def covered_fields(seat: Seat, nominee: Nominee) -> tuple[str, ...]:
    """The seat's needed fields that the nominee has, in the seat's order."""
    return tuple(f for f in dict.fromkeys(seat.fields) if f in nominee.fields)


def score(nominees: Sequence[Nominee], matching: Matching) -> tuple[int, ...]:
    """The objective's value as a tuple: covered seats, field fit, eligible, leaders."""
    by_id = {n.nomination_id: n for n in nominees}
    chosen = [by_id[a.nomination_id] for a in matching.assignments]
    return (
        len(matching.assignments),
        sum(len(a.fields) for a in matching.assignments),
        sum(n.eligible for n in chosen),
        sum(n.leader for n in chosen),
    )


def check(
    seats: Sequence[Seat],
    nominees: Sequence[Nominee],
    assignments: Sequence[tuple[str, int, int]],
) -> list[Violation]:
    """What is wrong with an assignment by hand: (nomination_id, target, number) per row."""
    by_id = {n.nomination_id: n for n in nominees}
    by_seat = {(s.target, s.number): s for s in seats}
    officials: set[str] = set()
    taken: set[tuple[int, int]] = set()
    found: list[Violation] = []
    for i, (nomination_id, target, number) in enumerate(assignments):
        nominee, seat = by_id.get(nomination_id), by_seat.get((target, number))
        found.extend(_problems(f"assignments[{i}]", nominee, seat, officials, taken))
        if nominee is not None:
            officials.add(nominee.personnel_key)
        taken.add((target, number))
    return found


def _problems(
    field: str,
    nominee: Nominee | None,
    seat: Seat | None,
    officials: set[str],
    taken: set[tuple[int, int]],
) -> list[Violation]:
    found: list[Violation] = []
    if nominee is None:
        found.append(Violation("nomination_exists", f"{field}.nomination_id", "no such nomination"))
    elif nominee.personnel_key in officials:
        message = "this official already has a seat in this plan"
        found.append(Violation("one_seat_per_official", f"{field}.nomination_id", message))
    if seat is None:
        found.append(Violation("seat_exists", field, "the plan has no such target seat"))
        return found
    if (seat.target, seat.number) in taken:
        found.append(Violation("seat_taken", field, "this seat is already assigned"))
    if nominee is not None and not covered_fields(seat, nominee):
        found.append(Violation("field_needed", field, "the nominee has no field this seat needs"))
    return found


def _officials(nominees: Sequence[Nominee]) -> list[list[int]]:
    """Nomination indices grouped by official, officials in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for index, nominee in enumerate(nominees):
        groups.setdefault(nominee.personnel_key, []).append(index)
    return list(groups.values())


def _fit(seats: Sequence[Seat], nominees: Sequence[Nominee]) -> NDArray[np.int64]:
    """nominees × seats: how many of the seat's needed fields the nominee has."""
    vocabulary = {f: i for i, f in enumerate(dict.fromkeys(f for s in seats for f in s.fields))}
    needs = np.zeros((len(seats), len(vocabulary)), dtype=np.int64)
    for row, seat in enumerate(seats):
        needs[row, [vocabulary[f] for f in seat.fields]] = 1
    has = np.zeros((len(nominees), len(vocabulary)), dtype=np.int64)
    for row, nominee in enumerate(nominees):
        has[row, [vocabulary[f] for f in nominee.fields if f in vocabulary]] = 1
    return has @ needs.T


def _values(
    weights: Weights, fit: NDArray[np.int64], nominees: Sequence[Nominee]
) -> NDArray[np.int64]:
    """nominees × seats: each pair's weight, 0 where the nominee may not take the seat."""
    bonus = np.array(
        [weights.eligible * n.eligible + weights.leader * n.leader for n in nominees],
        dtype=np.int64,
    )
    value = weights.cover + weights.fit * fit + bonus[:, np.newaxis]
    return np.where(fit > 0, value, 0)


def _best_nomination(
    values: NDArray[np.int64], officials: list[list[int]]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """officials × seats: the official's best weight per seat and which nomination gives it
    (the first one in input order on a tie)."""
    value = np.zeros((len(officials), values.shape[1]), dtype=np.int64)
    chosen = np.zeros_like(value)
    columns = np.arange(values.shape[1])
    for row, group in enumerate(officials):
        block = values[group]
        pick = block.argmax(axis=0)
        value[row] = block[pick, columns]
        chosen[row] = np.asarray(group)[pick]
    return value, chosen


def _assignment(seat: Seat, nominee: Nominee) -> Assignment:
    fields = covered_fields(seat, nominee)
    return Assignment(nominee.nomination_id, seat.target, seat.number, seat.ward_code, fields)
