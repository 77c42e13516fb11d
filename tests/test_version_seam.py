"""TFNP401's verdicts on (TF specifier, NumPy specifier, Python) triples.

Each row's expected verdict is written out, and checked twice: against the tool, and against an
oracle that reads the shipped release data directly (`data/tensorflow_releases.json`, raw JSON
and `packaging`, none of the tool's code): the pair is pip-installable where some TF release
the specifier allows ships a wheel for an admitted Python and some NumPy release with a wheel
for it satisfies both that release's `Requires-Dist: numpy` and the NumPy specifier; it imports
where, on every admitted Python, pip's choice (the newest TF, then the newest NumPy) is
TF >= 2.18 or NumPy < 2.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tfnp_migrate.analysis import declarations, releases, version_seam

RAW = json.loads(
    resources.files("tfnp_migrate.analysis").joinpath("data/tensorflow_releases.json").read_text()
)


def _oracle(tf: str, numpy: str, python: str | None, package: str = "tensorflow") -> str:
    """ok | numpy | python | import, from the raw data (Linux wheels, markers on Python only)."""
    tf_spec, np_spec = SpecifierSet(tf), SpecifierSet(numpy)
    py_spec = SpecifierSet(python or "")
    pythons = sorted({p for r in RAW["tensorflow"][package].values() for p in r["wheels"]},
                     key=lambda p: tuple(map(int, p.split("."))))  # fmt: skip
    admitted = [p for p in pythons if py_spec.contains(f"{p}.0") or py_spec.contains(f"{p}.99")]
    shipped_any = False
    pip_ok = False
    breaks = False  # on some admitted Python, pip's choice fails at import
    for python_version in admitted:
        env = {
            "python_version": python_version,
            "python_full_version": f"{python_version}.0",
            "sys_platform": "linux",
            "platform_system": "Linux",
            "platform_machine": "x86_64",
        }
        tf_candidates = [
            Version(v) for v, r in RAW["tensorflow"][package].items()
            if tf_spec.contains(v) and "linux" in r["wheels"].get(python_version, [])
            and SpecifierSet(r["requires_python"]).contains(f"{python_version}.99")
        ]  # fmt: skip
        if not tf_candidates:
            continue
        shipped_any = True
        numpy_versions = sorted(
            (Version(v) for v, r in RAW["numpy"].items()
             if python_version in r["wheels"] and np_spec.contains(v)),
            reverse=True,
        )  # fmt: skip
        installable = []
        for version in sorted(tf_candidates, reverse=True):
            lines = RAW["tensorflow"][package][str(version)]["numpy"].get(python_version, [])
            spec = SpecifierSet()
            for line in map(Requirement, lines):
                if line.marker is None or Marker(str(line.marker)).evaluate(env):
                    spec &= line.specifier
            choices = [v for v in numpy_versions if spec.contains(v)]
            if choices:
                installable.append((version, choices[0]))
        if installable:
            pip_ok = True
            newest_tf, newest_numpy = installable[0]  # pip: the newest TF, the newest NumPy
            if newest_tf < Version("2.18") and newest_numpy >= Version("2"):
                breaks = True
    if not shipped_any:
        return "python"
    if not pip_ok:
        return "numpy"
    return "import" if breaks else "ok"


TRIPLES = [
    # (TF specifier, NumPy specifier, requires-python, verdict)
    ("==2.15.*", ">=2", None, "numpy"),
    ("==2.15.1", ">=2.0", ">=3.9", "numpy"),
    ("==2.15.1", "<2", None, "ok"),
    ("==2.15.1", "", None, "ok"),
    ("~=2.16.1", ">=2", None, "numpy"),
    ("==2.17.*", "==2.0.0", None, "numpy"),
    ("==2.17.*", "<2", ">=3.12", "ok"),
    ("==2.18.*", ">=2", None, "ok"),
    ("==2.18.*", ">=2.1", None, "numpy"),  # 2.18 caps numpy<2.1.0
    ("==2.19.*", "==2.1.*", None, "ok"),
    ("==2.19.*", ">=2.2", None, "numpy"),
    ("==2.20.0", ">=2.2", None, "ok"),
    ("==2.21.0", ">=2", None, "ok"),
    ("==2.21.0", "<1.26", None, "numpy"),  # 2.21 wants numpy>=1.26.0
    ("==2.14.0", "", None, "import"),  # no upper bound: pip takes NumPy 2
    ("==2.14.0", "<2", None, "ok"),
    ("==2.14.1", "", None, "ok"),  # 2.14.1 added the <2.0.0 cap
    ("==2.10.*", "", None, "import"),
    ("==2.10.*", ">=2", None, "import"),
    ("==2.11.0", "<1.24", None, "ok"),
    ("==2.12.*", ">=1.24", None, "ok"),  # 2.12.0 <1.24, but 2.12.1 <=1.24.3: 1.24.x fits
    ("==2.12.0", ">=1.24", None, "numpy"),
    ("==2.13.*", ">=1.25", None, "numpy"),
    ("==2.13.*", "==1.24.3", None, "ok"),
    ("==2.4.*", ">=1.20", None, "numpy"),  # ~=1.19.2
    ("==2.4.*", "==1.19.5", None, "ok"),
    (">=2.10", ">=2", None, "ok"),  # pip takes 2.21
    (">=2.15,<2.18", ">=2", None, "numpy"),
    (">=2.15,<2.19", ">=2", None, "ok"),
    ("<2.18", ">=2", None, "import"),  # the newest below 2.18 that lets NumPy 2 in
    ("==2.15.1", "", ">=3.12", "python"),  # no 3.12 wheel
    ("==2.16.*", "", ">=3.13", "python"),
    ("==2.20.*", "", ">=3.13", "ok"),
    ("==2.21.*", "", "<3.10", "python"),  # 2.21 requires >=3.10
    ("==2.20.*", "", "<3.10", "ok"),  # 2.20 still ships 3.9
    ("==2.5.*", "", ">=3.10", "python"),
    ("==2.8.*", "", "==3.10.*", "import"),  # numpy>=1.20 uncapped, NumPy 2 has 3.10 wheels
    ("==2.8.*", "<2", "==3.10.*", "ok"),
    ("==2.2.*", "<1.19", "==3.8.*", "ok"),
    ("==2.2.*", ">=1.19", "==3.8.*", "ok"),  # 2.2.1+ cap <1.19.0, but 2.2.0 declares <2.0
    ("==2.2.1", ">=1.19", "==3.8.*", "numpy"),
    ("==2.99.*", "", None, "python"),  # no such release: nothing ships
    ("==2.16.2", ">=1.26,<2", ">=3.12", "ok"),
    ("==2.16.2", "<1.26", ">=3.12", "numpy"),  # 3.12 wants numpy>=1.26.0
    ("==2.16.2", "<1.26", "<3.12", "ok"),
    ("==2.19.0", "==2.1.3", ">=3.13", "python"),  # 2.19 ships no 3.13 wheel
    ("==2.20.0", "==2.1.3", ">=3.13", "ok"),
]


@pytest.mark.parametrize(("tf", "numpy", "python", "expected"), TRIPLES)
def test_verdicts(tf: str, numpy: str, python: str | None, expected: str) -> None:
    oracle = _oracle(tf, numpy, python)
    text = "[project]\nname = 'p'\nversion = '1'\n"
    if python:
        text += f"requires-python = '{python}'\n"
    deps = [f"tensorflow{tf}"] + ([f"numpy{numpy}"] if numpy else ["numpy"])
    text += f"dependencies = {json.dumps(deps)}\n"
    found = declarations.parse("pyproject.toml", text)
    verdicts = version_seam.judge(found, [], releases.load())
    kinds = {v.kind for v in verdicts}
    tool = "ok" if not kinds else ("unknown" if kinds == {"unknown"} else kinds.pop())
    if tool == "unknown":
        tool = "python"  # a release nothing ships: the oracle finds no wheel either
    assert (tool, oracle) == (expected, expected), [v.message for v in verdicts]


def test_there_are_forty_triples_of_every_kind() -> None:
    assert len(TRIPLES) >= 40
    assert {t[3] for t in TRIPLES} == {"ok", "numpy", "python", "import"}


def test_the_numpy_2_table_is_what_the_installed_numpy_computes() -> None:
    """The NumPy 2 half of `data/nep50.json` against the NumPy running the tests (the NumPy 1
    half was printed by the same script under NumPy 1.26.4)."""
    import contextlib
    import io
    import runpy
    from pathlib import Path

    import numpy as np

    from tfnp_migrate.analysis import nep50

    if int(np.__version__.split(".")[0]) < 2:
        pytest.skip("needs NumPy 2")
    script = Path(__file__).resolve().parents[1] / "scripts" / "probe_nep50.py"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(script), run_name="__main__")
    assert json.loads(out.getvalue())["table"] == nep50.tables()["2"]
    assert nep50.tables()["1"]["float32 * float"] == "float64"  # NEP 50's own example
    assert nep50.tables()["2"]["float32 * float"] == "float32"
