"""Regenerate `tfnp_migrate/analysis/data/tensorflow_releases.json` from the package index (PyPI).

    python scripts/update_tf_releases.py [--out PATH] [--packages tensorflow tensorflow-cpu ...]

For every final release 2.0 or newer of each TensorFlow distribution it records the
`Requires-Python` of its files, the Python versions and platforms it ships wheels for, and the
`Requires-Dist: numpy` lines of its wheel metadata (markers kept, per Python version: TF 2.16
declares a different NumPy floor for 3.12). For NumPy it records every final release with the
Python versions it has wheels or a source distribution for. Tests and the tool only read the
JSON; only this script touches the network.

Why not `pip install --dry-run --no-deps --report`: with pip 23.2 (and `--use-feature=fast-deps`)
it downloads each ~200 MB wheel to read its metadata (PyPI serves no PEP 658 metadata for these
wheels). This script reads the `*.dist-info/METADATA` member through HTTP range requests: the
zip's central directory at the end of the file, then the one member, some 100 KB per wheel.
"""

from __future__ import annotations

import argparse
import datetime
import email.parser
import io
import json
import re
import sys
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.utils import parse_wheel_filename
from packaging.version import InvalidVersion, Version

INDEX = "https://pypi.org/simple"
PACKAGES = ("tensorflow", "tensorflow-cpu", "tensorflow-macos", "tensorflow-intel")
OUT = Path(__file__).resolve().parents[1] / "tfnp_migrate/analysis/data/tensorflow_releases.json"
_PLATFORMS = (("manylinux", "linux"), ("linux", "linux"), ("macosx", "darwin"), ("win", "win32"))


def _index(name: str) -> dict:
    request = urllib.request.Request(
        f"{INDEX}/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


class _RemoteFile(io.RawIOBase):
    """A seekable, read-only view of a URL through HTTP range requests, in 256 KB blocks."""

    BLOCK = 256 * 1024

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size, self.pos = url, size, 0
        self.blocks: dict[int, bytes] = {}

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def _block(self, index: int) -> bytes:
        if index not in self.blocks:
            start = index * self.BLOCK
            end = min(self.size, start + self.BLOCK) - 1
            request = urllib.request.Request(self.url, headers={"Range": f"bytes={start}-{end}"})
            with urllib.request.urlopen(request, timeout=60) as response:
                if response.status != 206:
                    raise OSError(f"{self.url}: no range support (HTTP {response.status})")
                self.blocks[index] = response.read()
        return self.blocks[index]

    def read(self, n: int = -1) -> bytes:
        end = self.size if n is None or n < 0 else min(self.size, self.pos + n)
        out = bytearray()
        while self.pos < end:
            block = self._block(self.pos // self.BLOCK)
            offset = self.pos % self.BLOCK
            piece = block[offset : offset + end - self.pos]
            out += piece
            self.pos += len(piece)
        return bytes(out)

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def wheel_metadata(url: str, size: int) -> email.message.Message:
    with zipfile.ZipFile(_RemoteFile(url, size)) as wheel:
        (name,) = [n for n in wheel.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        return email.parser.BytesParser().parsebytes(wheel.read(name), headersonly=True)


def _python(tag: str) -> str | None:
    match = re.fullmatch(r"cp3(\d+)", tag)
    return f"3.{match.group(1)}" if match else None


def _platform(tag: str) -> str | None:
    return next((name for prefix, name in _PLATFORMS if tag.startswith(prefix)), None)


def _final(version: str) -> Version | None:
    try:
        parsed = Version(version)
    except InvalidVersion:
        return None
    return parsed if not parsed.is_prerelease and not parsed.is_devrelease else None


def tensorflow_releases(name: str) -> dict[str, dict]:
    """version -> requires_python, wheels {python: [platforms]}, numpy {python: [lines]} and,
    for stubs, depends {python: [lines naming another TF distribution]}."""
    files: dict[str, list[dict]] = {}
    for entry in _index(name)["files"]:
        if not entry["filename"].endswith(".whl") or entry.get("yanked"):
            continue
        _, version, _, tags = parse_wheel_filename(entry["filename"])
        if _final(str(version)) is None or version < Version("2.0"):
            continue
        files.setdefault(str(version), []).append(entry | {"tags": tags})
    jobs = {}
    releases: dict[str, dict] = {}
    for version, entries in files.items():
        wheels: dict[str, set[str]] = {}
        for entry in entries:
            for tag in entry["tags"]:
                python, platform = _python(tag.interpreter), _platform(tag.platform)
                if python and platform:
                    wheels.setdefault(python, set()).add(platform)
        requires = sorted({e.get("requires-python") or "" for e in entries})
        releases[version] = {
            "requires_python": requires[-1] if requires else "",
            "wheels": {p: sorted(v) for p, v in sorted(wheels.items(), key=_by_python)},
            "numpy": {},
        }
        for python in wheels:
            # metadata is read from the largest wheel for that Python (a real build, not the
            # 2 KB Windows stubs of tensorflow-cpu that only depend on tensorflow-intel)
            candidates = [e for e in entries if any(_python(t.interpreter) == python
                                                     for t in e["tags"])]  # fmt: skip
            best = max(candidates, key=lambda e: e["size"])
            jobs[(version, python)] = best
    with ThreadPoolExecutor(8) as pool:
        fetched = pool.map(lambda e: wheel_metadata(e["url"], e["size"]), jobs.values())
        metas = dict(zip(jobs, fetched, strict=True))
    for (version, python), meta in metas.items():
        requires = meta.get_all("Requires-Dist") or ()
        releases[version]["numpy"][python] = [r for r in requires if re.match(r"numpy\b", r, re.I)]
        # stub wheels (tensorflow-macos 2.15.1 on x86, Windows tensorflow-cpu) only depend on
        # another TF distribution, whose NumPy requirement then holds
        shims = [
            r
            for r in requires
            if re.match(r"tensorflow(?:-[a-z]+)*\s*[=(<>!~ ]", r, re.I)
            and not re.match(r"tensorflow-(?:estimator|io|text|hub|addons|probability)", r, re.I)
        ]
        if shims:
            releases[version].setdefault("depends", {})[python] = shims
        if not releases[version]["requires_python"]:
            releases[version]["requires_python"] = meta.get("Requires-Python") or ""
    for release in releases.values():
        release["numpy"] = dict(sorted(release["numpy"].items(), key=_by_python))
        if "depends" in release:
            release["depends"] = dict(sorted(release["depends"].items(), key=_by_python))
    return dict(sorted(releases.items(), key=lambda item: Version(item[0])))


def numpy_releases() -> dict[str, dict]:
    """version -> requires_python and the Python versions with a wheel (any platform)."""
    releases: dict[str, dict] = {}
    for entry in _index("numpy")["files"]:
        filename = entry["filename"]
        if entry.get("yanked"):
            continue
        if filename.endswith(".whl"):
            _, version, _, tags = parse_wheel_filename(filename)
            pythons = {p for t in tags if (p := _python(t.interpreter))}
        else:
            match = re.fullmatch(r"numpy-(.+)\.(?:tar\.gz|zip)", filename)
            if not match:
                continue
            version, pythons = Version(match.group(1)), set()
        if _final(str(version)) is None or version < Version("1.16"):
            continue
        release = releases.setdefault(str(version), {"requires_python": "", "wheels": set()})
        release["requires_python"] = (
            release["requires_python"] or entry.get("requires-python") or ""
        )
        release["wheels"] |= pythons
    return {
        v: {"requires_python": r["requires_python"], "wheels": sorted(r["wheels"], key=_by_python)}
        for v, r in sorted(releases.items(), key=lambda item: Version(item[0]))
    }


def _by_python(item: object) -> tuple[int, ...]:
    text = item[0] if isinstance(item, tuple) else item
    return tuple(int(p) for p in str(text).split("."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--packages", nargs="+", default=list(PACKAGES))
    args = parser.parse_args()
    data = {
        "generated": datetime.date.today().isoformat(),
        "source": f"{INDEX} (file lists) and each wheel's METADATA (Requires-Dist: numpy)",
        "tensorflow": {},
        "numpy": numpy_releases(),
    }
    for name in args.packages:
        print(f"{name}: reading wheel metadata...", file=sys.stderr, flush=True)
        data["tensorflow"][name] = tensorflow_releases(name)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    count = sum(len(r) for r in data["tensorflow"].values())
    print(f"wrote {args.out}: {count} TensorFlow releases, {len(data['numpy'])} NumPy releases",
          file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
