"""The pure engine: decoding, error values, the round-trip guard, line mapping, and the
prefilter's soundness (it may only skip files where no codemod would do anything)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import libcst as cst
import pytest

import codemods
from codemods import TfnpCodemod
from tfnp_migrate.engine import decode, encode, migrate_source
from tfnp_migrate.model import Safety, Settings

ROOT = Path(__file__).resolve().parent.parent


class RenameFoo(TfnpCodemod):
    """Test-only: `foo()` -> `bar()` (safe); `foo_unsafe()` offered as unsafe."""

    CODE = "TFNP999"
    SUMMARY = "test codemod"

    @classmethod
    def wants_text(cls, text: str) -> bool:
        return "foo" in text

    def leave_Call(self, original: cst.Call) -> None:
        if isinstance(original.func, cst.Name) and original.func.value.startswith("foo"):
            safety = Safety.UNSAFE if original.func.value == "foo_unsafe" else Safety.SAFE
            if self.offer(original, safety, "rename"):
                self.replace(original, lambda call: call.with_changes(func=cst.Name("bar")))


class Explodes(TfnpCodemod):
    """Test-only: a buggy codemod."""

    CODE = "TFNP998"
    SUMMARY = "test codemod that raises"

    def leave_Module(self, original: cst.Module) -> None:
        raise RuntimeError("boom")


class AddsLine(TfnpCodemod):
    """Test-only: inserts a line at the top, shifting later codemods' line numbers."""

    CODE = "TFNP997"
    SUMMARY = "test codemod that adds a first line"
    SEEN: ClassVar[list[int]] = []

    def leave_Module(self, original: cst.Module) -> None:
        line = cst.parse_statement("import os\n")
        if self.offer(original, Safety.SAFE, "add import"):
            self.replace(original, lambda module: module.with_changes(body=(line, *module.body)))


def run(source: str | bytes, *classes: type[TfnpCodemod], **settings: object):
    return migrate_source(source, Settings(**settings), "m.py", codemod_classes=classes)


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        pytest.param(b"x = 1\n", "x = 1\n", "utf-8", id="plain utf-8"),
        pytest.param(b"\xef\xbb\xbfx = 1\n", "x = 1\n", "utf-8-sig", id="BOM kept as utf-8-sig"),
        pytest.param(b"x = 1\r\ny = 2\r\n", "x = 1\r\ny = 2\r\n", "utf-8", id="CRLF kept"),
        pytest.param(
            b"# -*- coding: latin-1 -*-\ns = '\xe9'\n",
            "# -*- coding: latin-1 -*-\ns = '\xe9'\n",
            "iso-8859-1",
            id="PEP 263 cookie",
        ),
    ],
)
def test_decode_round_trips(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)
    assert encode(text, encoding) == data


def test_rewrite_keeps_crlf_bom_and_cookie() -> None:
    data = b"\xef\xbb\xbfimport numpy\r\nfoo()\r\n"
    result = run(data, RenameFoo)
    assert encode(result.new_source, result.encoding) == b"\xef\xbb\xbfimport numpy\r\nbar()\r\n"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param(b"foo(\n", "cannot parse", id="syntax error"),
        pytest.param(b"foo()\n\xff\xfe\n", "cannot decode", id="undecodable bytes"),
        pytest.param(b"# coding: nope\nfoo()\n", "cannot decode", id="unknown codec cookie"),
    ],
)
def test_bad_input_is_a_value_not_an_exception(data: bytes, fragment: str) -> None:
    result = run(data, RenameFoo)
    assert result.error and fragment in result.error
    assert not result.changed


def test_codemod_bug_is_reported_and_file_left_alone() -> None:
    result = run("foo()\n", RenameFoo, Explodes)
    assert result.error and "TFNP998" in result.error and "boom" in result.error
    assert not result.changed


def test_round_trip_guard_never_writes_from_a_lossy_tree() -> None:
    # Verified on LibCST 1.9: blank lines before a whitespace-only last line are lost.
    source = "foo()\n\n\n "
    assert cst.parse_module(source).code != source
    result = run(source, RenameFoo)
    assert result.error and "byte for byte" in result.error
    assert result.new_source == source
    assert [c.applied for c in result.changes] == [False]


def test_unsafe_changes_are_held_back_unless_asked() -> None:
    held = run("foo_unsafe()\n", RenameFoo)
    assert not held.changed and held.held_back and not held.applied
    applied = run("foo_unsafe()\n", RenameFoo, unsafe=True)
    assert applied.new_source == "bar()\n" and applied.applied


def test_lines_of_later_codemods_refer_to_the_original_file() -> None:
    result = run("x = 1\nfoo()\n", AddsLine, RenameFoo)
    assert result.new_source == "import os\nx = 1\nbar()\n"
    assert [(c.code, c.line) for c in result.changes] == [("TFNP997", 1), ("TFNP999", 2)]


def test_text_gate_skips_without_parsing() -> None:
    result = run("this is not python (", RenameFoo)
    assert result.error is None and result.skipped_reason


def _corpus() -> list[Path]:
    files = sorted((ROOT / "tests" / "fixtures").rglob("*.in.py"))
    return files + sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_prefilter_is_sound(path: Path) -> None:
    """Skipping LibCST on a file must never lose a change: same result with and without."""
    for flags in ({}, {"unsafe": True}, {"unsafe": True, "dtype_policy": "float32"}):
        settings = Settings(**flags)  # type: ignore[arg-type]
        fast = migrate_source(path.read_bytes(), settings, str(path))
        slow = migrate_source(path.read_bytes(), settings, str(path), use_prefilter=False)
        assert (fast.new_source, fast.changes, fast.error) == (
            slow.new_source,
            slow.changes,
            slow.error,
        )


def test_registry_runs_in_code_order() -> None:
    """Codemods run in code order, but for TFNP302, which runs before TFNP301: a callback it
    wraps in tf.py_function runs eagerly, and TFNP301 must see that (codemods/__init__.py)."""
    codes = [cls.CODE for cls in codemods.ALL_CODEMODS]
    assert codes.index("TFNP302") == codes.index("TFNP301") - 1
    codes.remove("TFNP302")
    assert codes == sorted(codes)
