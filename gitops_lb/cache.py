"""The on-disk cache of `validate` (docs/cache.md): what one site spec file gave, by content.

An entry holds what the checks of one file found and need from it later: its findings, its
suppression comments, and the summary of each of its sites that the rules comparing sites read
(gitops_lb.site.summary). It is plain data written as JSON, so reading an entry can never run
code, whoever wrote it.

An entry's name is a hash of everything that can change what the file gives: its content, the
name it is reported under, the gitops-lb version and the files of the installed package (so a
changed rule set is a new key), the Python version, the options that change findings
(--metallb-compat, --disable) and the configuration file's content. An entry starts with a
header line (format, gitops-lb version, its own key, the SHA-256 of the rest): an entry that is
truncated, corrupt, written by another version or under another name is not used, and is
written again. Writes go to a temporary file in the same folder, then `os.replace`, so two runs
writing at once leave one whole entry or the other. A cache folder that cannot be created or
written is skipped without a word: the run checks everything, as with --no-cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from gitops_lb import __version__

ENV = "GITOPS_LB_CACHE_DIR"
DEFAULT_DIR = ".gitops-lb-cache"
FORMAT = 2  # of the entries; a change makes every earlier entry foreign
ENTRIES = f"v{FORMAT}"
GITIGNORE = "# written by gitops-lb: the cache is never committed\n*\n"
PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """$GITOPS_LB_CACHE_DIR, or .gitops-lb-cache in the current folder."""
    return Path(os.environ.get(ENV) or DEFAULT_DIR)


def package_fingerprint() -> str:
    """The files of the installed package (relative path, size, modification time): any
    change to a rule, to lowering or to reading makes every key new."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        try:
            info = path.stat()
        except OSError:
            continue
        h.update(f"{path.relative_to(PACKAGE)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return h.hexdigest()


class Cache:
    """Entries under one folder, for the settings of one run."""

    def __init__(self, folder: Path, settings: dict[str, Any]) -> None:
        self.folder = folder
        self.entries = folder / ENTRIES
        described = {
            "format": FORMAT,
            "gitops-lb": __version__,
            "python": sys.version,
            "package": package_fingerprint(),
            **settings,
        }
        text = json.dumps(described, sort_keys=True, separators=(",", ":"))
        self.prefix = hashlib.sha256(text.encode()).digest()
        self.writable = True  # until a write fails

    def key(self, name: str, content: bytes) -> str:
        """The entry of a file reported as `name` with this content, under these settings."""
        h = hashlib.sha256(self.prefix)
        h.update(name.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
        h.update(content)
        return h.hexdigest()

    def path(self, key: str) -> Path:
        return self.entries / key[:2] / key

    def get(self, key: str) -> Any | None:
        """The payload stored under `key`, or None when there is none that can be trusted."""
        try:
            raw = self.path(key).read_bytes()
        except OSError:
            return None
        return parse_entry(raw, key)

    def put(self, key: str, payload: Any) -> None:
        """Store `payload` (plain data) under `key`; silently nothing when the folder cannot
        be written (a read-only checkout, a CI cache that is not ours)."""
        if not self.writable:
            return
        try:
            data = entry_bytes(key, payload)
        except (TypeError, ValueError):  # not plain data: a bug, but never a failed run
            return
        target = self.path(key)
        try:
            self._prepare(target.parent)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            self.writable = False

    def _prepare(self, folder: Path) -> None:
        if folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(GITIGNORE)
            os.replace(tmp, ignore)
        folder.mkdir(parents=True, exist_ok=True)


def entry_bytes(key: str, payload: Any) -> bytes:
    # ASCII: a file name that is not UTF-8 (a lone surrogate) is escaped, and read back as is
    body = json.dumps(payload, separators=(",", ":")).encode("ascii")
    header = {
        "format": FORMAT,
        "gitops-lb": __version__,
        "key": key,
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    return json.dumps(header, sort_keys=True).encode() + b"\n" + body


def parse_entry(raw: bytes, key: str) -> Any | None:
    """The payload of an entry, if its header is ours and the rest is whole."""
    head, sep, body = raw.partition(b"\n")
    if not sep:
        return None
    try:
        header = json.loads(head)
        if not isinstance(header, dict):
            return None
        if (
            header.get("format") != FORMAT
            or header.get("gitops-lb") != __version__
            or header.get("key") != key
            or header.get("sha256") != hashlib.sha256(body).hexdigest()
        ):
            return None
        return json.loads(body)
    except (ValueError, RecursionError):  # JSON or UTF-8 errors, nesting no entry has
        return None


def open_cache(settings: dict[str, Any]) -> Cache:
    return Cache(cache_dir(), settings)
