"""The README's lifecycle diagram is the one generated from the machine, so they cannot drift."""

import re
from pathlib import Path

from domain import lifecycle

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_shows_the_generated_lifecycle_diagram():
    blocks = re.findall(r"```mermaid\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert lifecycle.mermaid() in blocks


def test_the_diagram_has_every_transition_of_the_table():
    diagram = lifecycle.mermaid()
    for row in lifecycle.TABLE:
        for source in row.sources:
            assert f"{source} --> {row.destination(source)}: {row.action}" in diagram
