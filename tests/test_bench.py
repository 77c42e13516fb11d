"""The benchmark script runs end to end and prints its figures (on the small examples folder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_prints_every_figure() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--corpus", str(ROOT / "examples")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    out = proc.stdout
    assert "corpus: 4 files" in out
    for label in ("all codemods", "TFNP101 alone", "TFNP201 alone", "TFNP301 alone"):
        line = next(ln for ln in out.splitlines() if label in ln)
        assert "cpu" in line and "wall" in line and "rss" in line and "floor cpu" in line, line
    assert "x floor  exit 1" in out  # the examples have findings: check's exit code
    assert "all codemods / most expensive alone:" in out
    assert "TFNP1xx family / TFNP101 alone, fastest of 5 each:" in out
    assert "cache, cold run" in out and "cache, warm run" in out and "faster than cold" in out


def test_bench_check_gate_compares_every_file() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--corpus",
            str(ROOT / "examples"),
            "--check-gate",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "gate: 4 files, 0 results differ" in proc.stdout


def test_bench_says_when_a_tree_is_absent(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path), "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--tree", "tf-models"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "tf-models: skipped, not in" in proc.stdout
    assert "pip download --no-deps tf-models-official==2.20.0" in proc.stdout
