"""The API fixtures (`api`: a fresh app per backend through TestClient) shared with tests/api."""

from tests.api.conftest import api

__all__ = ["api"]
