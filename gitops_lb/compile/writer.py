"""Write the compiled tree atomically, touching only the files the compiler wrote.

DIR/.gitops-lb-manifest lists the files the last compile wrote; everything else in DIR belongs
to someone else. A compile builds the complete new DIR in a temporary folder beside it: the new
files, the manifest, hard links to every file that is not ours (so those keep their inode,
bytes and times) and hard links to the files of ours whose bytes stay the same (compiled
again, unchanged: nothing to create, write or flush). Then the two folders are exchanged in
one step (Linux renameat2 RENAME_EXCHANGE; elsewhere two renames, undone on the next run if a
kill falls between them) and the old folder is removed. A kill at any moment leaves DIR
either as it was or as compiled.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gitops_lb.compile import lock, marker
from gitops_lb.errors import GitopsLbError

MANIFEST = marker.MANIFEST  # also the mark that tells the site spec readers to skip the tree
MANIFEST_HEADER = marker.MANIFEST_HEADER
_TMP = ".gitops-lb-tmp-"
_OLD = ".gitops-lb-old-"


class OutputError(GitopsLbError):
    """DIR cannot be written safely (exit status 3)."""


@dataclass(frozen=True, slots=True)
class Change:
    path: str  # relative to DIR, forward slashes
    old: bytes | None  # None: the file is new
    new: bytes | None  # None: the file goes away

    @property
    def kind(self) -> str:
        return "added" if self.old is None else "deleted" if self.new is None else "changed"


def manifest_bytes(paths: Iterable[str]) -> bytes:
    return (MANIFEST_HEADER + "".join(f"{p}\n" for p in sorted(paths))).encode("utf-8")


def _safe_relpath(text: str) -> bool:
    p = PurePosixPath(text)
    return (
        bool(text)
        and not p.is_absolute()
        and ".." not in p.parts
        and "\\" not in text
        and str(p) == text
    )


def read_manifest(root: Path) -> set[str] | None:
    """The paths the last compile wrote, or None when DIR has no manifest."""
    path = root / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"cannot read {path}: {exc}") from exc
    out: set[str] = set()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not _safe_relpath(line):
            raise OutputError(f"{path}:{n}: {line!r} is not a path inside the folder")
        out.add(line)
    return out


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise OutputError(f"{path} is a folder where gitops-lb writes a file") from exc
    except OSError as exc:
        raise OutputError(f"cannot read {path}: {exc.strerror or exc}") from exc


def changes(root: Path, files: Mapping[str, bytes]) -> list[Change]:
    """What writing `files` (plus the manifest) to root would change; refuses unsafe cases."""
    try:
        return _changes(root, files)
    except OSError as exc:
        raise OutputError(f"cannot read {root}: {exc.strerror or exc}") from exc


def _changes(root: Path, files: Mapping[str, bytes]) -> list[Change]:
    for path in files:  # names are validated long before; still, never write outside root
        if not _safe_relpath(path):
            raise OutputError(f"refusing to write {path!r}: not a path inside {root}")
    wanted = dict(files)
    wanted[MANIFEST] = manifest_bytes(files)
    if not root.exists():
        return [Change(p, None, data) for p, data in sorted(wanted.items())]
    if not root.is_dir():
        raise OutputError(f"{root} exists and is not a folder")
    managed = read_manifest(root)
    if managed is None:
        if any(root.iterdir()):
            raise OutputError(
                f"{root} is not empty and has no {MANIFEST}: it was not written by gitops-lb "
                "compile; choose an empty or new folder"
            )
        managed = set()
    out: list[Change] = []
    for path, data in sorted(wanted.items()):
        target = root / path
        _check_parents(root, path)
        if path != MANIFEST and path not in managed and (target.exists() or target.is_symlink()):
            raise OutputError(
                f"{target} exists but was not written by gitops-lb; move it away to compile here"
            )
        if target.is_symlink():
            raise OutputError(f"{target} is a symbolic link; gitops-lb writes plain files")
        old = _read(target)
        if old != data:
            out.append(Change(path, old, data))
    for path in sorted(managed - set(wanted)):
        target = root / path
        if _via_link(root, path):
            continue  # a link to elsewhere now stands there: what it leads to is not ours
        if target.is_file() and not target.is_symlink():
            out.append(Change(path, _read(target), None))
    return out


def _via_link(root: Path, path: str) -> bool:
    """True when a folder on the way from root to path is a symbolic link (or not a folder)."""
    current = root
    for part in PurePosixPath(path).parts[:-1]:
        current = current / part
        if current.is_symlink() or not current.is_dir():
            return True
    return False


def _check_parents(root: Path, path: str) -> None:
    current = root
    for part in PurePosixPath(path).parts[:-1]:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            raise OutputError(f"{current} is in the way of the folder gitops-lb writes there")


def unified_diff(changes: Iterable[Change], root: str) -> str:
    out: list[str] = []
    for ch in changes:
        a = "/dev/null" if ch.old is None else f"a/{root}/{ch.path}"
        b = "/dev/null" if ch.new is None else f"b/{root}/{ch.path}"
        old = _lines(ch.old)
        new = _lines(ch.new)
        for line in difflib.unified_diff(old, new, a, b):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(data: bytes | None) -> list[str]:
    return [] if data is None else data.decode("utf-8", errors="replace").splitlines(True)


# --- writing ------------------------------------------------------------------------------------


def write_tree(
    root: Path,
    files: Mapping[str, bytes],
    *,
    pause: Callable[[], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> list[Change]:
    """Make root hold exactly `files` plus the manifest, keeping every file that is not ours.

    Returns the changes made (none: nothing was written). `pause` runs between writes (a test
    hook to kill the process mid-write). One compile at a time writes root: another one holding
    it is waited for (on_wait, when given, is told whom, once), up to
    lock.wait_seconds(), then LockedError (exit status 3).
    """
    root = Path(os.path.realpath(root))
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot prepare {root}: {exc.strerror or exc}") from exc
    with lock.held(root, on_wait=on_wait):
        return _write_locked(root, files, pause)


def _write_locked(
    root: Path, files: Mapping[str, bytes], pause: Callable[[], None] | None
) -> list[Change]:
    try:
        _recover(root)
    except OSError as exc:
        raise OutputError(f"cannot prepare {root}: {exc.strerror or exc}") from exc
    todo = changes(root, files)
    if not todo:
        return []
    managed = (read_manifest(root) or set()) if root.exists() else set()
    stage: Path | None = None
    try:
        stage = Path(tempfile.mkdtemp(prefix=_prefix(root, _TMP), dir=root.parent))
        if root.exists():
            _link_foreign(root, stage, managed | {MANIFEST})
            shutil.copymode(root, stage)
        else:
            os.chmod(stage, 0o777 & ~_umask())
        made: set[str] = set()  # the folders of stage made so far: one mkdir each
        # a file whose bytes do not change is the old file itself, linked into the new tree:
        # no new inode to allocate, nothing to write or flush, and removing the old tree then
        # only drops a link (freeing thousands of inodes costs more than writing them)
        changed = {c.path for c in todo}
        for path, data in sorted(files.items()):
            if path in changed or not root.exists():
                _write_file(stage, path, data, made)
            else:
                _link(root / path, stage, path, made)
            if pause is not None:
                pause()
        _write_file(stage, MANIFEST, manifest_bytes(files), made)
        flush_to_disk(stage)
        _fsync_dir(stage)
        if not root.exists():
            os.rename(stage, root)
        elif not _exchange(stage, root):
            _swap_by_rename(stage, root)
        _fsync_dir(root.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {root}: {exc.strerror or exc}") from exc
    finally:
        if stage is not None:  # after the exchange it holds the previous tree
            shutil.rmtree(stage, ignore_errors=True)
    return todo


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# One flush for the whole staged tree where the platform has it: an fsync() per file waits for
# the disk once per file (most of the time `compile` took on a large repository).
_SYNC_ONCE = hasattr(os, "sync")


def _prefix(root: Path, kind: str) -> str:
    """Staging and moved-away folders carry their owner's pid: `.DIR.gitops-lb-tmp-PID-...`."""
    return f".{root.name}{kind}{os.getpid()}-"


def _make_parents(stage: Path, rel: str, made: set[str] | None = None) -> None:
    """The folders of rel inside stage, one at a time: never stage itself, so a staging folder
    removed under a run makes the run fail instead of filling a new one. `made` remembers the
    folders already there, so the many files of one folder cost one mkdir, not one each."""
    folder = rel.rpartition("/")[0]
    if not folder or (made is not None and folder in made):
        return
    current = stage
    for part in PurePosixPath(folder).parts:
        current = current / part
        with contextlib.suppress(FileExistsError):
            current.mkdir()
    if made is not None:
        made.add(folder)
        made.update(str(p) for p in PurePosixPath(folder).parents if str(p) != ".")


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def _write_file(stage: Path, rel: str, data: bytes, made: set[str] | None = None) -> None:
    """One staged file, written straight to its descriptor (no buffered file object: a
    compile writes thousands). Not flushed one by one: flush_to_disk flushes them all."""
    _make_parents(stage, rel, made)
    fd = os.open(stage / rel, _CREATE | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if not _SYNC_ONCE:  # pragma: no cover - Windows
            os.fsync(fd)
    finally:
        os.close(fd)


def flush_to_disk(stage: Path) -> str:
    """Every staged file on disk before the tree is swapped in; returns how.

    "syncfs": Linux flushes only the file system that holds the output, so a compile does not
    wait for every other disk of a busy CI machine; "sync": all file systems (other POSIX
    systems, or when syncfs is refused); "fsync": each file was flushed as it was written.
    """
    if not _SYNC_ONCE:  # pragma: no cover - Windows
        return "fsync"
    if sys.platform.startswith("linux"):
        try:
            syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        except (OSError, AttributeError):  # pragma: no cover - a libc without syncfs
            syncfs = None
        if syncfs is not None:
            syncfs.argtypes = [ctypes.c_int]
            syncfs.restype = ctypes.c_int
            fd = os.open(stage, os.O_RDONLY)
            try:
                if syncfs(fd) == 0:
                    return "syncfs"
            finally:
                os.close(fd)
    os.sync()
    return "sync"


def _fsync_dir(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_foreign(root: Path, stage: Path, managed: set[str]) -> None:
    """Recreate every file and folder of root that is not ours inside stage, by hard links.

    Folders come along when they hold something that is not ours, or nothing at all; a folder
    that held only generated files is left out, so it goes when its files go.
    """
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        rel_dir = here.relative_to(root)
        if not dirnames and not filenames and here != root:
            _make_parents(stage, (rel_dir / "-").as_posix())
        for d in sorted(dirnames):
            if (here / d).is_symlink():
                _link(here / d, stage, (rel_dir / d).as_posix())  # an entry, not a folder
                dirnames.remove(d)
        for f in filenames:
            rel = (rel_dir / f).as_posix()
            if rel not in managed:
                _link(here / f, stage, rel)
    for dirpath, _, _ in os.walk(stage):
        source = root / Path(dirpath).relative_to(stage)
        if source.is_dir() and not source.is_symlink():
            shutil.copymode(source, dirpath)


def _link(src: Path, stage: Path, rel: str, made: set[str] | None = None) -> None:
    _make_parents(stage, rel, made)
    dst = stage / rel
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_by_rename(stage: Path, root: Path) -> None:
    old = Path(tempfile.mkdtemp(prefix=_prefix(root, _OLD), dir=root.parent))
    os.rmdir(old)
    os.rename(root, old)
    os.rename(stage, root)  # a kill before this line is undone by _recover
    os.rename(old, stage)  # so the caller removes it


def _owner_gone(folder: Path) -> bool:
    """True unless the pid in a staging folder's name is another live process. Called with
    root's lock held, so such a process is not a compile into root any more (a reused pid, a
    version of gitops-lb without the lock): its folder is left alone all the same."""
    rest = folder.name.rsplit(_TMP, 1)[-1].rsplit(_OLD, 1)[-1]
    head = rest.split("-", 1)[0]
    if not head.isdigit():
        return True  # no pid in the name: left by a version without one, under no lock
    pid = int(head)
    return pid == os.getpid() or not lock.pid_alive(pid)


def _recover(root: Path) -> None:
    """Undo what a killed run left beside root: a moved-away tree, temporary folders.

    Runs with root's lock held: the compile that made a leftover is gone (the kernel let its
    lock go when it died), and no other compile into root is running."""
    parent = root.parent
    if not parent.is_dir():
        return
    leftovers = sorted(
        p
        for p in parent.iterdir()
        if p.name.startswith((f".{root.name}{_TMP}", f".{root.name}{_OLD}"))
    )
    for p in leftovers:
        if p.name.startswith(f".{root.name}{_OLD}") and not root.exists():
            os.rename(p, root)
        elif _owner_gone(p):
            shutil.rmtree(p, ignore_errors=True)


def sleeper(seconds: float) -> Callable[[], None] | None:
    """The pause hook for a delay in seconds (None for no delay)."""
    if seconds <= 0:
        return None
    return lambda: time.sleep(seconds)
