"""Stored events and snapshots are a published format: each class declares its version here,
older shapes are upcast on read, and a stored shape that lacks a field is refused loudly.

The library's own mechanism does the upcasting: a class with `class_version = N` stores that
number with each event (or snapshot), and on read `upcast_vK_vK+1(state)` runs for every step
from the stored version to N. Never rewrite stored rows; add a version and its upcaster.
Renamed or moved classes keep their stored topics through `register_topic` (see MOVED_TOPICS).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any, TypeVar

from eventsourcing.domain import Aggregate, decorated_funcs
from eventsourcing.utils import register_topic, resolve_topic

from domain.errors import StoredShapeError

A = TypeVar("A", bound=type[Aggregate])
Upcaster = Callable[[dict[str, Any]], None]
ENVELOPE = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})

MOVED_TOPICS: dict[str, type] = {}
"""Stored topic → the class as it is now, for classes renamed or moved since stored."""
for _old, _new in MOVED_TOPICS.items():
    register_topic(_old, _new)


def versioned(
    snapshot: int,
    events: Mapping[str, int],
    upcasters: Mapping[str, Upcaster] | None = None,
) -> Callable[[A], A]:
    """Declares an aggregate's snapshot version and the version of every one of its events;
    `upcasters` maps "Name.vK_vK+1" (or "snapshot.vK_vK+1") to a function that changes a stored
    state of version K into version K+1 in place. Every event class must be declared, and every
    step from 1 to the declared version must have its upcaster."""
    steps = dict(upcasters or {})

    def declare(aggregate: A) -> A:
        found = {
            name
            for name, value in vars(aggregate).items()
            if isinstance(value, type)
            and issubclass(value, aggregate.Event)
            and name not in ("Event", "Created")
        }
        if found != set(events):
            raise TypeError(
                f"{aggregate.__name__}: versions declared for {sorted(events)}, "
                f"events defined {sorted(found)}"
            )
        _attach(aggregate, "snapshot", snapshot, steps)
        for name, version in events.items():
            _attach(getattr(aggregate, name), name, version, steps)
        if steps:
            raise TypeError(
                f"{aggregate.__name__}: upcasters for nothing declared: {sorted(steps)}"
            )
        return aggregate

    return declare


def _attach(target: type, name: str, version: int, steps: dict[str, Upcaster]) -> None:
    target.class_version = version  # type: ignore[attr-defined]
    for k in range(1, version):
        step = f"v{k}_v{k + 1}"
        upcast = steps.pop(f"{name}.{step}", None)
        if upcast is None:
            raise TypeError(f"{name} is at version {version} but has no upcaster {step}")
        setattr(target, f"upcast_{step}", staticmethod(upcast))


def check_shape(event: Any) -> Any:
    """The decoded (and upcast) event, completed with the defaults of parameters added since it
    was stored; StoredShapeError when it lacks a field whose parameter has no default."""
    state = vars(event)
    missing = [name for name in _fields(type(event)) if name not in state]
    if missing:
        defaults = _defaults(type(event), state.get("originator_topic"))
        for name in missing:
            if name not in defaults:
                raise StoredShapeError(type(event).__qualname__, event.originator_version, name)
            state[name] = defaults[name]
    return event


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(event_class: type) -> tuple[str, ...]:
    """The names of an event class's fields outside the envelope (found once per class: this
    runs for every event read)."""
    found = _FIELDS.get(event_class)
    if found is None:
        found = _FIELDS[event_class] = tuple(
            f.name for f in fields(event_class) if f.name not in ENVELOPE
        )
    return found


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults(event_class: type, originator_topic: str | None) -> dict[str, Any]:
    """The defaults of the method that applies an event (the aggregate's __init__ for the
    event that creates it)."""
    if event_class not in _DEFAULTS:
        _DEFAULTS[event_class] = _parameter_defaults(event_class, originator_topic)
    return _DEFAULTS[event_class]


def _parameter_defaults(event_class: type, originator_topic: str | None) -> dict[str, Any]:
    method = decorated_funcs.get(event_class)
    if method is None and originator_topic:
        method = resolve_topic(originator_topic).__init__
    if method is None:
        return {}
    return {
        p.name: p.default
        for p in inspect.signature(method).parameters.values()
        if p.default is not inspect.Parameter.empty
    }
