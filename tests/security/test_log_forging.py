"""Log forging: what a request carries cannot add a line to the log or make it binary (a path with
%0A or %0D, control bytes, bidi controls); each value is written escaped, on the request's line."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlparse

from api.settings import Settings
from tests.api.test_server import _environment, serving

FORGED = "2026-01-01 00:00:00,000 INFO secondments.http POST /v1/secondments 201 1.0ms"
PATH = (
    "/healthz%0A" + FORGED.replace(" ", "%20") + "%0D%0Aafter-cr%1B[31mred%00nul%E2%80%AEdesrever"
)


def _raw_get(url: str, path: str) -> bytes:
    """Sends the path exactly as written (a client library would re-encode it)."""
    where = urlparse(url)
    with socket.create_connection((where.hostname, where.port), timeout=10) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def test_a_forged_path_is_one_escaped_log_line(tmp_path: Path) -> None:
    env = _environment(Settings(data_dir=tmp_path / "var"))
    with serving(env) as (url, said):
        answer = _raw_get(url, PATH)
        assert answer.startswith(b"HTTP/1.1 404"), answer[:200]
    log = said[0]
    lines = [line for line in log.splitlines() if "healthz" in line or "desrever" in line]
    assert len(lines) == 1, log
    assert "/healthz\\n2026-01-01" in lines[0] and "\\r\\nafter-cr\\x1b[31mred" in lines[0]
    assert "\\x00nul\\u202edesrever" in lines[0]
    assert not [line for line in log.splitlines() if line.startswith(FORGED[:10])], log
    assert not any(ch in log for ch in "\x1b\x00\u202e\r"), log
