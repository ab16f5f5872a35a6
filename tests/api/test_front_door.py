"""How a newcomer finds the service: `/` leads to the dashboard, the server says where it is, and
the API documentation pages need nothing from the internet."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.api.helpers import Api
from tests.api.test_server import COMMAND, _free_port

LOCAL = re.compile(r'(?:src|href)="([^"]+)"')


def test_the_root_redirects_to_the_dashboard(api: Api) -> None:
    r = api.client.get("/", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"] == "/ui"


def test_docs_and_redoc_load_their_assets_from_this_server(api: Api) -> None:
    for page in ("/docs", "/redoc"):
        r = api.client.get(page)
        assert r.status_code == 200, page
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert "cdn.jsdelivr.net" not in r.text and "fonts.googleapis" not in r.text
        assets = LOCAL.findall(r.text)
        assert assets, page
        for asset in assets:
            assert asset.startswith("/docs/assets/"), (page, asset)
            loaded = api.client.get(asset)
            assert loaded.status_code == 200, asset
            assert len(loaded.content) > 1000, asset
    assert api.client.get("/docs/assets/nothing.js").status_code == 404
    assert "/openapi.json" in api.client.get("/docs").text


def test_the_server_prints_the_dashboard_and_docs_links_at_start(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port)],
        env={**os.environ, "SECONDMENTS_DATA_DIR": str(tmp_path / "var")},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = [process.stdout.readline() for _ in range(2)]
    finally:
        process.terminate()
        process.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/ui" in first[0]
    assert f"http://127.0.0.1:{port}/docs" in first[1]
