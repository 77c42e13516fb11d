"""Reports CI systems read natively: GitHub workflow commands, GitLab Code Quality, JUnit XML.

Rendering only: records in, text out (the records are `report._change_record`'s dicts).
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


def github_lines(changes: Sequence[Record], failures: Sequence[tuple[str, str]]) -> str:
    """`::warning` per finding and `::error` per failed file, annotating the pull request."""
    out = []
    for c in changes:
        props = f"file={_escape_property(c['path'])},line={c['line']},col={c['column']}"
        title = _escape_property(f"{c['code']} ({c['safety']})")
        out.append(f"::warning {props},title={title}::{_escape_data(c['message'])}\n")
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
            "description": f"{c['code']}: {c['message']}",
            "check_name": c["code"],
            "fingerprint": fingerprint,
            "severity": _GITLAB_SEVERITY[c["safety"]],
            "location": {"path": c["path"], "lines": {"begin": c["line"]}},
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
        case = ET.SubElement(suite, "testcase", classname=c["path"],
                             name=f"{c['code']} at {c['line']}:{c['column']}")  # fmt: skip
        failure = ET.SubElement(case, "failure", message=c["message"], type=c["safety"])
        failure.text = f"{c['path']}:{c['line']}:{c['column']}: {c['code']} {c['message']}"
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
