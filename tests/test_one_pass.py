"""The one-pass engine: every selected codemod over one parse, one metadata resolution and one
walk per round, with results equal to running the codemods one after another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import libcst as cst
import pytest

import codemods
from codemods import TfnpCodemod
from tfnp_migrate import engine
from tfnp_migrate.analysis import metadata
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import FileResult, Safety, Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "fixtures").rglob("*.py")) + sorted(
    (ROOT / "examples").glob("*.py")
)
FLAGS: list[dict[str, Any]] = [{}, {"unsafe": True}, {"unsafe": True, "dtype_policy": "float32"}]


def _outcome(result: FileResult) -> tuple[Any, ...]:
    return result.new_source, result.changes, result.notes, result.error


@pytest.mark.slow
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_one_pass_equals_codemods_in_sequence(path: Path) -> None:
    """Same text, findings, notes and errors as when each codemod sees the previous output."""
    data = path.read_bytes()
    for flags in FLAGS:
        settings = Settings(**flags)
        one_pass = migrate_source(data, settings, str(path))
        in_sequence = migrate_source(data, settings, str(path), in_sequence=True)
        assert _outcome(one_pass) == _outcome(in_sequence), flags
        # and, for the text, literally one codemod after another, each on its own, repeated
        # until nothing changes (revisiting rules settle nested rewrites in one run)
        text: str | bytes = data
        for _ in range(engine.MAX_ROUNDS):
            before = text
            for cls in codemods.ALL_CODEMODS:
                step = migrate_source(text, settings, str(path), codemod_classes=[cls])
                text = step.new_source if step.error is None else step.source or text
            if text == before:
                break
        if one_pass.error is None:
            assert one_pass.new_source == text, flags


BOTH = """\
import tensorflow as tf

@tf.function(input_signature=[tf.TensorSpec([None, 2])])
def f(t):
    return t.reshape(-1)

c = tf.constant([1, 2])
"""


def test_two_codemods_share_one_parse_and_one_scope_resolution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parses: list[str] = []
    scopes: list[cst.Module] = []
    parse, resolve = cst.parse_module, metadata._resolve_scopes
    monkeypatch.setattr(cst, "parse_module", lambda text, *a, **k: parses.append(text) or parse(text, *a, **k))  # fmt: skip # noqa: E501
    monkeypatch.setattr(metadata, "_resolve_scopes", lambda m: scopes.append(m) or resolve(m))
    result = migrate_source(BOTH, Settings(), "m.py")
    assert [c.code for c in result.changes] == ["TFNP101", "TFNP201"]
    assert "tf.reshape(t, [-1])" in result.new_source
    assert "tf.constant([1, 2], dtype=tf.int32)" in result.new_source
    # TFNP201 is UNAFFECTED_BY TFNP101 (and this rewrite asks for no import change): its
    # result stands in the first round. (`np.reshape` -> `tf.reshape` asks to drop `import
    # numpy` if unused, an import change, so TFNP201 would run again on the result.)
    assert len(parses) == 1 and len(scopes) == 1


def _adds_line(code: str) -> type[TfnpCodemod]:
    """A toy codemod that always adds a line at the top: its edit affects every later one."""

    def leave_Module(self: TfnpCodemod, original: cst.Module) -> None:
        line = cst.parse_statement(f"x_{code} = 1\n")
        if self.offer(original, Safety.SAFE, "add a line"):
            self.replace(original, lambda module: module.with_changes(body=(line, *module.body)))

    return type(f"Adds{code}", (TfnpCodemod,), {"CODE": code, "SUMMARY": "toy",
                "__doc__": "Toy.", "leave_Module": leave_Module})  # fmt: skip


def test_affected_codemods_wait_for_the_next_round() -> None:
    classes = [_adds_line(c) for c in ("TFNP991", "TFNP992", "TFNP993")]
    result = migrate_source("y = 2\n", Settings(), "m.py", codemod_classes=classes)
    # in order: each later line goes on top of the earlier ones, as in a sequential run
    assert result.new_source == "x_TFNP993 = 1\nx_TFNP992 = 1\nx_TFNP991 = 1\ny = 2\n"
    assert [c.code for c in result.changes] == ["TFNP991", "TFNP992", "TFNP993"]


def test_round_limit_is_an_error_not_a_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "MAX_ROUNDS", 2)
    classes = [_adds_line(c) for c in ("TFNP991", "TFNP992", "TFNP993")]
    result = migrate_source("y = 2\n", Settings(), "m.py", codemod_classes=classes)
    assert result.error == "internal error: TFNP993 still changing after 2 rounds"
    assert not result.changed


class _WrapsCalls(TfnpCodemod):
    """Toy: `f(a)` -> `g(f(a))` for every call named f."""

    CODE = "TFNP994"
    SUMMARY = "toy"

    def leave_Call(self, original: cst.Call) -> None:
        if m_name(original) == "f" and self.offer(original, Safety.SAFE, "wrap"):
            self.replace(original, lambda call: cst.Call(cst.Name("g"), [cst.Arg(call)]))


class _RenamesArgs(TfnpCodemod):
    """Toy: `a` -> `b` inside calls named f; UNAFFECTED_BY the wrapper, so only overlaps wait."""

    CODE = "TFNP995"
    SUMMARY = "toy"
    UNAFFECTED_BY = frozenset({"TFNP994"})

    def leave_Name(self, original: cst.Name) -> None:
        if original.value == "a" and self.offer(original, Safety.SAFE, "rename"):
            self.replace(original, lambda name: name.with_changes(value="b"))


def m_name(call: cst.Call) -> str | None:
    return call.func.value if isinstance(call.func, cst.Name) else None


def test_overlapping_edits_wait_for_the_next_round(monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[str] = []
    parse = cst.parse_module
    monkeypatch.setattr(cst, "parse_module", lambda text, *a, **k: parses.append(text) or parse(text, *a, **k))  # fmt: skip # noqa: E501
    overlapping = migrate_source(
        "f(a)\n", Settings(), "m.py", codemod_classes=[_WrapsCalls, _RenamesArgs]
    )
    assert overlapping.new_source == "g(f(b))\n"
    assert len(parses) == 2  # the rename sits inside the wrapped call: it ran again on the result
    parses.clear()
    apart = migrate_source(
        "f(1)\nh(a)\n", Settings(), "m.py", codemod_classes=[_WrapsCalls, _RenamesArgs]
    )
    assert apart.new_source == "g(f(1))\nh(b)\n"
    assert len(parses) == 1  # disjoint edits of an unaffected codemod: one round


class _SkipsFunctions(TfnpCodemod):
    """Toy: renames `a` to `b` outside function bodies (visit_FunctionDef returns False)."""

    CODE = "TFNP996"
    SUMMARY = "toy"
    UNAFFECTED_BY = frozenset({"TFNP995"})

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def leave_Name(self, original: cst.Name) -> None:
        if original.value == "c" and self.offer(original, Safety.SAFE, "rename"):
            self.replace(original, lambda name: name.with_changes(value="d"))


def test_a_false_visit_skips_that_codemods_subtree_only() -> None:
    source = "def f():\n    a, c\na, c\n"
    result = migrate_source(
        source, Settings(), "m.py", codemod_classes=[_RenamesArgs, _SkipsFunctions]
    )
    # _RenamesArgs still sees inside f; _SkipsFunctions does not
    assert result.new_source == "def f():\n    b, c\nb, d\n"


NESTED = """\
import numpy as np
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32)])
def f(x):
    a = np.argmax(x, axis=1) + np.argmax(np.abs(x), axis=0)
    return a, np.sqrt(np.mean(np.square(x))), np.abs(np.sum(np.abs(x), axis=1))
"""


def test_nested_numpy_calls_settle_in_one_run() -> None:
    """Rules revisit after a later rule's edit: np.sum(np.abs(x)) needs np.abs rewritten first,
    and np.abs(np.sum(...)) then needs np.sum. Each finding is reported once, at its line."""
    settings = Settings(select=("TFNP1",))
    result = migrate_source(NESTED, settings, "m.py")
    assert result.error is None
    assert "tf.sqrt(tf.reduce_mean(tf.square(x)))" in result.new_source
    assert "tf.abs(tf.reduce_sum(tf.abs(x), axis=1))" in result.new_source
    assert migrate_source(result.new_source, settings, "m.py").new_source == result.new_source
    applied = sorted((c.line, c.column, c.code) for c in result.changes if c.applied)
    assert applied == [
        (7, 42, "TFNP107"),
        (8, 15, "TFNP107"), (8, 23, "TFNP104"), (8, 31, "TFNP107"),
        (8, 47, "TFNP107"), (8, 54, "TFNP104"), (8, 61, "TFNP107"),
    ]  # fmt: skip
    # positions found in later rounds are mapped back through the edits made before them
    lines = NESTED.splitlines()
    assert all(lines[c.line - 1][c.column - 1 :].startswith("np.") for c in result.changes)
    # the float argmaxes are held back (NaN); the first is found again by each revisit
    held = [(c.line, c.column) for c in result.changes if not c.applied]
    assert held == [(7, 9), (7, 32)]
    assert result == migrate_source(NESTED, settings, "m.py", in_sequence=True)


def test_revisits_past_the_round_limit_leave_the_rest_for_the_next_run() -> None:
    depth = engine.MAX_ROUNDS + 4
    expr = "x"
    for level in range(depth):
        expr = f"np.{'abs' if level % 2 == 0 else 'sum'}({expr})"
    src = NESTED.split("    a =")[0] + f"    return {expr}\n"
    settings = Settings(select=("TFNP1",))
    first = migrate_source(src, settings, "m.py")
    assert first.error is None
    assert 0 < first.new_source.count("np.") < src.count("np.") - 1
    text = first.new_source
    for _ in range(4):
        text = migrate_source(text, settings, "m.py").new_source
    assert "np." not in text.split("def f")[1]


def test_line_mapper_keeps_lines_edited_in_place() -> None:
    old = "a\nb = np.x(1)\nc = np.y(2)\nd\n"
    new = "a\nb = tf.x(1)\nc = tf.y(2)\nd\n"
    to_old = engine._line_mapper(old, new)
    assert [to_old(n) for n in (1, 2, 3, 4)] == [1, 2, 3, 4]
    grown = "a\nb = tf.x(1)\nimport tf\nc = tf.y(2)\nd\n"
    to_old = engine._line_mapper(old, grown)
    assert to_old(5) == 4 and to_old(2) == 2
