"""Render a VerifyReport as text or JSON, with the exit code the CLI returns."""

from __future__ import annotations

import json
from dataclasses import asdict

from tfnp_migrate import __version__
from tfnp_migrate.verify.run import DIFFERENT, ERROR, FIXED, SAME, UNCHANGED, VerifyReport

_COLORS = {SAME: "32", FIXED: "32", UNCHANGED: "2", DIFFERENT: "31;1", ERROR: "33;1"}
_ORDER = (SAME, FIXED, UNCHANGED, DIFFERENT, ERROR)


def exit_code(report: VerifyReport) -> int:
    """1 if any case is DIFFERENT, else 2 if a case could not be run, else 0."""
    if report.counts.get(DIFFERENT):
        return 1
    return 2 if report.counts.get(ERROR) else 0


def render(report: VerifyReport, fmt: str = "text", color: bool = False) -> tuple[str, int]:
    """The report as `fmt` ("text" or "json") and the exit code."""
    if fmt == "json":
        data = {
            "version": __version__,
            "mode": "verify",
            "cases": [asdict(case) for case in report.cases],
            "summary": {outcome: report.counts.get(outcome, 0) for outcome in _ORDER},
            "seconds": round(report.seconds, 2),
        }
        return json.dumps(data, indent=2) + "\n", exit_code(report)
    lines = []
    for case in report.cases:
        label = f"{case.outcome:<9}"
        if color:
            label = f"\x1b[{_COLORS[case.outcome]}m{label}\x1b[0m"
        lines.append(f"{label} {case.name}")
        if case.detail:
            lines.append(f"          {case.detail}")
    summary = ", ".join(f"{report.counts.get(o, 0)} {o}" for o in _ORDER)
    lines.append(f"{len(report.cases)} cases: {summary} ({report.seconds:.1f} s)")
    return "\n".join(lines) + "\n", exit_code(report)
