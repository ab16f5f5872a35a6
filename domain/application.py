"""The application: the secondment registry, composed of its parts (requests and approvals,
lifecycle commands, commune needs, timers, history reads) over one store and one command runner.

The names other layers import from here stay here: `SecondmentRegistry`, `Recorded`,
`RecordedNeeds`, `StoredEvent`, `Clock`, `utc_now`, `position_in`, `VIETNAM`, `SYSTEM_ACTOR`.
"""

from __future__ import annotations

from domain.history import VIETNAM
from domain.recorded import (
    Clock,
    Dated,
    Recorded,
    RecordedNeeds,
    StoredEvent,
    position_in,
    utc_now,
)
from domain.registry_commands import LifecycleCommands
from domain.registry_needs import Needs
from domain.registry_reads import Reads
from domain.registry_requests import Requests
from domain.registry_timers import SYSTEM_ACTOR, Timers

__all__ = [
    "SYSTEM_ACTOR",
    "VIETNAM",
    "Clock",
    "Dated",
    "Recorded",
    "RecordedNeeds",
    "SecondmentRegistry",
    "StoredEvent",
    "position_in",
    "utc_now",
]


class SecondmentRegistry(Requests, LifecycleCommands, Needs, Timers, Reads):
    """Requests, approves, deploys, follows and ends secondments; answers for their history."""

    name = "Secondments"
