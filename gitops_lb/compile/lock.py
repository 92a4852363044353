"""One compile at a time into one DIR: a lock file beside it, `.<DIR>.gitops-lb.lock`.

The lock is an flock() on that file, so the kernel lets it go when its holder exits, however
it exits. The file holds the holder's pid and host, for the message a second compile prints
while it waits (a bounded wait) and when it gives up (exit status 3). The holder removes the
file before it lets go; a run that locked a file just removed tries again, so the lock is
always the file that stands at the path. Without fcntl (Windows) the file is created with
O_EXCL instead and one left by a process that is gone is taken over.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from gitops_lb.errors import GitopsLbError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".gitops-lb.lock"
WAIT_ENV = "GITOPS_LB_LOCK_WAIT"  # seconds a compile waits for another one into the same DIR
DEFAULT_WAIT = 60.0
_POLL = 0.05


class LockedError(GitopsLbError):
    """Another compile holds DIR for longer than the wait (exit status 3)."""


def lock_path(root: Path) -> Path:
    return root.parent / f".{root.name}{SUFFIX}"


def wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV) or DEFAULT_WAIT))
    except ValueError:
        return DEFAULT_WAIT


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _quiet(line: str) -> None:
    """The default on_wait: say nothing (the CLI passes its own, a line on standard error)."""


def _holder_of(fd: int) -> str:
    """'pid N on host H' from the lock file ('another compile' while its holder has not
    written it yet: it does so right after it locks, so a short wait is enough)."""
    for _ in range(20):
        try:
            text = os.pread(fd, 256, 0).decode("utf-8", errors="replace")
        except OSError:
            text = ""
        words = dict(line.split(" ", 1) for line in text.splitlines() if " " in line)
        if "pid" in words:
            return f"pid {words['pid']} on host {words.get('host', '?')}"
        time.sleep(_POLL)
    return "another compile (pid not known)"


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)


@contextmanager
def held(
    root: Path,
    *,
    wait: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold the lock of root while the body runs; waits up to `wait` seconds for another
    holder (calling on_wait once with a line saying whom), then raises LockedError."""
    path = lock_path(root)
    limit = wait_seconds() if wait is None else wait
    on_wait = _quiet if on_wait is None else on_wait
    if fcntl is None:  # pragma: no cover - Windows
        with _held_excl(root, path, limit, on_wait):
            yield path
        return
    deadline = time.monotonic() + limit
    told = False
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        except OSError as exc:
            raise LockedError(f"cannot lock {root} with {path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder_of(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise LockedError(
                    f"{root} is being written by another compile ({holder}, holding {path}); "
                    f"gave up after waiting {limit:g} s ({WAIT_ENV} sets the wait)"
                ) from None
            if not told:
                on_wait(f"waiting for compile {holder} holding {path} (up to {limit:g} s)")
            told = True
            time.sleep(_POLL)
            continue
        except OSError as exc:
            os.close(fd)
            raise LockedError(f"cannot lock {path}: {exc.strerror or exc}") from exc
        if not _same_file(fd, path):  # its last holder removed it: lock the one there now
            os.close(fd)
            continue
        break
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\nhost {socket.gethostname()}\n".encode(), 0)
        yield path
    finally:
        with contextlib.suppress(OSError):  # still holding it: nobody locked this file since
            os.unlink(path)
        os.close(fd)


@contextmanager
def _held_excl(  # pragma: no cover - Windows
    root: Path, path: Path, limit: float, on_wait: Callable[[str], None]
) -> Iterator[None]:
    deadline = time.monotonic() + limit
    told = False
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            try:
                pid = int(path.read_text().split()[1])
            except (OSError, ValueError, IndexError):
                pid = 0
            if pid and not pid_alive(pid):
                path.unlink(missing_ok=True)
                continue
            if time.monotonic() >= deadline:
                raise LockedError(
                    f"{root} is being written by another compile (pid {pid}, holding {path})"
                ) from None
            if not told:
                on_wait(f"waiting for compile pid {pid} holding {path} (up to {limit:g} s)")
            told = True
            time.sleep(_POLL)
    try:
        os.write(fd, f"pid {os.getpid()}\nhost {socket.gethostname()}\n".encode())
        os.close(fd)
        yield
    finally:
        path.unlink(missing_ok=True)
