"""Rendering for `list` and `explain`: everything comes from the codemod classes themselves."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from tfnp_migrate.report import paint, unified_diff

_SECTIONS = (
    ("why", "Why"),
    ("what it reads", "What it reads"),  # rules that read dependency declarations
    ("fix safety", "Fix safety"),
    ("known limitations", "Known limitations"),
    ("rows", "Rows"),
)


def list_text(classes: Sequence[Any], fmt: str = "text") -> str:
    """Every codemod: code, summary and safety, in registry order."""
    rows = [{"code": c.CODE, "summary": c.SUMMARY, "safety": c.SAFETY} for c in classes]
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if not rows:
        return "No codemods are registered.\n"
    width = max(len(r["code"]) for r in rows)
    lines = []
    for row in rows:
        lines.append(f"{row['code']:<{width}}  {row['summary']}")
        lines.append(f"{'':<{width}}  safety: {row['safety']}")
    return "\n".join(lines) + "\n"


_LITERAL = re.compile(r"``(.+?)``", re.S)


def for_terminal(text: str, color: bool = False) -> str:
    """reStructuredText inline literals (``x``) as a terminal shows code: `x`, or bold."""
    return _LITERAL.sub(lambda m: paint(m.group(1), "bold", True) if color else f"`{m.group(1)}`",
                        text)  # fmt: skip


def explain_text(cls: Any, color: bool = False) -> str:
    """The docstring sections of one codemod and each of its examples, rewrites as diffs."""
    sections = {k: for_terminal(v, color) for k, v in cls.doc_sections().items()}
    out = [paint(f"{cls.CODE}: {cls.SUMMARY}", "bold", color), ""]
    if sections.get("summary"):
        out += [sections["summary"], ""]
    for key, title in _SECTIONS:
        if sections.get(key):
            out += [paint(title, "bold", color), textwrap.indent(sections[key], "  "), ""]
    if cls.EXAMPLES:
        out.append(paint("Examples", "bold", color))
    for example in cls.EXAMPLES:
        out.append(_example(example, color))
    return "\n".join(out).rstrip("\n") + "\n"


def _example(example: Any, color: bool) -> str:
    flags = f" (with {' '.join(example.flags)})" if example.flags else ""
    if hasattr(example, "after"):
        name = f"{example.name}.py"
        diff = unified_diff(name, _nl(example.before), _nl(example.after), color)
        return f"\n  {example.name}{flags}: rewritten\n" + textwrap.indent(diff, "    ", bool)
    reason = f": {example.reason}" if example.reason else ""
    body = textwrap.indent(_nl(example.source), "    ")
    return f"\n  {example.name}{flags}: left unchanged{reason}\n{body}"


def _nl(text: str) -> str:
    text = textwrap.dedent(text).lstrip("\n")
    return text if text.endswith("\n") else text + "\n"
