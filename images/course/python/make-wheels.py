#!/usr/bin/env python3
"""Repackage Debian-installed Python distributions as wheels, for an offline pip.

    make-wheels OUTDIR DIST...

For each distribution named (and everything it requires, following Requires-Dist without
extras), find the Debian package that installed it, take that package's files under
/usr/lib/python3/dist-packages, and write a wheel into OUTDIR. pip can then install them with
`--no-index --find-links OUTDIR`, exactly as it would install wheels downloaded from PyPI.
"""

import base64
import hashlib
import importlib.metadata as md
import os
import re
import subprocess
import sys
import sysconfig
import zipfile

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

SITE = "/usr/lib/python3/dist-packages"


def debian_package_of(path):
    out = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True, check=True)
    return out.stdout.split(":", 1)[0]


def package_files(pkg):
    out = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True, check=True)
    return [p for p in out.stdout.splitlines() if os.path.isfile(p)]


def metadata_dir(dist):
    # dist._path is the .dist-info or .egg-info folder it was read from.
    return str(dist._path)  # noqa: SLF001


def console_scripts(files):
    """Entry points for Debian's /usr/bin wrappers, when the dist-info has none."""
    lines = []
    for f in files:
        if not f.startswith("/usr/bin/"):
            continue
        text = open(f, encoding="utf-8", errors="replace").read()
        m = re.search(r"^from ([\w.]+) import (\w+)", text, re.M)
        if m:
            lines.append(f"{os.path.basename(f)} = {m.group(1)}:{m.group(2)}")
    return "[console_scripts]\n" + "\n".join(lines) + "\n" if lines else None


def record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def build_wheel(dist, outdir):
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    version = dist.version
    meta = metadata_dir(dist)
    files = package_files(debian_package_of(meta))
    code = [
        f
        for f in files
        if f.startswith(SITE + "/")
        and "/__pycache__/" not in f
        and not f.startswith(meta + "/")
    ]
    impure = any(f.endswith(".so") for f in code)
    if impure:
        impl = f"cp{sys.version_info.major}{sys.version_info.minor}"
        platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        tag = f"{impl}-{impl}-{platform}"
    else:
        tag = "py3-none-any"

    # METADATA: the original headers, with Requires-Dist taken from what Python parsed
    # (egg-info keeps requirements in requires.txt rather than in its PKG-INFO).
    head = [
        line
        for line in (dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "").split("\n\n")[0].splitlines()
        if not line.startswith("Requires-Dist:")
    ]
    head += [f"Requires-Dist: {r}" for r in dist.requires or []]
    body = (dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "").partition("\n\n")[2]
    metadata = "\n".join(head) + "\n\n" + body

    info = f"{name}-{version}.dist-info"
    extra = {
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: slipway-make-wheels\n"
            f"Root-Is-Purelib: {'false' if impure else 'true'}\nTag: {tag}\n"
        ).encode(),
    }
    entry_points = dist.read_text("entry_points.txt") or console_scripts(files)
    if entry_points:
        extra[f"{info}/entry_points.txt"] = entry_points.encode()
    top_level = dist.read_text("top_level.txt")
    if top_level:
        extra[f"{info}/top_level.txt"] = top_level.encode()

    path = os.path.join(outdir, f"{name}-{version}-{tag}.whl")
    records = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as whl:
        for f in sorted(code):
            arcname = os.path.relpath(f, SITE)
            data = open(f, "rb").read()
            whl.writestr(arcname, data)
            records.append(record_line(arcname, data))
        for arcname, data in extra.items():
            whl.writestr(arcname, data)
            records.append(record_line(arcname, data))
        records.append(f"{info}/RECORD,,")
        whl.writestr(f"{info}/RECORD", "\n".join(records) + "\n")
    print(f"{os.path.basename(path)}: {len(code)} files")


def main():
    outdir, wanted = sys.argv[1], sys.argv[2:]
    os.makedirs(outdir, exist_ok=True)
    seen = set()
    while wanted:
        name = canonicalize_name(wanted.pop())
        if name in seen:
            continue
        seen.add(name)
        dist = md.distribution(name)
        build_wheel(dist, outdir)
        for r in dist.requires or []:
            req = Requirement(r)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                wanted.append(req.name)


if __name__ == "__main__":
    main()
