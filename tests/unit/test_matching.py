"""The plan matcher against a brute-force optimum of its lexicographic objective, its determinism,
and the rules of an assignment by hand."""

from __future__ import annotations

import random
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.matching import Matching, Nominee, Seat, check, covered_fields, match, score

FIELDS = ("justice", "construction", "health", "culture")


def seat(target: int, number: int, *fields: str, ward: int = 100) -> Seat:
    return Seat(target, number, ward + target, 11, fields)


def nominee(nid: str, *fields: str, key: str = "", eligible=True, leader=False) -> Nominee:
    return Nominee(nid, key or nid, fields, eligible, leader)


def brute_force(seats: list[Seat], nominees: list[Nominee]) -> tuple[int, ...]:
    """The best objective over every way to give each seat one nominee or nobody, no official
    twice (exhaustive, memoised on the seat and the officials already placed)."""

    @cache
    def best(s: int, placed: frozenset[str]) -> tuple[int, ...]:
        if s == len(seats):
            return (0, 0, 0, 0)
        options = [best(s + 1, placed)]
        for n in nominees:
            fit = len(covered_fields(seats[s], n))
            if fit and n.personnel_key not in placed:
                rest = best(s + 1, placed | {n.personnel_key})
                mine = (1, fit, int(n.eligible), int(n.leader))
                options.append(tuple(a + b for a, b in zip(mine, rest, strict=True)))
        return max(options)

    return best(0, frozenset())


fields = st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique=True).map(tuple)


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Seat], list[Nominee]]:
    seat_fields = draw(st.lists(fields, max_size=6))
    seats = [seat(t, 0, *f) for t, f in enumerate(seat_fields)]
    rows = draw(
        st.lists(st.tuples(st.integers(0, 5), fields, st.booleans(), st.booleans()), max_size=7)
    )
    nominees = [
        nominee(f"n{i}", *f, key=f"p{k}", eligible=e, leader=le)
        for i, (k, f, e, le) in enumerate(rows)
    ]
    return seats, nominees


def valid(seats: list[Seat], nominees: list[Nominee], matching: Matching) -> bool:
    rows = [(a.nomination_id, a.target, a.number) for a in matching.assignments]
    return not check(seats, nominees, rows)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_matching_is_the_lexicographic_optimum(instance) -> None:
    seats, nominees = instance
    matching = match(seats, nominees)
    assert valid(seats, nominees, matching)
    assert score(nominees, matching) == brute_force(seats, nominees)
    assert len(matching.assignments) + len(matching.uncovered) == len(seats)


@settings(max_examples=100, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_the_same_input_gives_the_same_answer_and_shuffling_the_same_value(instance, rnd) -> None:
    seats, nominees = instance
    first = match(seats, nominees)
    assert match(list(seats), list(nominees)) == first
    shuffled_seats, shuffled_nominees = list(seats), list(nominees)
    rnd.shuffle(shuffled_seats)
    rnd.shuffle(shuffled_nominees)
    again = match(shuffled_seats, shuffled_nominees)
    assert score(nominees, again) == score(nominees, first)


def test_covering_a_seat_beats_a_better_fit_elsewhere() -> None:
    seats = [seat(0, 0, "justice", "health"), seat(1, 0, "justice")]
    nominees = [nominee("a", "justice", "health"), nominee("b", "health")]
    matching = match(seats, nominees)
    assert [(a.nomination_id, a.target) for a in matching.assignments] == [("b", 0), ("a", 1)]
    assert matching.assignments[0].fields == ("health",)
    assert matching.uncovered == ()


def test_eligible_then_leader_break_ties_and_input_order_breaks_the_rest() -> None:
    seats = [seat(0, 0, "justice")]
    nominees = [
        nominee("plain", "justice", eligible=False, leader=True),
        nominee("eligible", "justice"),
        nominee("eligible_leader", "justice", leader=True),
        nominee("eligible_leader_too", "justice", leader=True),
    ]
    assert match(seats, nominees).assignments[0].nomination_id == "eligible_leader"


def test_an_official_nominated_twice_takes_one_seat_through_the_best_nomination() -> None:
    seats = [seat(0, 0, "justice", "health"), seat(1, 0, "justice")]
    nominees = [nominee("first", "justice", key="p1"), nominee("second", *FIELDS, key="p1")]
    matching = match(seats, nominees)
    assert [(a.nomination_id, a.target, a.fields) for a in matching.assignments] == [
        ("second", 0, ("justice", "health"))
    ]
    assert matching.uncovered == (seats[1],)


def test_nobody_takes_a_seat_without_a_needed_field() -> None:
    seats = [seat(0, 0, "culture"), seat(0, 1, "culture")]
    matching = match(seats, [nominee("a", "justice"), nominee("b", "culture")])
    assert [a.nomination_id for a in matching.assignments] == ["b"]
    assert len(matching.uncovered) == 1
    assert matching.uncovered[0].number != matching.assignments[0].number
    assert match([], [nominee("a", "justice")]) == Matching((), ())
    assert match(seats, []) == Matching((), tuple(seats))


def test_a_realistic_plan_is_deterministic_across_runs() -> None:
    rnd = random.Random(17)
    seats = [seat(t, n, *rnd.sample(FIELDS, 2)) for t in range(20) for n in range(2)]
    nominees = [
        nominee(f"n{i}", *rnd.sample(FIELDS, 2), key=f"p{i % 30}", eligible=rnd.random() < 0.7)
        for i in range(45)
    ]
    assert match(seats, nominees) == match(seats, nominees)


def test_check_names_each_broken_rule_and_the_row() -> None:
    seats = [seat(0, 0, "justice"), seat(0, 1, "justice"), seat(1, 0, "health")]
    nominees = [
        nominee("a", "justice", key="p1"),
        nominee("b", "justice", key="p1"),
        nominee("c", "justice", key="p2"),
    ]
    rows = [("a", 0, 0), ("b", 0, 1), ("c", 0, 0), ("c", 1, 0), ("x", 9, 0)]
    found = [(v.rule, v.field) for v in check(seats, nominees, rows)]
    assert found == [
        ("one_seat_per_official", "assignments[1].nomination_id"),
        ("seat_taken", "assignments[2]"),
        ("one_seat_per_official", "assignments[3].nomination_id"),
        ("field_needed", "assignments[3]"),
        ("nomination_exists", "assignments[4].nomination_id"),
        ("seat_exists", "assignments[4]"),
    ]
    assert check(seats, nominees, [("a", 0, 0), ("c", 0, 1)]) == []
