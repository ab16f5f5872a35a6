"""Configuration from the environment (SECONDMENTS_*), and the one place that opens the store."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from pydantic import Field as Setting
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.storage import LIBRARY_ATTEMPTS, LIBRARY_PAUSE
from domain.allowances import Rates, parse_rates
from domain.application import Clock, SecondmentRegistry, utc_now
from domain.deadlines import Cadence
from domain.visit_values import unit_key

if TYPE_CHECKING:
    from projections.runner import Runner


class Settings(BaseSettings):
    """Every setting of the service; each is read from SECONDMENTS_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="SECONDMENTS_", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str | None = None
    db_schema: str | None = None
    db_pool_size: int = Setting(default=5, ge=1, le=100)
    db_max_overflow: int = Setting(default=10, ge=0, le=100)
    db_connect_timeout: int = Setting(default=5, ge=1, le=60)
    """Seconds a request may wait for the database (a pool checkout, a connection) in all."""
    db_statement_timeout: int = Setting(default=30, ge=1, le=3600)
    """Seconds one SQL statement may run (PostgreSQL statement_timeout on every connection)."""
    snapshot_interval: int = Setting(default=50, ge=0)
    max_term_months: int = Setting(default=36, ge=1, le=120)
    jwt_secret: str | None = None
    master_key: str | None = None
    """Base64 of 32 bytes that wraps the per-person keys (default: generated once in
    <data_dir>/master.key). Keep it apart from backups of the store."""
    idempotency_ttl_hours: float = Setting(default=24, gt=0, le=24 * 366)
    """Hours a stored idempotent response is kept; the timers purge older ones."""
    jwt_public_key: str | None = None
    jwt_issuer: str | None = None
    jwt_max_lifetime_hours: float = Setting(default=24, gt=0, le=24 * 366)
    """The furthest a token's `exp` may lie ahead; a token valid for longer is refused."""
    max_body_bytes: int = Setting(default=64 * 1024, ge=1024)
    log_level: str = "INFO"
    people_file: Path | None = None
    """CSV (`sub,name`, UTF-8) of display names of the accounts that act in the registry."""
    readmodels_path: Path | None = None
    """SQLite file of the read models (default: <data_dir>/readmodels.db)."""
    run_projections: bool | None = None
    """Run the projections inside the API process (default: on with SQLite, off with PostgreSQL)."""
    projection_batch_size: int = Setting(default=500, ge=1, le=10_000)
    rebuild_batch_size: int = Setting(default=5000, ge=1, le=50_000)
    """Events per transaction while a read model is rebuilt (beside the live one)."""
    projection_poll_seconds: float = Setting(default=0.2, gt=0, le=60)
    projection_gather_seconds: float = Setting(default=0.05, ge=0, le=5)
    """After a batch that was not full, how long a runner lets events gather before the next
    (the first event after a quiet spell is applied at once; 0: apply each as it commits)."""
    report_cadence_days: int = Setting(default=7, ge=1, le=366)
    min_position_timeout: float = Setting(default=5.0, ge=0, le=60)
    report_cadence_by_kind: dict[str, int] = Setting(default_factory=dict)
    """Reporting cadence in days by kind, e.g. {"reinforcement": 14}; others use the default."""
    report_grace_days: int = Setting(default=2, ge=0, le=60)
    handover_notice_days: int = Setting(default=14, ge=0, le=365)
    return_within_working_days: int = Setting(default=15, ge=0, le=365)
    """Working days after the end by which the home agency must have taken the official back."""
    maternity_rule_civil_servants: bool = True
    """Apply Luật Viên chức 2010 Art. 36(7)'s maternity bar to civil servants too."""
    allowance_rates_file: Path | None = None
    """JSON file of allowance rates per province and kind (see README); none: no amounts."""
    timer_interval_seconds: float = Setting(default=300, gt=0)
    demo_sign_in: bool = False
    """Offer the dashboard's one-click demo sign-in for every role (`secondments serve --demo`)."""
    run_timers: bool | None = None
    """Run the deadline timers inside `secondments serve` (default: on with SQLite only)."""
    metrics_port: int | None = Setting(default=None, ge=1, le=65535)
    """Also serve /metrics without a token on this port (`serve`; bind it where only the
    monitoring reaches)."""
    metrics_host: str = "127.0.0.1"
    study_visit_capacity: int = Setting(default=2, ge=1, le=1000)
    """Study visits one unit of the department receives per ISO week."""
    study_visit_capacity_by_unit: dict[str, int] = Setting(default_factory=dict)
    """Per-unit weekly capacity by the unit's name, e.g. {"Phòng Cải cách hành chính": 3}."""

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value and urlparse(value).scheme not in ("postgres", "postgresql"):
            raise ValueError("expected a postgresql://user:password@host:port/dbname URL")
        return value or None

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url)

    def cadence(self, kind: str) -> Cadence:
        """The reporting cadence, grace and handover notice for one kind of secondment."""
        every = self.report_cadence_by_kind.get(kind, self.report_cadence_days)
        return Cadence(
            every,
            self.report_grace_days,
            self.handover_notice_days,
            self.return_within_working_days,
        )

    def visit_capacity(self, unit: str) -> int:
        """Study visits the unit receives per week (its own figure, else the default)."""
        by_unit = {unit_key(k): v for k, v in self.study_visit_capacity_by_unit.items()}
        return by_unit.get(unit_key(unit), self.study_visit_capacity)

    def allowance_rates(self) -> Rates | None:
        """The rates file, parsed; a missing or malformed file stops the start-up (ValueError)."""
        if self.allowance_rates_file is None:
            return None
        path = self.allowance_rates_file
        try:
            return parse_rates(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError, ValueError) as e:
            raise ValueError(f"SECONDMENTS_ALLOWANCE_RATES_FILE ({path}): {e}") from None

    @property
    def runs_timers(self) -> bool:
        """Whether `secondments serve` runs the deadline timers itself (embedded mode)."""
        return self.run_timers if self.run_timers is not None else not self.uses_postgres

    @property
    def runs_projections(self) -> bool:
        """Whether the API process runs the projections itself (embedded mode)."""
        return self.run_projections if self.run_projections is not None else not self.uses_postgres

    def store_env(self) -> dict[str, str]:
        """The eventsourcing library's environment for the event store."""
        if not self.database_url:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.data_dir / "secondments.db"),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        from projections.eventlog import TOPIC

        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": TOPIC,
            **self.postgres_env(),
        }

    def postgres_env(self) -> dict[str, str]:
        url = urlparse(self.database_url or "")
        if url.scheme not in ("postgres", "postgresql"):
            raise ValueError("SECONDMENTS_DATABASE_URL must be a postgresql:// URL")
        env = {
            "POSTGRES_DBNAME": url.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_POOL_SIZE": str(self.db_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.db_max_overflow),
            "POSTGRES_CONNECT_TIMEOUT": str(self.db_connect_timeout),
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "10",
        }
        if self.db_schema:
            env["POSTGRES_SCHEMA"] = self.db_schema
        return env


@lru_cache
def get_settings() -> Settings:
    return Settings()


def bound_waits(pool: Any, settings: Settings, attempts: int = 1) -> None:
    """Bounds every wait on a psycopg pool: a request waits about `db_connect_timeout` in all
    (spread over the caller's `attempts`), connecting is bounded too, reconnecting after an
    outage starts afresh every few seconds, and each statement ends by `db_statement_timeout`.
    Connections already open are replaced so that they carry the statement timeout: those still
    being opened with the old settings (a pool starts connecting when it opens, and under load
    that may still be under way) are awaited first, else they would join the pool after the
    drain without the timeout; then a replacement is awaited, so that the first caller does not
    wait on a connection the drain took away."""
    limit = settings.db_connect_timeout
    pause = LIBRARY_PAUSE if attempts > 1 else 0.0
    pool.timeout = max(0.1, limit / attempts - pause)
    pool.reconnect_timeout = max(4.0, 2.0 * limit)
    pool.kwargs.update(
        connect_timeout=max(2, limit),
        options=f"-c statement_timeout={settings.db_statement_timeout * 1000}",
    )
    if not pool.closed:
        settle = max(10.0, 4.0 * limit)
        _settled(pool, settle, lambda available, counted: available >= counted)
        pool.drain()
        _settled(pool, settle, lambda available, counted: available > 0 or counted == 0)


def _settled(pool: Any, timeout: float, ready: Callable[[int, int], bool]) -> None:
    """Waits (at most `timeout` seconds) until `ready(idle connections, connections counted,
    those being opened included)`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats = pool.get_stats()
        if ready(stats["pool_available"], stats["pool_size"]):
            return
        time.sleep(0.005)


@contextmanager
def schema_lock(settings: Settings) -> Iterator[None]:
    """Holds a PostgreSQL advisory lock of the store's schema while tables are created:
    processes that start together on an empty database (API workers, projection workers)
    would otherwise race on the catalog and fail with "tuple concurrently updated"."""
    if not settings.uses_postgres:
        yield
        return
    import psycopg

    from projections.store import advisory_key

    key = advisory_key(f"secondments-schema:{settings.db_schema or 'public'}")
    url = settings.database_url or ""
    with psycopg.connect(url, autocommit=True, connect_timeout=settings.db_connect_timeout) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def projection_runner(
    settings: Settings,
    log: Any,
    store: Any,
    models: Sequence[Any] | None = None,
    *,
    batch_size: int | None = None,
    poll: float | None = None,
    **options: Any,
) -> Runner:
    """A projection runner (every read model unless `models`) with the settings' batch sizes
    and poll interval; `batch_size` and `poll` override the settings, `options` go to Runner."""
    from projections.catalog import MODELS
    from projections.runner import Runner

    return Runner(
        log,
        store,
        MODELS if models is None else models,
        batch_size=batch_size or settings.projection_batch_size,
        rebuild_batch_size=settings.rebuild_batch_size,
        poll=poll or settings.projection_poll_seconds,
        gather=options.pop("gather", settings.projection_gather_seconds),
        **options,
    )


def open_registry(settings: Settings, clock: Clock = utc_now) -> SecondmentRegistry:
    """Opens the event store the settings name (tables created on first start)."""
    with schema_lock(settings):
        registry = SecondmentRegistry(
            env={**settings.store_env(), "CREATE_TABLE": "y"},
            snapshot_interval=settings.snapshot_interval,
            max_term_months=settings.max_term_months,
            clock=clock,
            maternity_rule_civil_servants=settings.maternity_rule_civil_servants,
        )
    if settings.uses_postgres:
        recorder: Any = registry.recorder
        bound_waits(recorder.datastore.pool, settings, LIBRARY_ATTEMPTS)
    from api.keyring import StoreKeyring, master_key
    from api.storage import Database

    try:
        with schema_lock(settings):
            master = master_key(settings.master_key, settings.data_dir)
            registry.keyring = StoreKeyring(Database(registry), master).open()
    except Exception:
        registry.close()
        raise
    return registry
