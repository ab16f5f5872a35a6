"""`secondments timers --once --now …` on each backend: what it records, once, and where
it shows."""

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings, open_registry
from domain.deadlines import periods
from domain.values import ReportKind
from projections.catalog import ReadModels
from projections.runner import Runner
from projections.store import open_store
from tests import builders
from tests.api.helpers import Api
from tests.builders import TERM, meta

SECONDMENTS = Path(sys.executable).with_name("secondments")


def timers_once(settings: Settings, now: str) -> str:
    env = {**os.environ, "SECONDMENTS_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["SECONDMENTS_DATABASE_URL"] = settings.database_url
        env["SECONDMENTS_DB_SCHEMA"] = settings.db_schema or "public"
    done = subprocess.run(
        [str(SECONDMENTS), "timers", "--once", "--now", now],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def catch_up(settings: Settings) -> None:
    registry, store = open_registry(settings), open_store(settings)
    try:
        ReadModels(store).setup(registry)
        Runner(registry, store).catch_up()
    finally:
        store.close()
        registry.close()


def test_a_pass_records_each_deadline_once_and_shows_it_everywhere(store):
    registry = open_registry(store)
    sid = builders.deployed(registry).secondment.id
    builders.request(registry)
    first_week = periods(TERM, 7)[0]
    registry.close()
    catch_up(store)

    said = timers_once(store, "2026-05-01T09:00:00+07:00")
    assert said.endswith("checked 1, recorded HandoverDue 1, ReportOverdue 26, TermExpired 1")
    assert timers_once(store, "2026-05-01T09:00:00+07:00").endswith("recorded nothing")
    catch_up(store)

    with TestClient(create_app(store.model_copy(update={"run_projections": True}))) as client:
        api = Api(client, store)
        record = client.get(f"/v1/secondments/{sid}", headers=api.headers("ministry")).json()
        assert len(record["overdue_periods"]) == 26
        assert (record["handover_due_for"], record["expired_for"]) == ("2026-04-19", "2026-04-19")
        audit = client.get(
            f"/v1/audit?secondment_id={sid}&type=ReportOverdue&limit=100",
            headers=api.headers("ministry"),
        ).json()["items"]
        assert len(audit) == 26 and {a["actor"]["role"] for a in audit} == {"system"}
        deadlines = client.get(
            "/v1/reports/deadlines?within_days=30&on=2026-04-10", headers=api.headers("ministry")
        ).json()["items"]
        assert [(d["handover_due_on"], d["expired_on"]) for d in deadlines] == [
            ("2026-04-05", "2026-04-20")
        ]
        registry = client.app.state.registry
        late = registry.submit_report(sid, meta(), ReportKind.PROGRESS, first_week, "nộp muộn")
        position = late.position
        compliance = client.get(
            f"/v1/reports/compliance?on=2026-05-01&min_position={position}",
            headers=api.headers("ministry"),
        ).json()["items"]
        assert compliance[0]["secondment_id"] == str(sid)
        assert compliance[0]["flagged_open"] == 25
        assert f"{first_week.start}/{first_week.end}" not in compliance[0]["flagged_overdue"]
        assert date.fromisoformat(compliance[0]["flagged_overdue"][0][:10]) > first_week.start


def test_a_pass_counts_itself_and_the_flags_it_records(store):
    from prometheus_client import REGISTRY

    from workers.timers import cadences, run_pass

    def count(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    registry = open_registry(store)
    builders.deployed(registry)
    registry.close()
    catch_up(store)
    registry, read_store = open_registry(store), open_store(store)
    try:
        passes = count("secondments_timer_passes_total", result="ok")
        overdue = count("secondments_deadline_flags_total", type="ReportOverdue")
        now = datetime.fromisoformat("2026-05-01T09:00:00+07:00")
        run_pass(registry, read_store, now, cadences(store))
        assert count("secondments_timer_passes_total", result="ok") == passes + 1
        assert count("secondments_deadline_flags_total", type="ReportOverdue") == overdue + 26
        run_pass(registry, read_store, now, cadences(store))
        assert count("secondments_timer_passes_total", result="ok") == passes + 2
        assert count("secondments_deadline_flags_total", type="ReportOverdue") == overdue + 26
    finally:
        read_store.close()
        registry.close()
