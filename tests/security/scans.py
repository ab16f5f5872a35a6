"""Where personal data could remain: every row of every table of both stores, read models
rebuilt afresh from the log, and the bytes of every file of a data directory."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import psycopg

from api.settings import Settings, projection_runner
from projections.catalog import ReadModels
from projections.store import open_store
from tests.api.helpers import Api


def table_texts(settings: Settings) -> str:
    """Every row of every table of the event store and the read store, as text."""
    if not settings.database_url:
        out = []
        for path in (settings.data_dir / "secondments.db", settings.data_dir / "readmodels.db"):
            with sqlite3.connect(path) as conn:
                names = [
                    r[0]
                    for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                ]
                for name in names:
                    for row in conn.execute(f'SELECT * FROM "{name}"'):
                        out.append(
                            repr(
                                [
                                    bytes(v).decode("utf-8", "replace")
                                    if isinstance(v, bytes)
                                    else v
                                    for v in row
                                ]
                            )
                        )
        return "\n".join(out)
    with psycopg.connect(settings.database_url) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (settings.db_schema,),
            )
        ]
        out = []
        for name in names:
            for (text,) in conn.execute(
                f'SELECT row_to_json(t)::text FROM "{settings.db_schema}"."{name}" t'
            ):
                out.append(text.replace("\\\\x", "\\x"))
                out.append(_unhex(text))
        return "\n".join(out)


def _unhex(text: str) -> str:
    """bytea columns (the events' state) as the text they hold."""
    found = []
    for part in text.split('"\\\\x')[1:]:
        found.append(bytes.fromhex(part.split('"')[0]).decode("utf-8", "replace"))
    return "\n".join(found)


def rebuild_from_the_log(api: Api) -> str:
    """Every read model built afresh (new tables) from the log, as text."""
    apart = {"readmodels_path": api.settings.data_dir / "rebuilt.db"}
    store = open_store(api.settings.model_copy(update=apart), prefix="rb_")
    try:
        ReadModels(store).setup(api.registry)
        projection_runner(api.settings, api.registry, store).catch_up()
        with store.read() as tx:
            if store.postgres:
                names = [
                    r["table_name"]
                    for r in tx.rows(
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = ? AND table_name LIKE ?",
                        (api.settings.db_schema, "rb_%"),
                    )
                ]
            else:
                names = [
                    r["name"]
                    for r in tx.rows(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ?",
                        ("rb_%",),
                    )
                ]
            rows = [tx.rows(f"SELECT * FROM {store.table(n)}") for n in names]
        return json.dumps(rows, ensure_ascii=False, default=str)
    finally:
        store.close()


def scan(data_dir: Path) -> str:
    """The bytes of every file of the data directory (as latin-1 text, so bytes match bytes)."""
    return "".join(
        p.read_bytes().decode("utf-8", "replace") for p in data_dir.rglob("*") if p.is_file()
    )
