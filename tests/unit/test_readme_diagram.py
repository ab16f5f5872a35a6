"""The README's lifecycle diagram is the one generated from the machine, so they cannot drift."""

import re
from pathlib import Path

import pytest

from api import access
from domain import lifecycle
from domain.declaration import Lifecycle

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("declared", access.DECLARED, ids=lambda d: d.name)
def test_readme_shows_the_generated_diagram_of_every_declared_lifecycle(declared: Lifecycle):
    blocks = re.findall(r"```mermaid\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert declared.mermaid() in blocks


def test_the_diagram_has_every_transition_of_the_table():
    diagram = lifecycle.mermaid()
    for row in lifecycle.TABLE:
        for source in row.sources:
            assert f"{source} --> {row.destination(source)}: {row.action}" in diagram
