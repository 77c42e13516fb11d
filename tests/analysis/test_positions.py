"""The cheap positions equal LibCST's PositionProvider, for every node and for a subset."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from tests.analysis.corpus import CORPUS, corpus_id
from tfnp_migrate.analysis import positions


@pytest.mark.parametrize("path", CORPUS, ids=corpus_id)
def test_positions_equal_position_provider(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert dict(positions.compute(module)) == dict(expected)
    some = [node for i, node in enumerate(expected) if i % 7 == 0]
    found, code = positions.compute_with_code(module, some)
    assert dict(found) == {node: expected[node] for node in some}
    assert code == module.code  # the engine's round-trip check reads this code


@pytest.mark.parametrize(
    "src",
    [
        pytest.param("", id="empty module"),
        pytest.param("x = 1", id="no final newline"),
        pytest.param("if a:\n    b\nelse:\n    c  # end\n\n\n", id="compound with trailing lines"),
        pytest.param("x = (\r\n  1)\r\n", id="CRLF inside parentheses"),
        pytest.param("def f():\n\tpass\n", id="tab indent"),
    ],
)
def test_edge_cases_equal_position_provider(src: str) -> None:
    module = cst.parse_module(src)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found, code = positions.compute_with_code(module)
    assert dict(found) == dict(expected)
    assert code == module.code == src


def test_falls_back_to_the_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    module = cst.parse_module("x = f(1)\n")
    monkeypatch.setattr(positions, "_STATE", None)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert dict(positions.compute(module)) == dict(expected)
