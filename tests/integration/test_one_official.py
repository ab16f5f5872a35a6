"""One official, one term at a time: ids compared by their key, terms (not states) compared."""

import unicodedata
import uuid
from datetime import date

import pytest

from domain.engagement import Engagement, legacy_engagement_id
from domain.errors import RuleViolation
from domain.values import Decision, Term
from tests import builders
from tests.builders import DECISION_2446, TERM, meta

NEXT_TERM = Term(date(2026, 5, 1), date(2026, 10, 31))
DECISION_LATER = Decision("118/QĐ-UBND", date(2025, 12, 1), "UBND tỉnh Điện Biên")


def refused_rules(call) -> list[tuple[str, str]]:
    with pytest.raises(RuleViolation) as caught:
        call()
    return [(v.rule, v.field) for v in caught.value.violations]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (unicodedata.normalize("NFC", "HÀ-502775{}"), unicodedata.normalize("NFD", "HÀ-502775{}")),
        ("CASE-x{}", "case-x{}"),
        ("  DB-{}", "db-{} "),
    ],
)
def test_two_spellings_of_one_id_are_one_official(registry, first, second):
    suffix = uuid.uuid4().hex[:6]
    one, two = first.format(suffix), second.format(suffix)
    assert one != two
    held = builders.approved(registry, who=builders.official(personnel_id=one))
    other = builders.request(registry, who=builders.official(personnel_id=two)).secondment.id
    approve = lambda: registry.approve(other, meta(), DECISION_2446, TERM)  # noqa: E731
    assert refused_rules(approve) == [("one_active_secondment", "official.personnel_id")]
    assert registry.get(other).state == "requested"
    assert registry.active_secondment_of(two) == held.secondment.id


def test_consecutive_terms_are_both_approved_and_overlapping_ones_refused(registry):
    person = builders.official()
    first = builders.deployed(registry, who=person).secondment.id
    later = builders.request(registry, who=person).secondment.id
    approved = registry.approve(later, meta(), DECISION_LATER, NEXT_TERM)
    assert approved.secondment.state == "approved"
    overlapping = builders.request(registry, who=person).secondment.id
    overlap = Term(date(2026, 4, 1), date(2026, 5, 1))
    approve = lambda: registry.approve(overlapping, meta(), DECISION_LATER, overlap)  # noqa: E731
    assert refused_rules(approve) == [("one_active_secondment", "official.personnel_id")]
    assert registry.get(first).state == "deployed"
    assert registry.get(overlapping).state == "requested"


def test_an_extension_into_the_next_term_is_refused(registry):
    person = builders.official()
    first = builders.deployed(registry, who=person).secondment.id
    later = builders.request(registry, who=person).secondment.id
    registry.approve(later, meta(), DECISION_LATER, NEXT_TERM)
    extend = lambda: registry.extend(first, meta(), date(2026, 5, 1), DECISION_LATER)  # noqa: E731
    assert refused_rules(extend) == [("one_active_secondment", "new_end")]
    assert registry.get(first).term == TERM
    extended = registry.extend(first, meta(), date(2026, 4, 30), DECISION_LATER)
    assert extended.secondment.term == Term(TERM.start, date(2026, 4, 30))


def test_approve_many_refuses_overlapping_terms_but_accepts_consecutive_ones(registry):
    person = builders.official()
    builders.deployed(registry, who=person)
    overlapping = builders.request(registry, who=person).secondment.id
    stranger = builders.request(registry).secondment.id
    ids = [stranger, overlapping]
    decide = lambda: registry.approve_many(meta(), ids, DECISION_2446, TERM)  # noqa: E731
    assert refused_rules(decide) == [
        ("one_active_secondment", "secondment_ids[1].official.personnel_id")
    ]
    recorded = registry.approve_many(meta(), ids, DECISION_LATER, NEXT_TERM)
    assert [r.secondment.state for r in recorded] == ["approved", "approved"]


def test_an_engagement_kept_under_the_id_as_typed_still_counts(registry):
    """Stores written before ids were keyed hold the engagement under the id as typed, with no
    term: the held secondment's own term is read."""
    person = builders.official()
    earlier = builders.approved(registry).secondment.id
    legacy = Engagement._create(
        Engagement.Registered,
        id=legacy_engagement_id(person.personnel_id),
        personnel_id=person.personnel_id,
    )
    legacy.engage(earlier)
    registry.save(legacy)
    assert registry.active_secondment_of(person.personnel_id) == earlier
    second = builders.request(registry, who=person).secondment.id
    approve = lambda: registry.approve(second, meta(), DECISION_2446, TERM)  # noqa: E731
    assert refused_rules(approve) == [("one_active_secondment", "official.personnel_id")]
    later = registry.approve(second, meta(), DECISION_LATER, NEXT_TERM)
    assert later.secondment.state == "approved"
