#!/bin/bash
# Runs once in a fresh sandbox: a small catalogue service in /root/app with a three-stage
# Dockerfile (base, test, runtime), its unit tests, a script that stands in for a download
# from a private store (it needs a token), and that token in /root/secrets, outside the
# build context. Then the team's tools in /root/tools: an image whose pip install builds a
# wheel from the team's own source package, the one thing pip caches in a sandbox without
# PyPI (wheels from the image's local wheelhouse are not cached).
set -euo pipefail
mkdir -p /root/app/tests /root/secrets
cd /root/app

# The token: random per sandbox, so that the check can look for it in every layer.
token="cat_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$token" >/root/secrets/catalogue-token
chmod 600 /root/secrets/catalogue-token
digest=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)

cat > app.py <<'PYEOF'
"""catalogue: a tiny web service that lists the catalogue it was built with.

Run it:   python app.py          (serves on port 8000)
Settings: APP_VERSION (shown at /), CATALOGUE (path of catalogue.json, default ./catalogue.json)
"""

import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


def describe(version, catalogue):
    """What / answers: the version and how many items the catalogue has."""
    return {"service": "catalogue", "version": version or "unknown", "items": len(catalogue)}


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["items"]
    except FileNotFoundError:
        return []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        items = load(os.environ.get("CATALOGUE", "catalogue.json"))
        body = json.dumps(describe(os.environ.get("APP_VERSION"), items)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
PYEOF

cat > tests/test_app.py <<'PYEOF'
import unittest

from app import describe


class DescribeTest(unittest.TestCase):
    def test_counts_items(self):
        self.assertEqual(describe("1.0", [{"id": 1}, {"id": 2}])["items"], 2)

    def test_unknown_version(self):
        self.assertEqual(describe("", [])["version"], "unknown")


if __name__ == "__main__":
    unittest.main()
PYEOF

# A stand-in for "download the catalogue from the supplier's private store": there is no
# network here, so it checks the token against its digest instead of sending it anywhere.
cat > fetch_catalogue.py <<PYEOF
"""Fetch the supplier's catalogue into catalogue.json. Needs the supplier's token.

The token is read from the CATALOGUE_TOKEN environment variable if it is set, otherwise
from the file /run/secrets/catalogue (where a build secret with the id "catalogue" appears).
"""

import hashlib
import hmac
import json
import os
import sys

EXPECTED = "$digest"
SECRET_FILE = "/run/secrets/catalogue"


def token():
    if os.environ.get("CATALOGUE_TOKEN"):
        return os.environ["CATALOGUE_TOKEN"].strip()
    try:
        with open(SECRET_FILE, encoding="utf-8") as f:
            return f.read().strip()
    except FileNotFoundError:
        sys.exit(f"fetch_catalogue: no token: set CATALOGUE_TOKEN or provide {SECRET_FILE}")


t = token()
if hashlib.sha256(t.encode()).hexdigest() != EXPECTED:
    sys.exit("fetch_catalogue: the supplier refused the token (401 Unauthorized)")
items = [{"id": i, "name": name} for i, name in enumerate(["anchor", "buoy", "capstan", "davit"], 1)]
receipt = hmac.new(t.encode(), b"catalogue", hashlib.sha256).hexdigest()[:16]
with open("catalogue.json", "w", encoding="utf-8") as f:
    json.dump({"items": items, "receipt": receipt}, f)
print(f"fetch_catalogue: {len(items)} items, receipt {receipt}")
PYEOF

cat > Dockerfile <<'DOCKERFILE'
# Which Python to build on. An ARG before the first FROM can only be used in FROM lines.
ARG PYTHON_TAG=3.13-slim

FROM python:${PYTHON_TAG} AS base
WORKDIR /app
COPY app.py .

# Runs the unit tests. Nothing in the runtime stage needs this stage.
FROM base AS test
COPY tests/ tests/
RUN python -m unittest discover -v -s tests

FROM base AS runtime
RUN useradd --uid 1000 appuser
USER appuser
EXPOSE 8000
CMD ["python", "app.py"]
DOCKERFILE

printf 'tests/__pycache__/\n__pycache__/\n' > .dockerignore

# The team's tools: a source package (an sdist, as a build would publish it) in packages/,
# which pip finds through --find-links and builds into a wheel, and a Dockerfile whose
# pip install leaves pip's cache in the image.
mkdir -p /root/tools/packages
src=$(mktemp -d)
mkdir -p "$src/catalogue_schema-1.0/catalogue_schema"
cat > "$src/catalogue_schema-1.0/pyproject.toml" <<'TOMLEOF'
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "catalogue-schema"
version = "1.0"
description = "Checks a catalogue.json against the catalogue's schema."
requires-python = ">=3.11"

[project.scripts]
catalogue-check = "catalogue_schema:main"
TOMLEOF
cat > "$src/catalogue_schema-1.0/PKG-INFO" <<'PKGEOF'
Metadata-Version: 2.1
Name: catalogue-schema
Version: 1.0
Summary: Checks a catalogue.json against the catalogue's schema.
Requires-Python: >=3.11
PKGEOF
cat > "$src/catalogue_schema-1.0/catalogue_schema/__init__.py" <<'PYEOF'
"""catalogue-schema: checks a catalogue.json against the catalogue's schema.

Usage: catalogue-check FILE
"""

import json
import sys


def problems(catalogue):
    """What is wrong with a catalogue, one sentence per problem."""
    items = catalogue.get("items") if isinstance(catalogue, dict) else None
    if not isinstance(items, list):
        return ['there is no "items" list']
    found = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            found.append(f"item {n} has no numeric id")
        elif not item.get("name"):
            found.append(f"item {n} has no name")
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: catalogue-check FILE")
    with open(sys.argv[1], encoding="utf-8") as f:
        catalogue = json.load(f)
    found = problems(catalogue)
    for p in found:
        print(f"{sys.argv[1]}: {p}")
    if found:
        sys.exit(1)
    n = len(catalogue["items"])
    print(f"{sys.argv[1]}: {n} item{'' if n == 1 else 's'}, all valid")
PYEOF
tar -C "$src" --owner=0 --group=0 -czf /root/tools/packages/catalogue_schema-1.0.tar.gz catalogue_schema-1.0
rm -rf "$src"

cat > /root/tools/requirements.txt <<'REQEOF'
# The team's own package: a source archive in packages/, which pip builds into a wheel.
--find-links packages
catalogue-schema==1.0
# From the wheelhouse of the python:3.13 image (/opt/wheelhouse).
redis==6.1.0
REQEOF

cat > /root/tools/Dockerfile <<'DOCKERFILE'
# The catalogue team's tools. Built on the full image: installing needs pip.
FROM python:3.13
WORKDIR /tools
COPY requirements.txt .
COPY packages/ packages/
# There is no package index here to download build tools from, so pip builds the team's
# source package with the setuptools that python:3.13 already has.
RUN pip install --no-build-isolation -r requirements.txt
# Mount the folder that holds catalogue.json at /data.
CMD ["catalogue-check", "/data/catalogue.json"]
DOCKERFILE
