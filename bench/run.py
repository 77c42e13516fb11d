"""Benchmark: `tfnp-migrate check` against the floor of a plain single-process `ast.parse`.

Corpus: the Python sources of the installed `tensorflow` and `keras` packages, copied to a
temporary folder (found without importing them). Prints, from one run: files, MB, the wall time
of `check` (cold: first run on the fresh copy), its peak memory per process, the `ast.parse`
time over the same files, their ratio, and the time of `tfnp-migrate --help`.

    python bench/run.py [--jobs N] [--select CODES ...] [--corpus DIR] [--keep]

Each `--select` adds one `check` run over the same copy (default: TFNP101, then TFNP101 with
TFNP201, then every codemod), so the cost of each codemod shows as a ratio measured in one run.
Only the first `check` is cold; `ast.parse` runs last, on a warm page cache.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def copy_corpus(dest: Path) -> list[Path]:
    files = []
    for name in ("tensorflow", "keras"):
        src = package_dir(name)
        if src is None:
            sys.exit(f"bench: package {name!r} is not installed (pip install tensorflow-cpu)")
        for path in src.rglob("*.py"):
            target = dest / name / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            files.append(target)
    return files


def time_ast_parse(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        try:
            ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            pass
    return time.perf_counter() - start


def time_check(corpus: Path, jobs: int | None, select: str | None) -> tuple[float, int, dict]:
    cmd = [sys.executable, "-m", "tfnp_migrate", "check", str(corpus), "--format", "json"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    cmd += ["--select", select] if select else []
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1, 2) or not proc.stdout.strip():
        sys.exit(f"bench: check failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, proc.returncode, json.loads(proc.stdout)


def peak_child_rss_mb() -> float:
    # ru_maxrss of RUSAGE_CHILDREN: the largest waited-for descendant (KiB on Linux).
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def time_help() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tfnp_migrate", "--help"], capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--select", action="append", default=None)
    parser.add_argument("--corpus", type=Path, help="use this folder instead of a fresh copy")
    parser.add_argument("--keep", action="store_true", help="keep the copied corpus")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tfnp-bench-"))
    try:
        if args.corpus:
            corpus, files = args.corpus, sorted(args.corpus.rglob("*.py"))
        else:
            corpus, files = tmp, copy_corpus(tmp)
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        print(f"corpus: {len(files)} files, {size_mb:.1f} MB ({corpus})")
        runs = []
        for select in args.select or ["TFNP101", "TFNP101,TFNP201", "TFNP"]:
            check_s, code, report = time_check(corpus, args.jobs, select)
            runs.append((select, check_s, code, report.get("summary", {})))
        rss = peak_child_rss_mb()
        ast_s = time_ast_parse(files)
        print(f"ast.parse, single process: {ast_s:.2f} s ({size_mb / ast_s:.1f} MB/s)")
        for i, (select, check_s, code, summary) in enumerate(runs):
            cold = "cold" if i == 0 else "warm"
            print(
                f"check --select {select} ({cold}, jobs={args.jobs or os.cpu_count()}): "
                f"{check_s:.2f} s = {check_s / ast_s:.2f}x ast.parse (target <= 3x), exit {code}"
            )
            print(f"  findings: {json.dumps(summary, sort_keys=True)}")
        print(f"peak RSS of any check process: {rss:.0f} MB (target < 300 MB)")
        print(f"tfnp-migrate --help: {time_help():.2f} s (target < 0.5 s)")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
