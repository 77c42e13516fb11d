"""Reports CI systems read natively: GitHub workflow commands, GitLab Code Quality, JUnit XML.

Rendering only: records in, text out (the records are `report._change_record`'s dicts).

A finding in a notebook is placed at the line of the `.ipynb` text that holds it (`file_line`:
what a CI system showing the file's diff can annotate), without a column (a column in the cell
is not one in the JSON string), and its message names the cell and the line in it.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from typing import Any

Record = dict[str, Any]

# A finding is something to migrate or review; only files that cannot be processed are errors.
_GITLAB_SEVERITY = {"safe": "minor", "unsafe": "minor", "manual": "major"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _file_place(c: Record) -> tuple[int, int | None]:
    """The line and column of the file a CI system annotates."""
    if c.get("cell") is None:
        return c["line"], c["column"]
    return c["file_line"], None


def _message(c: Record) -> str:
    if c.get("cell") is None:
        return str(c["message"])
    return f"{c['message']} (cell {c['cell'] + 1}, line {c['line']}, column {c['column']})"


def github_lines(changes: Sequence[Record], failures: Sequence[tuple[str, str]]) -> str:
    """`::warning` per finding and `::error` per failed file, annotating the pull request."""
    out = []
    for c in changes:
        line, column = _file_place(c)
        props = f"file={_escape_property(c['path'])},line={line}"
        props += f",col={column}" if column is not None else ""
        title = _escape_property(f"{c['code']} ({c['safety']})")
        out.append(f"::warning {props},title={title}::{_escape_data(_message(c))}\n")
    for path, why in failures:
        out.append(f"::error file={_escape_property(path)},title=tfnp-migrate::"
                   f"{_escape_data(why)}\n")  # fmt: skip
    return "".join(out)


def fingerprints(changes: Sequence[Record]) -> list[str]:
    """Stable ids: path, code and message, plus the occurrence among equal ones (not the line,
    so a finding keeps its id when lines are added above it)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for c in changes:
        key = (c["path"], c["code"], c["message"])
        seen[key] += 1
        out.append(hashlib.sha256(json.dumps([*key, seen[key]]).encode()).hexdigest())
    return out


def gitlab_document(changes: Sequence[Record], failures: Sequence[tuple[str, str]]) -> str:
    """A GitLab Code Quality report (a JSON array of issues)."""
    issues: list[Record] = [
        {
            "description": f"{c['code']}: {_message(c)}",
            "check_name": c["code"],
            "fingerprint": fingerprint,
            "severity": _GITLAB_SEVERITY[c["safety"]],
            "location": {"path": c["path"], "lines": {"begin": _file_place(c)[0]}},
        }
        for c, fingerprint in zip(changes, fingerprints(changes), strict=True)
    ]
    issues += [
        {
            "description": f"tfnp-migrate could not process this file: {why}",
            "check_name": "tfnp-migrate/error",
            "fingerprint": hashlib.sha256(f"error:{path}".encode()).hexdigest(),
            "severity": "critical",
            "location": {"path": path, "lines": {"begin": 1}},
        }
        for path, why in failures
    ]
    return json.dumps(issues, indent=2) + "\n"


def junit_document(
    files: Sequence[Record], changes: Sequence[Record], failures: Sequence[tuple[str, str]]
) -> str:
    """JUnit XML: a test case per finding (failed) and per file without findings (passed)."""
    suite = ET.Element("testsuite", name="tfnp-migrate")
    with_findings = {c["path"] for c in changes}
    failed = dict(failures)
    for c in changes:
        place = f"{c['line']}:{c['column']}"
        if c.get("cell") is not None:
            place = f"cell {c['cell'] + 1}:{place}"
        case = ET.SubElement(suite, "testcase", classname=c["path"],
                             name=f"{c['code']} at {place}")  # fmt: skip
        failure = ET.SubElement(case, "failure", message=c["message"], type=c["safety"])
        failure.text = f"{c['path']}:{place}: {c['code']} {c['message']}"
    for f in files:
        if f["path"] in with_findings:
            continue
        case = ET.SubElement(suite, "testcase", classname=f["path"], name="tfnp-migrate")
        if f["path"] in failed:
            ET.SubElement(case, "error", message=failed[f["path"]])
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(len(changes)))
    suite.set("errors", str(len(failed)))
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def statistics(changes: Sequence[Record]) -> str:
    """Counts per code and safety, most frequent first (`--statistics`)."""
    counts = Counter((c["code"], c["safety"]) for c in changes)
    return "".join(
        f"{n:6d}  {code}  {safety}\n" for (code, safety), n in sorted(
            counts.items(), key=lambda item: (-item[1], item[0])
        )
    )  # fmt: skip


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"safe": "warning", "unsafe": "warning", "manual": "warning"}


def sarif_document(
    rules: Sequence[Any],
    changes: Sequence[Record],
    would_apply: Sequence[bool],
    texts: dict[str, tuple[str, str]],
    failures: Sequence[tuple[str, str]],
    version: str,
    root: str,
) -> str:
    """SARIF 2.1.0 for GitHub code scanning: rules from the codemod classes (with their help
    text), a result per finding with its region, and fixes where a rewrite was computed.

    `texts` maps a changed file's path to (source, new source); each of its diff hunks becomes
    part of the fix of the first applied result it contains (a hunk containing none, such as
    an added import, goes to the file's first applied result), so applying every fix of a
    file gives exactly the text `fix` writes.
    """
    index = {cls.CODE: i for i, cls in enumerate(rules)}
    results = []
    fixes = _fixes_by_result(changes, would_apply, texts, root)
    for n, c in enumerate(changes):
        result: Record = {
            "ruleId": c["code"],
            "level": _SARIF_LEVEL[c["safety"]],
            "message": {"text": _message(c)},
            "locations": [_location(c["path"], root, *_file_place(c))],
            "partialFingerprints": {"tfnpMigrate/v1": fingerprints(changes)[n]},
            "properties": {"safety": c["safety"]},
        }
        if c.get("cell") is not None:
            result["properties"].update(cell=c["cell"], cellId=c["cell_id"], cellLine=c["line"],
                                        cellColumn=c["column"])  # fmt: skip
        if c["code"] in index:
            result["ruleIndex"] = index[c["code"]]
        if n in fixes:
            result["fixes"] = [fixes[n]]
        results.append(result)
    run: Record = {
        "tool": {
            "driver": {
                "name": "tfnp-migrate",
                "version": version,
                "rules": [_rule(cls) for cls in rules],
            }
        },  # fmt: skip
        "originalUriBaseIds": {"%SRCROOT%": {"uri": _file_uri(root)}},
        "results": results,
        "invocations": [
            {
                "executionSuccessful": not failures,
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": why},
                        "locations": [_location(path, root)],
                    }
                    for path, why in failures
                ],
            }
        ],
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"


def _rule(cls: Any) -> Record:
    sections = cls.doc_sections()
    why = sections.get("why", "")
    safety = sections.get("fix safety", "")
    markdown = f"## Why\n\n{why}\n\n## Fix safety\n\n{safety}\n"
    return {
        "id": cls.CODE,
        "name": cls.__name__,
        "shortDescription": {"text": cls.SUMMARY},
        "fullDescription": {"text": why or cls.SUMMARY},
        "help": {"text": f"{why}\n\nFix safety: {safety}", "markdown": markdown},
        "properties": {"safety": cls.SAFETY},
    }


def _relative(path: str, root: str) -> str:
    import os

    rel = os.path.relpath(os.path.abspath(path), root) if path != "-" else "-"
    return rel.replace(os.sep, "/")


def _file_uri(root: str) -> str:
    from pathlib import Path

    return Path(root).resolve().as_uri() + "/"


def _location(path: str, root: str, line: int | None = None, column: int | None = None) -> Record:
    artifact = {"uri": _relative(path, root), "uriBaseId": "%SRCROOT%"}
    physical: Record = {"artifactLocation": artifact}
    if line is not None:
        physical["region"] = {"startLine": line, "startColumn": column or 1}
    return {"physicalLocation": physical}


def _fixes_by_result(
    changes: Sequence[Record],
    would_apply: Sequence[bool],
    texts: dict[str, tuple[str, str]],
    root: str,
) -> dict[int, Record]:
    import difflib

    fixes: dict[int, list[Record]] = {}
    for path, (old, new) in texts.items():
        mine = [n for n, c in enumerate(changes) if c["path"] == path and would_apply[n]]
        if not mine:
            continue
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            start, end = i1 + 1, i2  # the hunk's original lines, 1-based (end < start: insert)
            inside = [n for n in mine if start <= _file_place(changes[n])[0] <= max(start, end)]
            replacement = {
                "deletedRegion": {
                    "startLine": start,
                    "startColumn": 1,
                    "endLine": i2 + 1,
                    "endColumn": 1,
                },  # fmt: skip
                "insertedContent": {"text": "".join(b[j1:j2])},
            }
            # each hunk belongs to one result, so applying all of a file's fixes is `fix`
            fixes.setdefault((inside or mine)[0], []).append(replacement)
    return {
        n: {
            "description": {"text": f"tfnp-migrate fix: {changes[n]['message']}"},
            "artifactChanges": [
                {
                    "artifactLocation": {
                        "uri": _relative(changes[n]["path"], root),
                        "uriBaseId": "%SRCROOT%",
                    },  # fmt: skip
                    "replacements": replacements,
                }
            ],
        }
        for n, replacements in fixes.items()
    }
