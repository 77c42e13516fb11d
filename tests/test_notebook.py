"""Notebooks end to end: IPython syntax masked and restored, positions in cells, every byte
outside the changed sources kept, and the CLI in every mode (with the real codemods)."""

from __future__ import annotations

import ast
import contextlib
import json
import os
import random
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell
from nbformat.warnings import MissingIDFieldWarning
from test_fixtures import CASES, case_settings

from tfnp_migrate import notebook
from tfnp_migrate.cli import main
from tfnp_migrate.engine import migrate_notebook, migrate_source
from tfnp_migrate.model import Settings

IMPORTS = "import numpy as np\nimport tensorflow as tf"
FINDING = "def make():\n    return tf.constant(np.zeros(3))"
FIXED = "def make():\n    return tf.constant(np.zeros(3), dtype=tf.float64)"
CLEAN = "def make():\n    return tf.constant(np.zeros(3), dtype=tf.float64)\n\n\nmake()"
LEAKS = ("<tfnp-migrate: cell", "<tfnp-migrate: magic")


def cli(*args: object) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def book(*cells: Any, minor: int = 5, **metadata: Any) -> Any:
    """An nbformat notebook of `cells` (strings are code cells)."""
    nb = new_notebook()
    nb.nbformat_minor = minor
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.4"},
        **metadata,
    }
    nb.cells = [new_code_cell(c) if isinstance(c, str) else c for c in cells]
    if minor < 5:
        for cell in nb.cells:
            cell.pop("id", None)
    with _ids_optional():
        nbformat.validate(nb)
    return nb


@contextlib.contextmanager
def _ids_optional() -> Iterator[None]:
    """nbformat warns about cells without ids, which notebooks before nbformat 4.5 rightly
    have."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingIDFieldWarning)
        yield


def written(nb: Any) -> str:
    """The text Jupyter writes for `nb` (nbformat's writer: indent 1, sorted keys, lists)."""
    with _ids_optional():
        return str(nbformat.writes(nb)) + "\n"


def as_strings(text: str, **dump: Any) -> str:
    """The same notebook with every source one string (what some tools write)."""
    doc = json.loads(text)
    for cell in doc["cells"]:
        cell["source"] = "".join(cell["source"])
    return json.dumps(doc, **dump) + "\n"


def colab_layout(text: str) -> str:
    """Keys in Colab's order (nbformat first, cells last), indent 0, no final newline."""
    doc = json.loads(text)
    ordered = {"nbformat": doc["nbformat"], "nbformat_minor": doc["nbformat_minor"],
               "metadata": {"colab": {"provenance": []}, **doc["metadata"]},
               "cells": doc["cells"]}  # fmt: skip
    return json.dumps(ordered, indent=0)


def huge_outputs(nb: Any) -> Any:
    image = new_output("display_data", data={"image/png": "iVBORw0KGgo" * 150_000})
    stream = new_output("stream", name="stdout", text=["line\n"] * 5000)
    nb.cells[0].outputs = [image, stream]
    nb.cells[0].execution_count = 7
    return nb


def with_attachment(nb: Any) -> Any:
    cell = new_markdown_cell("![chart](attachment:chart.png)")
    cell.attachments = {"chart.png": {"image/png": "iVBORw0KGgoAAAANSUhEUg=="}}
    nb.cells.insert(0, cell)
    return nb


def shapes(code: str) -> dict[str, str]:
    """Notebooks of every shape this suite can make, holding code cell `code` among others."""
    base = [IMPORTS, new_markdown_cell("# Café ☕ — données"), code, ""]
    out = {f"nbformat 4.{m}": written(book(*base, minor=m)) for m in range(6)}
    four = out["nbformat 4.4"]
    out |= {
        "Windows line endings": four.replace("\n", "\r\n"),
        "sources as strings": as_strings(written(book(*base))),
        "strings, indent 2, ASCII escapes": as_strings(four, indent=2, ensure_ascii=True),
        "one line, no final newline": as_strings(four, separators=(",", ":"))[:-1],
        "Colab layout": colab_layout(four),
        "byte order mark": "\ufeff" + four,
        "huge outputs": written(huge_outputs(book(*base))),
        "attachments": written(with_attachment(book(*base))),
        "magics and raw cells": written(
            book("%matplotlib inline\n" + IMPORTS, code, new_raw_cell("raw"), "%%bash\nls")
        ),  # fmt: skip
        "CRLF inside sources": written(book(IMPORTS.replace("\n", "\r\n"), code)),
        "a line separator in a string": written(book(IMPORTS, code, "NOTE = 'a\u2028b'")),
    }
    return out


NO_CODE = {
    "no code cells": written(book(new_markdown_cell("# only prose"), new_raw_cell("raw"))),
    "no cells at all": written(book()),
    "empty code cells": written(book("", "", new_markdown_cell("x"))),
}
UNSUPPORTED = {
    "nbformat 3": json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                              "worksheets": [{"cells": [{"cell_type": "code", "input":
                              "tf.constant(np.zeros(3))", "language": "python"}]}]}),
    "an R notebook": written(book(FINDING, kernelspec={"name": "ir", "language": "R",
                                                       "display_name": "R"})),
}  # fmt: skip


def encoded(text: str) -> bytes:
    return text.encode("utf-8")


# --- the no-op pass: identical bytes ---------------------------------------------------------


@pytest.mark.parametrize(
    "text", [*shapes(CLEAN).values(), *NO_CODE.values()], ids=[*shapes(CLEAN), *NO_CODE]
)
def test_no_op_pass_keeps_every_byte(tmp_path: Path, text: str) -> None:
    result = migrate_notebook(encoded(text), Settings(), "x.ipynb")
    assert result.error is None and not result.changes
    assert result.new_source == result.source == text.lstrip("\ufeff")
    path = tmp_path / "x.ipynb"
    path.write_bytes(encoded(text))
    os.utime(path, ns=(10**18, 10**18))
    assert cli("fix", path).exit_code == 0
    assert path.read_bytes() == encoded(text)
    assert path.stat().st_mtime_ns == 10**18  # not even rewritten with the same bytes


# --- a fixed notebook differs only inside the changed sources --------------------------------


@pytest.mark.parametrize("shape", list(shapes(FINDING)))
def test_fix_changes_only_the_changed_cells_source(tmp_path: Path, shape: str) -> None:
    text = shapes(FINDING)[shape]
    path = tmp_path / "x.ipynb"
    path.write_bytes(encoded(text))
    assert cli("fix", path).exit_code == 0
    after = path.read_bytes().decode("utf-8")
    before_doc, after_doc = json.loads(text.lstrip("\ufeff")), json.loads(after.lstrip("\ufeff"))
    old, new = notebook.parse(text.lstrip("\ufeff")), notebook.parse(after.lstrip("\ufeff"))
    changed = [a.index for a, b in zip(old.cells, new.cells, strict=True) if a.source != b.source]
    assert changed == [1]
    assert new.cells[1].source == FIXED
    assert new.cells[1].is_list == old.cells[1].is_list
    # the parsed documents are equal outside the changed source ...
    for doc in (before_doc, after_doc):
        code_cells = [c for c in doc["cells"] if c["cell_type"] == "code"]
        code_cells[1]["source"] = "<changed>"
    assert after_doc == before_doc
    # ... and so are the raw bytes around it
    a, b = old.cells[1], new.cells[1]
    assert after[: b.start] == text[: a.start]
    assert after[b.end :] == text[a.end :]
    if shape.startswith("nbformat 4"):
        nbformat.validate(nbformat.reads(after, as_version=4))


def test_lines_keep_their_escaping_and_new_lines_follow_the_file() -> None:
    ascii_text = as_strings(written(book(IMPORTS, "# é\n" + FINDING, minor=4)), ensure_ascii=True)
    result = migrate_notebook(encoded(ascii_text), Settings(), "x.ipynb")
    assert "\\u00e9" in result.new_source and "é" not in result.new_source
    list_text = written(book(IMPORTS, "# é\n" + FINDING))
    fixed = migrate_notebook(encoded(list_text), Settings(), "x.ipynb").new_source
    assert '"# é\\n",' in fixed  # an unchanged line is kept exactly as written


@pytest.mark.parametrize("text", UNSUPPORTED.values(), ids=list(UNSUPPORTED))
def test_unsupported_notebooks_are_reported_and_left_untouched(tmp_path: Path, text: str) -> None:
    path = tmp_path / "old.ipynb"
    path.write_bytes(encoded(text))
    result = cli("fix", path)
    assert result.exit_code == 0
    assert f"{path}: skipped: " in result.output and "left untouched" in result.output
    assert path.read_bytes() == encoded(text)


@pytest.mark.parametrize(
    "data",
    [b"{not json", b"[1, 2]", b'{"nbformat": 4, "cells": [1]}', b'{"nbformat": 4}',
     b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", '
     b'"source": 3}]}', b"\xff\xfe{}"],
    ids=["invalid JSON", "not an object", "a cell not an object", "no cells",
         "source not text", "not UTF-8"],
)  # fmt: skip
def test_unreadable_notebooks_fail_and_are_never_written(tmp_path: Path, data: bytes) -> None:
    bad, good = tmp_path / "bad.ipynb", tmp_path / "good.ipynb"
    bad.write_bytes(data)
    good.write_bytes(encoded(written(book(IMPORTS, FINDING))))
    result = cli("fix", tmp_path)
    assert result.exit_code == 2
    assert f"failed: {bad}: " in result.output
    assert bad.read_bytes() == data
    assert notebook.parse(good.read_text()).cells[1].source == FIXED  # the other file is fixed


# --- IPython syntax ----------------------------------------------------------------------------

MAGICS = [
    "%matplotlib inline",
    "for i in range(3):\n    %timeit f(i)",
    "x = %timeit -o f()",
    "a, b = %time g()",
    "!pip install --quiet numpy",
    "files = !ls",
    "np.sum?",
    "??np.sum",
    "np.sum??",
    "%load_ext autoreload \\\n    --flag",
]


@pytest.mark.parametrize("line", MAGICS)
def test_ipython_lines_are_masked_one_for_one_and_restored(line: str) -> None:
    source = f"import numpy as np\n{line}\ny = 1\n"
    masked = notebook.mask(source)
    assert masked.not_python is None
    assert len(masked.text.splitlines()) == len(source.splitlines())
    ast.parse(masked.text)
    assert notebook.unmask(masked.text, masked) == source


@pytest.mark.parametrize(
    "source", ["x = a % b", "y = x != 1", "print('!not a magic')", "z = a if b else c  # ?"]
)
def test_python_that_looks_like_ipython_is_not_masked(source: str) -> None:
    assert notebook.mask(source).text == source


def test_cell_magics_with_python_bodies_are_python_and_the_rest_are_not() -> None:
    timed = notebook.mask("%%time\nx = np.reshape(t, [-1])\n")
    assert timed.not_python is None and timed.text.startswith("pass  # <tfnp-migrate: magic 0>")
    assert notebook.mask("\n%%bash\nls -l\n").not_python == "a %%bash cell is not Python"
    assert notebook.mask("%%writefile x.py\nimport os\n").not_python is not None


@given(st.lists(st.sampled_from([*MAGICS, "x = 1", "    y = 2", "", "def f():", "%%time"])))
def test_unmask_inverts_mask(lines: list[str]) -> None:
    source = "\n".join(lines)
    masked = notebook.mask(source, number_from=3)
    if masked.not_python is None:
        assert notebook.unmask(masked.text, masked, number_from=3) == source


def test_unmask_refuses_moved_or_dropped_placeholders() -> None:
    masked = notebook.mask("%time f()\n!ls\n")
    first, second = masked.text.splitlines(keepends=True)
    assert notebook.unmask(second + first, masked) is None
    assert notebook.unmask(first, masked) is None
    assert notebook.unmask("    " + first + second, masked) is None


# --- positions and the CLI -------------------------------------------------------------------

TWO_FINDINGS = book(
    new_markdown_cell("intro"),
    "%matplotlib inline\n" + IMPORTS,
    "!nvidia-smi\n@tf.function\ndef flat(t):\n    return np.reshape(t, [-1])",
    "x = 1",
    "c = tf.constant(np.zeros(3))",
)


def test_findings_are_reported_at_their_cell_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(written(TWO_FINDINGS))
    text = cli("check", path)
    assert text.exit_code == 1
    assert f"{path}:cell 2:4:12: TFNP101 [unsafe]" in text.output
    assert f"{path}:cell 4:1:5: TFNP201 [safe]" in text.output
    doc = json.loads(cli("check", "--format", "json", path).output)
    lines = path.read_text().splitlines()
    records = doc["changes"]
    assert [(r["cell"], r["line"], r["column"]) for r in records] == [(1, 4, 12), (3, 1, 5)]
    assert [r["cell_id"] for r in records] == [TWO_FINDINGS.cells[2].id, TWO_FINDINGS.cells[4].id]
    assert "np.reshape(t, [-1])" in lines[records[0]["file_line"] - 1]
    assert "tf.constant(np.zeros(3))" in lines[records[1]["file_line"] - 1]
    github = cli("check", "--format", "github", path).output
    assert f"line={records[1]['file_line']}," in github and "(cell 4, line 1, column 5)" in github
    sarif = json.loads(cli("check", "--format", "sarif", path).output)
    result = sarif["runs"][0]["results"][1]
    assert (
        result["locations"][0]["physicalLocation"]["region"]["startLine"] == records[1]["file_line"]
    )
    assert result["properties"]["cell"] == 3


def test_diff_is_per_cell_and_fix_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(written(TWO_FINDINGS))
    diff = cli("diff", "--unsafe", path).output
    assert f"--- a/{path}:cell 2\n+++ b/{path}:cell 2\n" in diff
    assert f"--- a/{path}:cell 4\n+++ b/{path}:cell 4\n" in diff
    assert "+    return tf.reshape(t, [-1])" in diff and '"source"' not in diff
    assert cli("fix", "--unsafe", path).exit_code == 0
    cells = notebook.parse(path.read_text()).cells
    assert cells[1].source.startswith("!nvidia-smi\n@tf.function")  # the magic is restored
    assert cells[1].source.endswith("return tf.reshape(t, [-1])")
    assert cells[0].source == "%matplotlib inline\n" + IMPORTS
    assert cli("check", "--unsafe", path).exit_code == 0


def test_an_unparsable_cell_is_reported_and_the_others_fixed(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(written(book(IMPORTS, "def broken(:\n    pass", FINDING)))
    result = cli("fix", path)
    assert result.exit_code == 2
    assert f"failed: {path}:cell 2: skipped: cannot parse: line 1, column 12" in result.output
    cells = notebook.parse(path.read_text()).cells
    assert cells[1].source == "def broken(:\n    pass" and cells[2].source == FIXED
    doc = json.loads(cli("check", "--format", "json", path).output)
    assert doc["files"][0]["cell_errors"] == [
        {"cell": 1, "error": "cannot parse: line 1, column 12: invalid syntax"}
    ]


def test_folders_yield_notebooks_but_not_checkpoints_or_ignored_ones(tmp_path: Path) -> None:
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / "ignored").mkdir()
    for name in ("a.ipynb", ".ipynb_checkpoints/a-checkpoint.ipynb", "ignored/b.ipynb"):
        (tmp_path / name).write_text(written(book(IMPORTS, FINDING)))
    (tmp_path / ".gitignore").write_text("ignored/\n")
    (tmp_path / ".git").mkdir()
    doc = json.loads(cli("check", "--format", "json", tmp_path).output)
    assert [f["path"] for f in doc["files"]] == [str(tmp_path / "a.ipynb")]


def test_noqa_in_a_cell_silences_its_finding(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    silenced = FINDING + "  # noqa: TFNP201"
    path.write_text(written(book(IMPORTS, silenced, "y = 2  # noqa: TFNP101")))
    result = cli("check", "--report-unused-noqa", path)
    assert result.exit_code == 1
    assert f"{path}:cell 3:1: unused noqa: TFNP101" in result.output
    assert "TFNP201" not in result.output.replace("noqa: TFNP201", "")


def test_markers_and_placeholders_never_reach_the_file() -> None:
    for text in shapes(FINDING).values():
        result = migrate_notebook(encoded(text), Settings(unsafe=True), "x.ipynb")
        assert not any(leak in result.new_source for leak in LEAKS)


# --- where rewrites land relative to the cells -----------------------------------------------


def _cells(text: str, settings: Settings | None = None) -> list[str]:
    result = migrate_notebook(encoded(text), settings or Settings(), "x.ipynb")
    assert result.error is None, result.error
    return [c.source for c in notebook.parse(result.new_source).cells]


def test_a_helper_lands_in_the_cell_of_the_function_it_serves() -> None:
    traced = ("@tf.function\ndef transform(x):\n    m = np.zeros((3, 3))\n    m[0, 0] = 1.0\n"
              "    return tf.matmul(x, tf.constant(m, dtype=tf.float64))")  # fmt: skip
    cells = _cells(written(book(IMPORTS, traced)))
    assert cells[0] == IMPORTS
    assert cells[1].startswith("def _build_m():\n    m = np.zeros((3, 3))")
    assert "\n\n\n@tf.function\ndef transform(x):\n    m = tf.constant(_build_m()" in cells[1]


def test_an_added_import_lands_after_the_imports_of_its_cell() -> None:
    code = "from tensorflow import constant\nimport numpy as np"
    cells = _cells(written(book("%%bash\nls", code, "x = constant(np.zeros(3))")))
    assert cells[0] == "%%bash\nls"
    assert cells[1] == code + "\nimport tensorflow as tf"
    assert cells[2] == "x = constant(np.zeros(3), dtype=tf.float64)"


def test_an_import_cell_emptied_by_a_rewrite_stays_a_cell() -> None:
    code = "@tf.function\ndef flat(t):\n    return rs(t, [-1])"
    cells = _cells(written(book("import tensorflow as tf", "from numpy import reshape as rs",
                                code)), Settings(unsafe=True))  # fmt: skip
    assert cells == ["import tensorflow as tf", "", code.replace("rs(", "tf.reshape(")]


def test_a_rewrite_that_cannot_be_split_back_is_refused() -> None:
    nb = notebook.parse(written(book("x = 1", "%time f()\ny = 2")))
    module = notebook.Module.build(nb)
    assert module.cells_of(module.text, nb) == ["x = 1", "%time f()\ny = 2"]
    first, second = module.text.split("# <tfnp-migrate: cell 1>\n")
    swapped = "# <tfnp-migrate: cell 1>\n" + second + first
    assert module.cells_of(swapped, nb) == "a rewrite moved a cell boundary"
    placeholder = second.splitlines(keepends=True)[0]
    dropped = module.text.replace(placeholder, "")
    assert module.cells_of(dropped, nb) == "a rewrite moved IPython syntax in cell 2"
    indented = module.text.replace(placeholder, "    " + placeholder)
    assert module.cells_of(indented, nb) == "a rewrite moved IPython syntax in cell 2"


# --- property: a notebook is its cells as one module -----------------------------------------


def _split(source: str, rng: random.Random, probability: float) -> list[str]:
    """`source` cut into cells at a random choice of its top-level statements."""
    lines = source.splitlines(keepends=True)
    body = ast.parse(source).body[1:]
    starts = sorted({min([n.lineno] + [d.lineno for d in getattr(n, "decorator_list", [])])
                     for n in body})  # fmt: skip
    cuts = [1, *(s for s in starts if rng.random() < probability), len(lines) + 1]
    return [
        "".join(lines[a - 1 : b - 1]).rstrip("\n") for a, b in zip(cuts, cuts[1:], strict=False)
    ]


PY_CASES = [p for p in CASES if p.suffix == ".py"]


def _same_as_the_module(in_path: Path, probability: float) -> None:
    source = in_path.read_text()
    settings = case_settings(in_path)
    expected = migrate_source(source, settings, str(in_path))
    cells = _split(source, random.Random(in_path.name), probability)
    result = migrate_notebook(written(book(*cells, minor=4)), settings, "x.ipynb")
    assert result.error is None, result.error
    got = [c.source for c in notebook.parse(result.new_source).cells]
    assert len(got) == len(cells)
    joined = "\n".join(got)
    assert ast.dump(ast.parse(joined)) == ast.dump(ast.parse(expected.new_source))
    assert sorted(c.code for c in result.changes) == sorted(c.code for c in expected.changes)
    assert not any(leak in result.new_source for leak in LEAKS)


@pytest.mark.parametrize("in_path", PY_CASES[::12], ids=lambda p: p.name)
def test_a_fixture_cut_into_cells_is_rewritten_as_the_module(in_path: Path) -> None:
    _same_as_the_module(in_path, 0.6)


@pytest.mark.slow
@pytest.mark.parametrize("probability", [0.3, 1.0])
def test_every_fixture_cut_into_cells_is_rewritten_as_the_module(probability: float) -> None:
    failures: list[str] = []
    check: Callable[[Path, float], None] = _same_as_the_module
    for in_path in PY_CASES:
        try:
            check(in_path, probability)
        except AssertionError as exc:
            failures.append(f"{in_path.name}: {exc}")
    assert not failures, failures


@pytest.mark.uses_cache
def test_a_notebook_from_the_result_cache_reports_the_same(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(written(TWO_FINDINGS))
    path.with_name("bad.ipynb").write_text(written(book(IMPORTS, "def broken(:\n    pass")))
    runs = [
        cli(mode, *extra, "--cache-dir", tmp_path / ".cache", path, path.with_name("bad.ipynb"))
        for mode, *extra in [("check", "--format", "json", "-v")] * 2 + [("diff",)] * 2
    ]
    entries = [p for p in (tmp_path / ".cache").rglob("*") if p.is_file()]
    assert len([p for p in entries if p.name != ".gitignore"]) == 2  # one per notebook
    assert runs[0].output == runs[1].output and runs[2].output == runs[3].output
    assert runs[1].exit_code == runs[3].exit_code == 2
    assert '"cell_id"' in runs[1].output and f"--- a/{path}:cell 4" in runs[3].output


def test_top_level_await_is_read_as_it_is() -> None:
    code = "x = await fetch()\nasync for y in stream():\n    print(y)"
    cells = _cells(written(book(IMPORTS, code, FINDING)))
    assert cells == [IMPORTS, code, FIXED]
