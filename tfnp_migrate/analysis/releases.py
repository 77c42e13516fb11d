"""What every TensorFlow release accepts: its NumPy requirement, `Requires-Python` and the
Python versions and platforms it ships wheels for, read from the shipped data file
`data/tensorflow_releases.json` (regenerated from the package index's wheel metadata by
`scripts/update_tf_releases.py`; nothing here touches the network).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

# TF 2.18 is the first release built against NumPy 2 (its release notes: "TensorFlow now
# supports and is compiled with NumPy 2.0 by default"). Older wheels cannot run beside NumPy 2
# even where their metadata lets pip install it (TF 2.7-2.11 and 2.14.0 declare no upper
# bound): executed with TF 2.15.1 and NumPy 2.0.2, `import tensorflow` fails with "A module that
# was compiled using NumPy 1.x cannot be run in NumPy 2.0.2" and `ImportError: numpy.core.umath
# failed to import` (../shared/reference/tf-numpy-semantics.md, E.1).
FIRST_BUILT_WITH_NUMPY_2 = Version("2.18")
IMPORT_FAILURE = (
    '`import tensorflow` fails: "A module that was compiled using NumPy 1.x cannot be run in '
    'NumPy 2.x", then "ImportError: numpy.core.umath failed to import"'
)
# Platforms the data distinguishes (wheel tags), and the machines markers are evaluated for.
PLATFORMS = {
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
              "os_name": "posix"},
    "darwin": {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64",
               "os_name": "posix"},
    "win32": {"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
              "os_name": "nt"},
}  # fmt: skip


@dataclass(frozen=True)
class TfRelease:
    package: str
    version: Version
    requires_python: SpecifierSet
    wheels: dict[str, frozenset[str]]  # "3.11" -> platforms with a wheel
    numpy_lines: dict[str, tuple[Requirement, ...]]  # "3.11" -> Requires-Dist: numpy lines
    # stubs: "3.11" -> the TF distributions they install instead (`tensorflow-intel==2.15.1`)
    depends: dict[str, tuple[Requirement, ...]] = field(default_factory=dict)

    def ships(self, python: str, platform: str | None = None) -> bool:
        """True if a wheel exists for `python` (on `platform`) and Requires-Python admits it."""
        platforms = self.wheels.get(python)
        if not platforms or (platform is not None and platform not in platforms):
            return False
        return python_admitted(self.requires_python, python)

    def numpy(self, python: str, platform: str = "linux") -> SpecifierSet | None:
        """The NumPy versions this release's metadata accepts on `python` (markers evaluated),
        through the distribution a stub installs instead; None when the data has no metadata
        for that Python or the stub's target is unknown."""
        return self._numpy(python, platform, 0)

    def _numpy(self, python: str, platform: str, depth: int) -> SpecifierSet | None:
        lines = self.numpy_lines.get(python)
        if lines is None or depth > 3:
            return None
        env = environment(python, platform)
        spec = SpecifierSet()
        for requirement in lines:
            if requirement.marker is None or requirement.marker.evaluate(env):
                spec &= requirement.specifier
        for target in self.depends.get(python, ()):
            if target.marker is not None and not target.marker.evaluate(env):
                continue
            release = next(
                (r for r in load().of(target.name) if target.specifier.contains(r.version)), None
            )
            inner = release._numpy(python, platform, depth + 1) if release is not None else None
            if inner is None:
                return None
            spec &= inner
        return spec

    def runs_with_numpy_2(self) -> bool:
        return self.version >= FIRST_BUILT_WITH_NUMPY_2

    @property
    def minor(self) -> str:
        return f"{self.version.major}.{self.version.minor}"


@dataclass(frozen=True)
class NumpyRelease:
    version: Version
    requires_python: SpecifierSet
    wheels: frozenset[str]

    def installs_on(self, python: str) -> bool:
        """A wheel for `python`, or (for releases with no wheel list) Requires-Python admits it."""
        if self.wheels:
            return python in self.wheels and python_admitted(self.requires_python, python)
        return python_admitted(self.requires_python, python)


@dataclass(frozen=True, eq=False)  # hashed by identity: queries on it are cached
class Releases:
    generated: str
    tensorflow: dict[str, tuple[TfRelease, ...]]  # canonical package name -> releases, oldest first
    numpy: tuple[NumpyRelease, ...]

    @property
    def pythons(self) -> tuple[str, ...]:
        """Every Python version some TF release ships wheels for, oldest first."""
        found = {p for rs in self.tensorflow.values() for r in rs for p in r.wheels}
        return tuple(sorted(found, key=_python_key))

    def of(self, package: str) -> tuple[TfRelease, ...]:
        return self.tensorflow.get(canonicalize_name(package), ())


def python_admitted(spec: SpecifierSet, python: str) -> bool:
    """True if some release of CPython `python` ("3.11") satisfies `spec` (`>=3.11.4` admits
    3.11: its later patch releases do)."""
    return any(spec.contains(f"{python}.{patch}", prereleases=True) for patch in (0, 99))


def environment(python: str, platform: str = "linux") -> dict[str, str]:
    """A marker environment for CPython `python` on `platform`."""
    return {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
        **PLATFORMS[platform],
    }


def _python_key(python: str) -> tuple[int, ...]:
    return tuple(int(p) for p in python.split("."))


@functools.cache
def load() -> Releases:
    """The shipped data (read once per process)."""
    raw = json.loads(
        resources.files("tfnp_migrate.analysis")
        .joinpath("data/tensorflow_releases.json")
        .read_text(encoding="utf-8")
    )
    tensorflow: dict[str, tuple[TfRelease, ...]] = {}
    for package, releases in raw["tensorflow"].items():
        tensorflow[canonicalize_name(package)] = tuple(
            TfRelease(
                package,
                Version(version),
                SpecifierSet(release["requires_python"]),
                {p: frozenset(platforms) for p, platforms in release["wheels"].items()},
                {p: tuple(map(Requirement, lines)) for p, lines in release["numpy"].items()},
                {p: tuple(map(Requirement, ls)) for p, ls in release.get("depends", {}).items()},
            )
            for version, release in releases.items()
        )
    numpy = tuple(
        NumpyRelease(Version(v), SpecifierSet(r["requires_python"]), frozenset(r["wheels"]))
        for v, r in raw["numpy"].items()
    )
    return Releases(raw["generated"], tensorflow, numpy)
