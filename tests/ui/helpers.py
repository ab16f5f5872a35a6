"""A browser-like client for the dashboard pages: signs in through the form, posts action forms
with the hidden fields the page rendered (CSRF token, version, idempotency key)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import httpx
from fastapi.testclient import TestClient

from api.settings import Settings
from projections.catalog import ReadModels, head
from tests.api.helpers import Api

HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def hidden_fields(html: str, action: str) -> dict[str, str]:
    """The hidden inputs of the form that posts to `action` (first such form)."""
    start = html.index(f'action="{action}"')
    block = html[start : html.index("</form>", start)]
    return {name: unescape(value) for name, value in HIDDEN.findall(block)}


def error_of(html: str, input_id: str) -> str:
    """The text of the error shown under an input (its id + '-error')."""
    found = re.search(rf'id="{re.escape(input_id)}-error">([^<]*)<', html)
    return unescape(found.group(1)) if found else ""


class Dashboard:
    """The dashboard as one person's browser: a cookie jar and the pages' forms."""

    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self.api = Api(client, settings)

    def sign_in(self, role: str, **claims: Any) -> None:
        token = self.api.token(role, **claims)
        page = self.client.get("/ui/sign-in")
        fields = hidden_fields(page.text, "/ui/sign-in")
        r = self.client.post("/ui/sign-in", data={**fields, "token": token}, follow_redirects=False)
        assert r.status_code == 303, r.text

    def caught_up(self) -> None:
        """Waits until the read models have processed everything recorded so far."""
        app: Any = self.client.app
        assert ReadModels(app.state.read_store).wait(head(app.state.registry), timeout=20)

    def get(self, path: str) -> httpx.Response:
        response: httpx.Response = self.client.get(path, follow_redirects=False)
        return response

    def page(self, sid: str, query: str = "") -> str:
        r = self.get(f"/ui/secondments/{sid}{query}")
        assert r.status_code == 200, r.text
        return r.text

    def submit(self, sid: str, action: str, **values: str) -> httpx.Response:
        """Fills and posts an action form as rendered on the secondment page."""
        target = f"/ui/secondments/{sid}/{action}"
        fields = hidden_fields(self.page(sid), target)
        response: httpx.Response = self.client.post(
            target, data={**fields, **values}, follow_redirects=False
        )
        return response
