"""The deadline worker's commands: each missed deadline recorded once, as the system."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from uuid import UUID

from domain import deadlines
from domain.deadlines import Cadence
from domain.errors import IllegalTransition
from domain.history import VIETNAM
from domain.recorded import Recorded
from domain.registry_base import RegistryBase
from domain.secondment import Secondment
from domain.values import (
    Actor,
    CommandMeta,
    Kind,
    Role,
    Term,
)

SYSTEM_ACTOR = Actor("timers", Role.SYSTEM)


class Timers(RegistryBase):
    """Recording missed deadlines."""

    def record_due(
        self, secondment_id: UUID, now: datetime, cadence: Cadence | Callable[[Kind], Cadence]
    ) -> list[Recorded]:
        """Records, as the system, each deadline missed at `now` that is not yet on the record
        (`cadence` may depend on the secondment's kind). The record is loaded once: deadlines
        it already holds are skipped, and each flag starts from the record the last one saved.

        Command ids are derived from the secondment, the deadline and its period, so however
        often and however many timers run, each deadline is recorded once.
        """
        today = now.astimezone(VIETNAM).date()
        s = self.get(secondment_id)
        if not isinstance(cadence, Cadence):
            cadence = cadence(s.kind)
        due: list[tuple[str, Callable[[Secondment, CommandMeta], None]]] = [
            (f"overdue:{p.start}", _overdue_flag(p, deadlines.due_on(p, cadence)))
            for p in deadlines.overdue_periods(s, today, cadence)
        ]
        if deadlines.handover_due(s, today, cadence) and s.term:
            notice_from = s.term.end - timedelta(days=cadence.handover_notice_days)
            due.append((f"handover:{s.term.end}", lambda x, m: x.flag_handover_due(m, notice_from)))
        if deadlines.term_expired(s, today) and s.term:
            due.append((f"expired:{s.term.end}", lambda x, m: x.flag_term_expired(m)))
        if deadlines.return_missing(s, today, cadence) and s.ending:
            return_due = deadlines.return_due_on(s.ending.ended_on, cadence)
            due.append((f"return:{return_due}", lambda x, m: x.flag_return_missing(m, return_due)))
        recorded = []
        with self.holding(s):
            for key, flag in due:
                meta = CommandMeta(SYSTEM_ACTOR, f"timer:{secondment_id}:{key}", f"timer:{today}")
                if s.has_processed(meta.command_id):
                    continue
                try:
                    act = functools.partial(_apply_flag, flag, meta)
                    recorded.append(self._run(secondment_id, meta, None, act))
                except IllegalTransition:
                    break
        return [r for r in recorded if not r.replayed]

    # -- reads ---------------------------------------------------------------------------------


def _apply_flag(
    flag: Callable[[Secondment, CommandMeta], None], meta: CommandMeta, s: Secondment
) -> None:
    flag(s, meta)


def _overdue_flag(period: Term, due_on: date) -> Callable[[Secondment, CommandMeta], None]:
    return lambda s, meta: s.flag_report_overdue(meta, period, due_on)
