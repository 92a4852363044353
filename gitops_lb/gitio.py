"""Read YAML files from Git: a revision, the index (staged), or the working tree as Git sees it.

The only module that imports GitPython. Commands import this module inside run(), so the
commands that do not need Git never load it. Problems that stop a command (not a repository,
an unknown revision, no `git` executable) raise GitopsLbError: exit status 3, one line.

File names are repository-relative POSIX paths; the YAML is loaded with
gitops_lb.yamlload.load_text, so positions and syntax findings work as for files on disk.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gitops_lb.compiled import (
    CompiledTree,
    index_without_compiled,
    manifest_folder,
    nothing_but_compiled,
)
from gitops_lb.diagnostics import Location
from gitops_lb.errors import GitopsLbError, UsageError
from gitops_lb.yamlload import (
    YAML_SUFFIXES,
    LoadedFile,
    LoadIssue,
    decode,
    load_text,
    max_file_bytes,
    skip_file,
    too_large_message,
)

try:
    import git
except ImportError as exc:  # GitPython refuses to import without a working `git` executable
    raise GitopsLbError(f"Git is not available: {str(exc).splitlines()[0]}") from exc


@dataclass(slots=True)
class Snapshot:
    """The YAML files found under some paths at one state of a repository."""

    label: str  # "revision HEAD~1 (0123abcd)", "index", "working tree"
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (repo path, content)
    missing: list[str] = field(default_factory=list)  # paths named that hold nothing there
    unmerged: list[str] = field(default_factory=list)  # index paths with merge conflicts
    # (path, why): named or found but not read (too large, a link out of the repository)
    refused: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # notes: submodules and the like
    # folder -> content of each compiled tree's manifest (gitops_lb.compiled), index only
    manifests: dict[str, bytes] = field(default_factory=dict)

    def load(self, *, missing_is_fatal: bool = True) -> list[LoadedFile]:
        """Each file decoded (UTF-8 only) and parsed with positions, in path order.

        Unmerged paths, and (with missing_is_fatal) named paths that hold nothing, come back
        as files with a fatal `file-unreadable` issue, as gitops_lb.yamlload.load_paths does.
        """
        out: list[LoadedFile] = []
        for path, raw in self.files:
            text, issue = decode(raw, path)
            if text is None:
                lf = LoadedFile(path)
                if issue is not None:
                    lf.issues.append(issue)
                out.append(lf)
            else:
                out.append(load_text(text, path))
        return out + self.problem_files(missing_is_fatal=missing_is_fatal)

    def problem_files(self, *, missing_is_fatal: bool = True) -> list[LoadedFile]:
        """The paths that could not be read (load() puts them after the files read)."""
        out: list[LoadedFile] = []
        problems = [(p, "has unresolved merge conflicts in the index") for p in self.unmerged]
        problems += self.refused
        if missing_is_fatal:
            problems += [(p, f"no such file or folder in the {self.label}") for p in self.missing]
        for path, message in problems:
            lf = LoadedFile(path)
            lf.issues.append(LoadIssue("file-unreadable", Location(path), message, fatal=True))
            out.append(lf)
        return out


def _selected(path: str, prefixes: Sequence[str]) -> bool:
    """Is a repository file below one of the named paths ("" = the whole repository)?

    A file named exactly is taken whatever its suffix; below a folder only *.yaml / *.yml
    files outside hidden folders are taken, as gitops_lb.yamlload.expand_paths does on disk.
    """
    for prefix in prefixes:
        if path == prefix:
            return True
        if prefix and not path.startswith(prefix + "/"):
            continue
        rest = path[len(prefix) + 1 :] if prefix else path
        parts = rest.split("/")
        if any(p.startswith(".") for p in parts[:-1]):
            continue
        if parts[-1].endswith(YAML_SUFFIXES):
            return not skip_file(path)
    return False


MAX_LINKS = 40  # links followed in a row before giving up, as the kernel does


def _link_target(link: str, target: str) -> str | None:
    """The repository path a symbolic link at `link` points to; None when it leaves the
    repository (an absolute target or one climbing above the root)."""
    if not target or target.startswith("/"):
        return None
    parts = link.split("/")[:-1]
    for part in target.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _link_text(raw: bytes) -> str:
    return os.fsdecode(raw)


GITLINK = 0o160000  # the mode of a submodule entry


def _under(path: str, prefixes: Sequence[str]) -> bool:
    return any(not p or path == p or path.startswith(p + "/") for p in prefixes)


def _missing(found: Iterable[str], prefixes: Sequence[str]) -> list[str]:
    paths = list(found)
    return [p for p in prefixes if p and not any(f == p or f.startswith(p + "/") for f in paths)]


class Repository:
    """A Git repository found from a folder (default: the current one) upwards."""

    def __init__(self, where: str | os.PathLike[str] = ".") -> None:
        try:
            self.repo = git.Repo(where, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitopsLbError(f"not a Git repository: {os.path.abspath(where)}") from None
        if self.repo.working_tree_dir is None:
            raise GitopsLbError(f"a bare repository has no working tree: {self.repo.git_dir}")
        self.root = Path(self.repo.working_tree_dir).resolve()

    def relative(self, paths: Sequence[str]) -> list[str]:
        """Command-line paths (relative to the current folder) as repository paths."""
        if not paths:
            return [""]
        out: list[str] = []
        for raw in paths:
            full = Path(os.path.abspath(raw))
            try:
                rel = full.relative_to(self.root)
            except ValueError:
                try:
                    rel = full.resolve().relative_to(self.root)
                except ValueError:
                    raise UsageError(f"{raw} is outside the repository {self.root}") from None
            text = PurePosixPath(*rel.parts).as_posix()
            out.append("" if text == "." else text)
        return sorted(set(out))

    def resolve(self, rev: str) -> git.Commit:
        """The commit a revision names; GitopsLbError (exit 3) when there is none."""
        try:
            sha = self.repo.git.rev_parse(
                "--verify", "--quiet", "--end-of-options", rev + "^{commit}"
            )
        except git.GitCommandError:
            raise GitopsLbError(f"unknown revision {rev!r}") from None
        return self.repo.commit(sha.strip())

    def _read(self, snap: Snapshot, path: str, binsha: bytes) -> bytes | None:
        """A blob's content; None (and `path` refused) when it is over the size limit, which
        is checked from the object's header before anything is read."""
        limit = max_file_bytes()
        if self.repo.odb.info(binsha).size > limit:
            snap.refused.append((path, too_large_message(limit)))
            return None
        data: bytes = self.repo.odb.stream(binsha).read()
        return data

    def _follow(
        self,
        snap: Snapshot,
        path: str,
        binsha: bytes,
        lookup: Callable[[str], tuple[int, bytes] | None],
    ) -> bytes | None:
        """The content a symbolic link at `path` leads to, as the working tree would give it;
        None (and `path` refused, or noted when it leads to a folder) otherwise."""
        at, sha = path, binsha
        for _ in range(MAX_LINKS):
            if self.repo.odb.info(sha).size > 4096:
                break
            raw = self.repo.odb.stream(sha).read()
            target = _link_target(at, _link_text(raw))
            if target is None:
                snap.refused.append(
                    (
                        path,
                        f"is a symbolic link to {_link_text(raw)}, outside the repository; "
                        "not followed",
                    )
                )
                return None
            found = lookup(target)
            if found is None:
                snap.refused.append(
                    (path, f"is a symbolic link to {target}, which is not in the {snap.label}")
                )
                return None
            mode, sha = found
            at = target
            if stat.S_ISREG(mode):
                return self._read(snap, path, sha)
            if not stat.S_ISLNK(mode):
                snap.skipped.append(f"{path}: a symbolic link to the folder {target}; skipped")
                return None
        snap.refused.append((path, "is a symbolic link in a loop or too long a chain"))
        return None

    def at_revision(self, rev: str, paths: Sequence[str]) -> Snapshot:
        commit = self.resolve(rev)
        snap = Snapshot(f"revision {rev} ({commit.hexsha[:8]})")
        tree = commit.tree

        def lookup(target: str) -> tuple[int, bytes] | None:
            try:
                obj = tree / target
            except KeyError:
                return None
            return int(obj.mode), bytes(obj.binsha)

        for obj in self._tree_entries(snap, tree, paths):
            path = str(obj.path)
            if stat.S_ISLNK(obj.mode):
                data = self._follow(snap, path, obj.binsha, lookup)
            else:
                data = self._read(snap, path, obj.binsha)
            if data is not None:
                snap.files.append((path, data))
        snap.files.sort()
        snap.refused.sort()
        found = [p for p, _ in snap.files] + [p for p, _ in snap.refused]
        snap.missing = _missing(found, paths)
        return snap

    def _tree_entries(
        self, snap: Snapshot, tree: git.Tree, paths: Sequence[str]
    ) -> Iterator[git.Blob]:
        seen: set[str] = set()
        for prefix in paths:
            try:
                start = tree / prefix if prefix else tree
            except KeyError:
                continue
            objs: Iterable[object] = start.traverse() if isinstance(start, git.Tree) else [start]
            for obj in objs:
                path = str(getattr(obj, "path", ""))
                if isinstance(obj, git.Submodule) or (
                    not isinstance(obj, git.Blob | git.Tree) and path
                ):
                    if path not in seen and (path == prefix or _under(path, paths)):
                        seen.add(path)
                        snap.skipped.append(f"{path}: a Git submodule; skipped")
                    continue
                if not isinstance(obj, git.Blob):
                    continue
                if path not in seen and _selected(path, paths):
                    seen.add(path)
                    yield obj

    def staged(self, paths: Sequence[str]) -> Snapshot:
        """What `git commit` would record: the index, stage 0 (unmerged paths are reported)."""
        snap = Snapshot("index")
        unmerged: set[str] = set()
        entries = self.repo.index.entries

        def lookup(target: str) -> tuple[int, bytes] | None:
            entry = entries.get((target, 0))
            if entry is None:
                if any(str(p).startswith(target + "/") for p, _ in entries):
                    return stat.S_IFDIR, b""
                return None
            return int(entry.mode), bytes(entry.binsha)

        for (raw_path, stage), entry in entries.items():
            path = str(raw_path)
            folder = manifest_folder(path)
            if folder is not None and stage == 0 and stat.S_ISREG(entry.mode):
                into = snap if _selected(path, paths) else Snapshot(snap.label)
                manifest = self._read(into, path, entry.binsha)
                if manifest is not None:
                    snap.manifests[folder] = manifest
            if not _selected(path, paths):
                if stat.S_IFMT(entry.mode) == GITLINK and path in paths:
                    snap.skipped.append(f"{path}: a Git submodule; skipped")
                continue
            if stage != 0:
                unmerged.add(path)
                continue
            if stat.S_ISLNK(entry.mode):
                data = self._follow(snap, path, entry.binsha, lookup)
            elif stat.S_ISREG(entry.mode):
                data = self._read(snap, path, entry.binsha)
            else:  # a submodule
                snap.skipped.append(f"{path}: a Git submodule; skipped")
                continue
            if data is not None:
                snap.files.append((path, data))
        snap.files.sort()
        snap.refused = sorted(set(snap.refused))
        snap.unmerged = sorted(unmerged)
        found = [p for p, _ in snap.files] + snap.unmerged + [p for p, _ in snap.refused]
        snap.missing = _missing(found, paths)
        return snap

    def working_tree(self, paths: Sequence[str]) -> Snapshot:
        """Files Git tracks or would track (untracked but not ignored), read from disk."""
        snap = Snapshot("working tree")
        listing = self.repo.git.ls_files("--cached", "--others", "--exclude-standard", "-z")
        for path in sorted(set(filter(None, listing.split("\0")))):
            if not _selected(path, paths):
                continue
            full = self.root / path
            if full.is_symlink():
                target = full.resolve()
                if not target.is_relative_to(self.root):
                    snap.refused.append(
                        (
                            path,
                            f"is a symbolic link to {target}, outside the repository; not followed",
                        )
                    )
                    continue
            if not full.is_file():
                continue  # deleted in the working tree, a submodule, or a link to a folder
            try:
                limit = max_file_bytes()
                if full.stat().st_size > limit:
                    snap.refused.append((path, too_large_message(limit)))
                    continue
                snap.files.append((path, full.read_bytes()))
            except OSError:
                continue
        found = [p for p, _ in snap.files] + [p for p, _ in snap.refused]
        snap.missing = _missing(found, paths)
        return snap


def staged_files(paths: Sequence[str]) -> list[LoadedFile]:
    """The files below command-line paths as the index holds them, loaded with positions."""
    repo = Repository()
    return repo.staged(repo.relative(paths)).load()


def staged_site_files(paths: Sequence[str]) -> tuple[list[LoadedFile], list[CompiledTree]]:
    """staged_files() without the compiled trees below the paths (gitops_lb.compiled), and
    what was skipped; only a compiled tree's files: no site spec is reported."""
    repo = Repository()
    prefixes = repo.relative(paths)
    snap = repo.staged(prefixes)
    snap.files, trees = index_without_compiled(snap.files, snap.manifests, prefixes)
    files = snap.load()
    if trees and not files:
        files.append(LoadedFile(trees[0].folder, issues=[nothing_but_compiled(trees)]))
    return files, trees


def staged_site_sources(
    paths: Sequence[str],
) -> tuple[list[tuple[str, bytes] | LoadedFile], list[CompiledTree]]:
    """staged_site_files() before parsing: each staged file's (repo path, content) in path
    order, then the files that could not be read (gitops_lb.cache reads what it has not
    seen)."""
    repo = Repository()
    prefixes = repo.relative(paths)
    snap = repo.staged(prefixes)
    snap.files, trees = index_without_compiled(snap.files, snap.manifests, prefixes)
    out: list[tuple[str, bytes] | LoadedFile] = [*snap.files, *snap.problem_files()]
    if trees and not out:
        out.append(LoadedFile(trees[0].folder, issues=[nothing_but_compiled(trees)]))
    return out, trees
