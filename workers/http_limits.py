"""The server's HTTP protocol: uvicorn's httptools protocol, which also stops reading a request
whose headers run past the limit. The parser gathers a long header in pieces on the event loop,
so a 16 MB header cost seconds of the loop before the application could refuse it; here at
most the limit and one read more are parsed, then the answer is 431 and the connection closes."""

from __future__ import annotations

import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.app import MAX_HEADER_BYTES

DETAIL = f"the request's headers exceed {MAX_HEADER_BYTES} bytes in all"
PROBLEM = json.dumps(
    {
        "type": "urn:secondments:problem:headers-too-large",
        "title": "Request Header Fields Too Large",
        "status": 431,
        "detail": DETAIL,
    }
).encode()
REFUSAL = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: application/problem+json\r\n"
    b"content-length: " + str(len(PROBLEM)).encode() + b"\r\n"
    b"connection: close\r\n\r\n" + PROBLEM
)


class HeaderBoundedProtocol(HttpToolsProtocol):
    """Counts what arrives while a request's headers are read; refuses once past the limit."""

    def connection_made(self, transport: Any) -> None:
        self.header_bytes, self.reading_headers = 0, True
        super().connection_made(transport)

    def on_message_begin(self) -> None:
        self.header_bytes, self.reading_headers = 0, True
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self.reading_headers = False
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if self.reading_headers and self.header_bytes > MAX_HEADER_BYTES:
            self.transport.write(REFUSAL)
            self.transport.close()
            return
        super().data_received(data)
        if self.reading_headers:
            self.header_bytes += len(data)
