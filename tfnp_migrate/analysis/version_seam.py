"""TFNP401's judgement: can the TensorFlow and NumPy a project declares be installed and
imported together, on the Python it declares? Pure: declarations and release data in, verdicts
out.

A requirement set is judged per environment (a CPython version the data knows, on Linux, macOS
and Windows, with each requirement's markers evaluated there). What pip would do is modelled
with the wheel metadata: a TF release is a candidate where the TF specifier allows it and it ships
a wheel for that Python and platform; the pair works where some candidate's NumPy requirement and
the project's NumPy specifiers admit one NumPy release with a wheel for that Python. Beyond what
pip checks, TF releases before 2.18 are built against NumPy 1 (`releases.FIRST_BUILT_WITH_NUMPY_2`)
and fail at import beside NumPy 2 even where their metadata allows it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tfnp_migrate.analysis.declarations import Declarations, Declared
from tfnp_migrate.analysis.releases import (
    IMPORT_FAILURE,
    PLATFORMS,
    Releases,
    TfRelease,
    environment,
    python_admitted,
)


@dataclass(frozen=True)
class Verdict:
    at: Declared  # the requirement the finding is reported at
    kind: str  # numpy | python | import | lock | unknown
    message: str


Env = tuple[str, str]  # (python, platform)


def judge(main: Declarations, included: Sequence[Declarations], data: Releases) -> list[Verdict]:
    """Verdicts on `main` (a file) with what it includes (`-r`/`-c`) in force."""
    requirements = [*main.requirements, *(r for d in included for r in d.requirements)]
    python = main.python or next((d.python for d in included if d.python), None)
    pythons = [
        p for p in data.pythons
        if python is None or any(python_admitted(s, p) for s in python.specs)
    ]  # fmt: skip
    locked = [r for r in requirements if r.kind == "locked"]
    if locked:
        return _judge_lock(locked, python, pythons, data)
    verdicts: list[Verdict] = []
    groups = sorted({r.group for r in requirements if r.group is not None})
    seen: set[tuple[int, int, str]] = set()
    for group in (None, *groups):
        scope = [r for r in requirements if r.group is None or r.group == group]
        for verdict in _judge_scope(scope, python, pythons, data):
            key = (verdict.at.line, verdict.at.column, verdict.kind)
            if key not in seen:
                seen.add(key)
                verdicts.append(verdict)
    return verdicts


def _judge_scope(
    scope: list[Declared], python: Declared | None, pythons: list[str], data: Releases
) -> list[Verdict]:
    numpy = [r for r in scope if r.name == "numpy"]
    verdicts = []
    for tf in (r for r in scope if data.of(r.name) and r.kind in ("dependency", "constraint")):
        envs = [(p, plat) for p in pythons for plat in PLATFORMS if _active(tf, p, plat)]
        if not envs:
            continue
        candidates = {env: _candidates(tf, env, data) for env in envs}
        if not any(candidates.values()):
            verdicts.append(
                _no_python(tf, python, pythons, data) if python else _no_release(tf, data)
            )
            continue
        # where no candidate's NumPy requirement is known (a stub whose target the data lacks),
        # the environment is not judged: an unknown is never a finding
        live = {
            env: known for env, rels in candidates.items()
            if (known := [r for r in rels if r.numpy(*env) is not None])
        }  # fmt: skip
        if not live:
            continue
        working = {env: [r for r in rels if _numpy_ok(r, env, numpy, data)]
                   for env, rels in live.items()}  # fmt: skip
        if not any(working.values()):
            verdicts.append(_no_numpy(tf, numpy, live, data))
            continue
        broken = _breaks_at_import(tf, working, numpy, data)
        if broken is not None:
            verdicts.append(broken)
    return verdicts


# -- environments and candidates ---------------------------------------------------------------
def _active(requirement: Declared, python: str, platform: str) -> bool:
    marker = requirement.marker
    return marker is None or bool(marker.evaluate(environment(python, platform)))  # type: ignore[attr-defined]


def _candidates(tf: Declared, env: Env, data: Releases) -> list[TfRelease]:
    python, platform = env
    return [r for r in data.of(tf.name) if tf.allows(str(r.version)) and r.ships(python, platform)]


@functools.cache
def _numpy_versions(python: str, data: Releases) -> tuple[Version, ...]:
    """NumPy releases installable on `python`, newest first."""
    return tuple(sorted((r.version for r in data.numpy if r.installs_on(python)), reverse=True))


def _numpy_choices(
    release: TfRelease, env: Env, numpy: list[Declared], data: Releases
) -> list[Version]:
    """NumPy versions pip may put beside `release` in `env`, newest first."""
    python, platform = env
    spec = release.numpy(python, platform)
    if spec is None:
        return []
    active = [n for n in numpy if _active(n, python, platform)]
    return [
        v for v in _numpy_versions(python, data)
        if spec.contains(v, prereleases=True) and all(n.allows(str(v)) for n in active)
    ]  # fmt: skip


def _numpy_ok(release: TfRelease, env: Env, numpy: list[Declared], data: Releases) -> bool:
    return bool(_numpy_choices(release, env, numpy, data))


def _installs_and_imports(
    release: TfRelease, env: Env, numpy: list[Declared], data: Releases
) -> bool:
    """pip installs it with the newest NumPy admitted, and that NumPy can run it."""
    choices = _numpy_choices(release, env, numpy, data)
    return bool(choices) and (release.runs_with_numpy_2() or choices[0] < Version("2"))


# -- findings ----------------------------------------------------------------------------------
def _no_release(tf: Declared, data: Releases) -> Verdict:
    return Verdict(tf, "unknown", (
        f"no release of {tf.name} known here satisfies `{tf.text}` (release data of "
        f"{data.generated}; `scripts/update_tf_releases.py` refreshes it)"
    ))  # fmt: skip


def _no_python(tf: Declared, python: Declared, pythons: list[str], data: Releases) -> Verdict:
    allowed = [r for r in data.of(tf.name) if tf.allows(str(r.version))]
    shipped = sorted(
        {p for r in allowed for p in r.wheels if python_admitted(r.requires_python, p)},
        key=_python_key,
    )
    fix_tf = next((r for r in data.of(tf.name) if any(r.ships(p) for p in pythons)), None)
    ways = []
    if fix_tf is not None:
        served = [p for p in pythons if fix_tf.ships(p)]
        ways.append(f"{tf.name}>={fix_tf.minor} for Python {_span(served)}")
    if shipped:
        ways.append(f"a Python of {_span(shipped)} (`{python.text}` excludes them)")
    what = f"wheels for Python {_span(shipped)}" if shipped else "no wheels at all"
    return Verdict(tf, "python", (
        f"no {tf.name} release allowed by `{tf.text}` supports the declared Python "
        f"`{python.text}` ({_where(python, tf)}): they ship {what}, so pip finds no "
        f"matching distribution. Smallest change: {', or '.join(ways) or 'none known'}"
    ))  # fmt: skip


def _no_numpy(
    tf: Declared, numpy: list[Declared], live: dict[Env, list[TfRelease]], data: Releases
) -> Verdict:
    newest = max((r for rels in live.values() for r in rels), key=lambda r: r.version)
    env = next(e for e, rels in live.items() if newest in rels)
    spec = newest.numpy(*env) or SpecifierSet()
    at = next((n for n in numpy if n.where == tf.where), tf)
    pins = ", ".join(f"`{n.text}`" + ("" if n.where == at.where else f" ({_where(n, at)})")
                     for n in numpy)  # fmt: skip
    # TF side: the oldest release that installs and imports with the declared NumPy on some
    # Python in force
    fix_tf = next(
        (r for r in data.of(tf.name)
         if any(_installs_and_imports(r, e, numpy, data) for e in live if r.ships(*e))),
        None,
    )  # fmt: skip
    ways = []
    if fix_tf is not None:
        ways.append(f"{tf.name}>={fix_tf.minor} for {pins}")
    ways.append(f"{_numpy_fix(spec)} for TF {newest.minor}")
    import_note = ""
    if not newest.runs_with_numpy_2() and any(
        n.allows("2.0.0") or n.allows("2.4.0") for n in numpy
    ):
        import_note = f"; installed anyway (`--no-deps`, conda beside pip), {IMPORT_FAILURE}"
    return Verdict(at, "numpy", (
        f"`{tf.text}` and {pins} cannot be installed together: {tf.name} {newest.version} (the "
        f"newest release allowed) declares `numpy{spec}`, so pip stops with ResolutionImpossible"
        f"{import_note}. Smallest change: {', or '.join(ways)}"
    ))  # fmt: skip


def _breaks_at_import(
    tf: Declared, working: dict[Env, list[TfRelease]], numpy: list[Declared], data: Releases
) -> Verdict | None:
    """pip takes the newest allowed TF and then the newest NumPy it admits: a TF before 2.18
    beside NumPy 2 installs, then fails at import."""
    for env, rels in working.items():
        if not rels:
            continue
        newest = max(rels, key=lambda r: r.version)
        choices = _numpy_choices(newest, env, numpy, data)
        if newest.runs_with_numpy_2() or not choices or choices[0] < Version("2"):
            continue
        spec = newest.numpy(*env) or SpecifierSet()
        bound = (
            "no upper bound"
            if not any(s.operator in ("<", "<=", "~=", "==") for s in spec)
            else f"`numpy{spec}`"
        )
        return Verdict(tf, "import", (
            f"`{tf.text}` lets pip install NumPy {choices[0]} beside {tf.name} {newest.version} "
            f"(Python {env[0]}): its metadata declares `numpy{spec}` ({bound}), but TensorFlow "
            f"before 2.18 is built against NumPy 1 and {IMPORT_FAILURE}. Smallest change: "
            f"`numpy<2` beside it, or {tf.name}>=2.18"
        ))  # fmt: skip
    return None


def _judge_lock(
    locked: list[Declared], python: Declared | None, pythons: list[str], data: Releases
) -> list[Verdict]:
    numpy = next((r for r in locked if r.name == "numpy"), None)
    verdicts = []
    for tf in (r for r in locked if data.of(r.name)):
        version = str(tf.specs[0]).removeprefix("==")
        release = next((r for r in data.of(tf.name) if str(r.version) == version), None)
        if release is None or numpy is None:
            continue
        numpy_version = str(numpy.specs[0]).removeprefix("==")
        envs = [(p, "linux") for p in pythons if release.numpy(p) is not None] or [
            (p, "linux") for p in release.numpy_lines
        ]
        accepted = [
            e for e in envs if (release.numpy(*e) or SpecifierSet()).contains(numpy_version)
        ]
        spec = release.numpy(*envs[0]) if envs else None
        if not accepted:
            # the oldest release that accepts the locked NumPy and can import beside it
            fix_tf = next((
                r for r in data.of(tf.name)
                if (r.runs_with_numpy_2() or Version(numpy_version) < Version("2"))
                and any((r.numpy(*e) or SpecifierSet("<0")).contains(numpy_version) for e in envs)
            ), None)  # fmt: skip
            other = (
                f", or with {tf.name}>={fix_tf.minor} to keep numpy {numpy_version}"
                if fix_tf
                else ""
            )
            verdicts.append(Verdict(numpy, "lock", (
                f"the lock pairs {tf.name} {version} with numpy {numpy_version}, which it does "
                f"not accept (it declares `numpy{spec}`): no resolver honouring the metadata made "
                f"this lock. Smallest change: relock with {_numpy_fix(spec or SpecifierSet())}"
                f"{other}"
            )))  # fmt: skip
        elif not release.runs_with_numpy_2() and Version(numpy_version) >= Version("2"):
            verdicts.append(Verdict(numpy, "import", (
                f"the lock pairs {tf.name} {version} with numpy {numpy_version}: the metadata "
                f"allows it (`numpy{spec}`), but TensorFlow before 2.18 is built against NumPy 1 "
                f"and {IMPORT_FAILURE}. Smallest change: relock with numpy<2, or "
                f"{tf.name}>=2.18"
            )))  # fmt: skip
    return verdicts


def _numpy_fix(spec: SpecifierSet) -> str:
    """`numpy<2` for a specifier capped below 2.0.0 (the floor pip keeps from TF's own
    metadata), else the whole specifier."""
    caps = [s for s in spec if s.operator in ("<", "<=")]
    if caps:
        cap = min(caps, key=lambda s: Version(s.version))
        version = cap.version.removesuffix(".0").removesuffix(".0")
        return f"numpy{cap.operator}{version}"
    return f"numpy{spec}"


def _python_key(python: str) -> tuple[int, ...]:
    return tuple(int(p) for p in python.split("."))


def _span(pythons: Sequence[str]) -> str:
    ordered = sorted(pythons, key=_python_key)
    if not ordered:
        return "none"
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}-{ordered[-1]}"


def _where(declared: Declared, beside: Declared) -> str:
    """Where `declared` is written, said from the file of `beside`."""
    if declared.where == beside.where:
        return f"line {declared.line}"
    folder = os.path.dirname(beside.where) or "."
    return f"{os.path.relpath(declared.where, folder)}:{declared.line}"
