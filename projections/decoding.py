"""A batch of the log as read-model events, decoded once for every read model that reads it.

The topic is in each stored row, so events of aggregates no read model reads are skipped
before their state is touched; the personal keys of the batch's aggregates are unwrapped
together first (one query per batch, not one per key on a cache miss), and then each kept
row's state is decoded once: the runner hands the same decoded events to every read model
version at that position.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from projections.base import Event


def aggregate_of(topic: str) -> tuple[str, str]:
    """The aggregate's class name and the event's class name in a stored event's topic."""
    module_class, _, kind = topic.rpartition(".")
    return module_class.rpartition(":")[2], kind


def decode(log: Any, notifications: Sequence[Any], aggregates: Collection[str]) -> list[Event]:
    """The log's notifications as read-model events, for the events of `aggregates` (the
    catalog's DECODED); other aggregates' events are skipped (their positions still count: the
    caller tracks the batch's last position)."""
    kept = []
    for n in notifications:
        aggregate, kind = aggregate_of(n.topic)
        if aggregate in aggregates:
            kept.append((n, aggregate, kind))
    preload = getattr(log.keyring, "preload", None)
    if preload is not None and kept:
        preload({n.originator_id for n, _, _ in kept})
    to_domain_event = log.mapper.to_domain_event
    found = []
    for n, aggregate, kind in kept:
        event = to_domain_event(n)
        found.append(
            Event(
                position=n.id,
                type=kind,
                aggregate=aggregate,
                originator_id=n.originator_id,
                version=n.originator_version,
                recorded_at=event.timestamp,
                data=event,
                sid=str(n.originator_id),
            )
        )
    return found
