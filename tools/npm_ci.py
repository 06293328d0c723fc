"""``npm ci``, unless node_modules already holds what package-lock.json pins (tox -e book).

``npm ci`` deletes node_modules and installs everything package-lock.json pins (MathJax,
the figures' Chinese font) again: 3 s on every build.  After it succeeds, this writes
node_modules/.dlhomework-lock, the SHA-256 of package.json and package-lock.json; while
they still match it, ``npm ci`` is not run.  A fresh clone has no node_modules: it runs.

Usage: ``python tools/npm_ci.py`` (exits with npm's status).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
STAMP = ROOT / "node_modules" / ".dlhomework-lock"


def lock_digest() -> str:
    """SHA-256 of package.json and package-lock.json."""
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes() + b"\0")
    return digest.hexdigest()


def main() -> int:
    wanted = lock_digest()
    if STAMP.is_file() and STAMP.read_text(encoding="utf-8") == wanted:
        print("npm ci: node_modules already holds what package-lock.json pins")
        return 0
    npm = shutil.which(COMMAND[0])
    if npm is None:
        print("npm ci: npm not found (install Node.js with npm)", file=sys.stderr)
        return 1
    done = subprocess.run([npm, *COMMAND[1:]], cwd=ROOT, check=False)
    if done.returncode == 0:
        STAMP.write_text(wanted, encoding="utf-8")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
