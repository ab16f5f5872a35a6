"""The app factory: routers, middleware, error mapping, and a lifespan that opens the store.

Other parts plug in here: add a router to ROUTERS, or a context manager to LIFESPAN_HOOKS (each
is entered after the store is open, with the app, and can find `app.state.registry` and
`app.state.settings`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, ExitStack, asynccontextmanager

from fastapi import APIRouter, FastAPI

from api import errors, metrics, openapi
from api.auth import MAX_TOKEN_BYTES, TokenVerifier
from api.idempotency import IdempotencyStore
from api.middleware import BodyLimit, HeaderLimit, PlainQuery, RequestContext
from api.routers import (
    communes,
    decisions,
    docs,
    health,
    imports,
    lifecycle,
    monitoring,
    people,
    plan_reads,
    plans,
    queries,
    readside,
    reporting,
    reports,
    secondments,
    transitions,
    working_groups,
)
from api.routers import projections as projections_router
from api.settings import Settings, get_settings, open_registry, schema_lock
from api.storage import Database
from api.tokencache import VerifiedTokens
from api.ui import router as ui_router

ROUTERS: list[APIRouter] = [
    health.router,
    docs.router,
    monitoring.router,
    lifecycle.router,
    secondments.router,
    transitions.router,
    reporting.router,
    decisions.router,
    imports.router,
    communes.router,
    queries.router,
    reports.router,
    people.router,
    working_groups.router,
    working_groups.reports,
    projections_router.router,
    plans.router,
    plan_reads.router,
    ui_router,
]
MAX_HEADER_BYTES = 16 * 1024
LifespanHook = Callable[[FastAPI], AbstractContextManager[object]]
LIFESPAN_HOOKS: list[LifespanHook] = [readside.read_side]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Opens the application on the configured store, runs the hooks, closes it all on exit."""
    settings: Settings = app.state.settings
    app.state.allowance_rates = settings.allowance_rates()
    registry = open_registry(settings)
    try:
        app.state.registry = registry
        app.state.database = Database(registry)
        app.state.idempotency = IdempotencyStore(app.state.database, settings.idempotency_ttl_hours)
        with schema_lock(settings):
            app.state.idempotency.create_table()
        app.state.tokens = VerifiedTokens(TokenVerifier(settings))
        with ExitStack() as hooks:
            for hook in [*LIFESPAN_HOOKS, *app.state.lifespan_hooks]:
                hooks.enter_context(hook(app))
            app.state.pools = metrics.PoolSampler(metrics.pools_of(app.state))
            yield
    finally:
        registry.close()
        metrics.process_ended()


def create_app(
    settings: Settings | None = None, hooks: list[LifespanHook] | None = None
) -> FastAPI:
    """A new app; nothing is opened until its lifespan starts."""
    app = FastAPI(
        title="Secondment Registry",
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_tags=[{"name": r.tags[0]} for r in ROUTERS if r.tags],
    )
    app.state.settings = settings or get_settings()
    app.state.lifespan_hooks = list(hooks or [])
    for router in ROUTERS:
        app.include_router(router)
    errors.install(app)
    openapi.install(app)
    app.add_middleware(BodyLimit, max_bytes=app.state.settings.max_body_bytes)
    app.add_middleware(PlainQuery)
    app.add_middleware(HeaderLimit, max_bytes=MAX_HEADER_BYTES, max_token_bytes=MAX_TOKEN_BYTES)
    app.add_middleware(RequestContext)
    return app
