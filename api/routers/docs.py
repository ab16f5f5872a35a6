"""The API documentation pages (Swagger UI at /docs, ReDoc at /redoc) with their scripts and
styles served from the `fastapi-offline` distribution, so they work with no internet; and `/`,
which sends people to the dashboard."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.responses import FileResponse, RedirectResponse, Response

router = APIRouter(include_in_schema=False)
ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
ASSETS = {p.name: p for p in ASSETS_DIR.iterdir() if p.is_file()}
TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
PREFIX = "/docs/assets"
TITLE = "Secondment Registry"
LOCAL_ONLY = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
        "connect-src 'self'; frame-ancestors 'none'"
    )
}
"""The pages may load nothing from elsewhere (ReDoc's bundle would fetch its logo from a CDN)."""


@router.get("/")
def home() -> Response:
    """The dashboard is the front door."""
    return RedirectResponse("/ui", 307)


@router.get("/docs")
def swagger_ui() -> Response:
    return _local(
        get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{TITLE} — API",
            swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{PREFIX}/favicon.png",
        )
    )


@router.get("/redoc")
def redoc() -> Response:
    return _local(
        get_redoc_html(
            openapi_url="/openapi.json",
            title=f"{TITLE} — API",
            redoc_js_url=f"{PREFIX}/redoc.standalone.js",
            redoc_favicon_url=f"{PREFIX}/favicon.png",
            with_google_fonts=False,
        )
    )


def _local(page: Response) -> Response:
    page.headers.update(LOCAL_ONLY)
    return page


@router.get(PREFIX + "/{name}")
def asset(name: str) -> Response:
    path = ASSETS.get(name)
    if path is None:
        return Response("not found", 404, media_type="text/plain")
    headers = {"Cache-Control": "public, max-age=86400"}
    return FileResponse(path, media_type=TYPES.get(path.suffix), headers=headers)
