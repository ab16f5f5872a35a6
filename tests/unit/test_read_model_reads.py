"""What each read model reads is declared once (`ReadModel.reads`): the runner gives a model only
those aggregates' events and decodes only what some model reads, so a name that is not an
aggregate's would silently starve the model (one left out fails the read models' reference
folds in tests/integration)."""

from __future__ import annotations

import importlib
import pkgutil

from eventsourcing.domain import Aggregate

import domain
from projections.catalog import DECODED, MODELS
from projections.erasure import ERASURE


def aggregate_names() -> set[str]:
    for module in pkgutil.iter_modules(domain.__path__):
        importlib.import_module(f"domain.{module.name}")
    found: set[str] = set()
    todo = [Aggregate]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub.__name__)
            todo.append(sub)
    return found


def test_every_name_a_read_model_reads_is_an_aggregate() -> None:
    known = aggregate_names()
    for model in MODELS:
        assert model.reads, model.name
        assert model.reads <= known, (model.name, model.reads - known)
    assert ERASURE in known


def test_the_log_is_decoded_for_exactly_what_the_read_models_read() -> None:
    assert set().union(*(m.reads for m in MODELS)) | {ERASURE} == DECODED
    assert {"Engagement", "UnitWeek"}.isdisjoint(DECODED)
