"""The README stays true: its codemod table is generated from the classes, and its test command
is the one CI runs. `python tests/test_readme.py --update` regenerates the table."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import codemods

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_TABLE = re.compile(r"(<!-- codemods:start[^>]*-->\n)(.*?)(<!-- codemods:end -->)", re.S)


def codemod_table() -> str:
    rows = ["| code | what it does | fix safety |", "|---|---|---|"]
    for cls in codemods.ALL_CODEMODS:
        rows.append(f"| `{cls.CODE}` | {cls.SUMMARY} | {cls.SAFETY} |")
    return "\n".join(rows) + "\n"


def _commands(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", text, re.S)


def test_codemod_table_is_current() -> None:
    match = _TABLE.search(README.read_text(encoding="utf-8"))
    assert match, "README lacks the codemods:start/end markers"
    assert match.group(2) == codemod_table(), "stale: run `python tests/test_readme.py --update`"


def test_every_codemod_is_documented() -> None:
    assert codemods.ALL_CODEMODS
    for cls in codemods.ALL_CODEMODS:
        sections = cls.doc_sections()
        assert cls.CODE and cls.SUMMARY and cls.SAFETY, cls
        for name in ("why", "fix safety", "known limitations"):
            assert sections.get(name), f"{cls.CODE} docstring lacks '## {name.title()}'"
        if cls.READS_DECLARATIONS:  # no Python to rewrite: its cases are fixture folders
            assert (ROOT / "tests" / "fixtures" / cls.__module__.split(".")[-1]).is_dir()
            continue
        assert any(type(e).__name__ == "Rewrite" for e in cls.EXAMPLES), cls.CODE
        assert any(type(e).__name__ == "Unchanged" for e in cls.EXAMPLES), cls.CODE


def test_codes_are_unique_and_well_formed() -> None:
    codes = [cls.CODE for cls in codemods.ALL_CODEMODS]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"TFNP[1-9]\d\d", code) for code in codes)


def test_readme_commands_are_the_ones_ci_runs() -> None:
    commands = _commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci, "the README's test command must be what .ci/run runs"
    assert "diff examples/" in commands[0]


def update() -> None:
    text = README.read_text(encoding="utf-8")
    README.write_text(_TABLE.sub(lambda m: m.group(1) + codemod_table() + m.group(3), text))


if __name__ == "__main__":
    if "--update" in sys.argv:
        update()
