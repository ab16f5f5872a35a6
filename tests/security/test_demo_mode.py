"""The dashboard's demo sign-in (a token for every role, admin and ministry included) appears
only when the server process was started with `--demo`, never because the store holds the demo."""

from __future__ import annotations

import re
import subprocess

import httpx

from api.settings import Settings
from tests.api.test_server import COMMAND, _environment, serving

ROLE_BUTTON = 'data-role="ministry"'


def _sign_in_page(url: str) -> str:
    page = httpx.get(f"{url}/ui/sign-in", timeout=10)
    assert page.status_code == 200, page.text
    return page.text


def test_a_store_with_the_demo_serves_no_demo_sign_in_without_the_flag(store: Settings) -> None:
    env = _environment(store)
    loaded = subprocess.run(
        [str(COMMAND), "demo"], env=env, capture_output=True, text=True, check=True, timeout=300
    )
    assert re.search(r"demo loaded: [1-9]\d* new events", loaded.stdout), loaded.stdout
    with serving(env) as (url, _):
        page = _sign_in_page(url)
        assert ROLE_BUTTON not in page and 'name="token" value="' not in page
    with serving(env, "--demo") as (url, _):
        assert ROLE_BUTTON in _sign_in_page(url)
