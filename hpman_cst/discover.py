"""Paths to the sorted list of Python files a command reads.

Folders are walked for ``*.py`` files. The walk leaves out:

* hidden files and folders (a name starting with ``.``: ``.git``, ``.venv``, ``.tox``);
* ``__pycache__``, ``__pypackages__``, ``site-packages``, ``node_modules``, and folders
  named ``venv`` or ``virtualenv``;
* virtual environments whatever their name (a folder holding ``pyvenv.cfg``, or a conda
  environment's ``conda-meta``);
* inside a git work tree, whatever git ignores (``.gitignore``, ``.git/info/exclude``,
  the global excludes file), asked of git itself with ``git ls-files --others --ignored
  --exclude-standard --directory``; a nested repository or submodule is asked on its own.
  When git is not installed or fails, nothing is left out on account of ``.gitignore``;
* whatever an :class:`Excluder` (``--exclude``) matches.

A ``.py`` entry that is not a regular file or a link to one (a FIFO, a socket, a link to a
device, a broken or looping link) is reported in :attr:`Discovery.problems`, not read.

A path named explicitly is never left out: a file is read whatever its name, a folder is
walked even if it is hidden, ignored or excluded (what is *inside* it still follows the
rules above). Symbolic links to folders are followed, each real folder at most once, so a
link loop ends; a file reachable by several paths is listed once, under its first path in
the order found (real folders are walked before linked ones).

Returned paths are as given, normalised, and relative to the current folder when they
lie below it. Stdlib only; git runs in a subprocess.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Union

from .exceptions import PathNotFound
from .records import Problem, ProblemCode

__all__ = [
    "SKIPPED_NAMES",
    "VENV_MARKERS",
    "Discovery",
    "Excluder",
    "discover",
    "display_path",
]

PathArg = Union[str, "os.PathLike[str]"]

#: Folder names never walked into (hidden folders are skipped as well).
SKIPPED_NAMES = frozenset(
    {"__pycache__", "__pypackages__", "site-packages", "node_modules", "venv", "virtualenv"}
)
#: A folder holding one of these is a virtual environment.
VENV_MARKERS = frozenset({"pyvenv.cfg", "conda-meta"})

_GIT = "git"  # tests replace it to check the fallback
_GIT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Discovery:
    """The files found, sorted, and the folders and ``.py`` entries that could not be read
    (as problems)."""

    files: tuple[str, ...]
    problems: tuple[Problem, ...] = ()


def _glob_regex(pattern: str) -> str:
    """A glob as a regular expression: ``*`` and ``?`` stay within a path segment,
    ``**`` (a whole segment) spans any number of segments, ``[...]`` is a set."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _posix_abspath(path: str) -> str:
    return os.path.abspath(path).replace(os.sep, "/")


class Excluder:
    """``--exclude`` glob patterns.

    A pattern without ``/`` matches the *name* of any file or folder (``tests``,
    ``*_pb2.py``). A pattern with ``/`` matches a path relative to the pattern's base
    folder (``src/legacy``, ``docs/**/conf.py``; a leading ``./`` and a trailing ``/``
    are ignored). ``*`` and ``?`` never match ``/``; ``**`` matches across folders.
    A matching folder is not walked into.
    """

    def __init__(self, patterns: Iterable[str] = (), base: str = ".") -> None:
        self.patterns: tuple[tuple[str, str], ...] = ()
        self._names: list[re.Pattern[str]] = []
        self._paths: list[re.Pattern[str]] = []
        self.add(patterns, base)

    def add(self, patterns: Iterable[str], base: str = ".") -> Excluder:
        """Add ``patterns``, relative to the folder ``base``; returns ``self``."""
        anchor = _posix_abspath(base).rstrip("/")
        for pattern in patterns:
            self.patterns += ((pattern, base),)
            cleaned = pattern.replace(os.sep, "/").strip()
            while cleaned.startswith("./"):
                cleaned = cleaned[2:]
            cleaned = cleaned.rstrip("/")
            if not cleaned:
                continue
            if "/" not in cleaned:
                self._names.append(re.compile(_glob_regex(cleaned) + r"\Z"))
            else:
                regex = re.escape(anchor) + "/" + _glob_regex(cleaned.lstrip("/")) + r"\Z"
                self._paths.append(re.compile(regex))
        return self

    def __bool__(self) -> bool:
        return bool(self._names or self._paths)

    def excludes(self, path: str, name: str | None = None) -> bool:
        """Whether the file or folder ``path`` (its last component ``name``) is excluded."""
        name = os.path.basename(path) if name is None else name
        if any(p.match(name) for p in self._names):
            return True
        if self._paths:
            full = _posix_abspath(path)
            return any(p.match(full) for p in self._paths)
        return False


def display_path(path: PathArg) -> str:
    """``path`` normalised, and relative to the current folder when it lies below it."""
    text = os.path.normpath(os.fspath(path))
    if os.path.isabs(text):
        cwd = os.getcwd()
        if text == cwd:
            return "."
        prefix = cwd.rstrip(os.sep) + os.sep
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


@dataclass
class _GitContext:
    """What git ignores below one folder: paths relative to it, ``/``-separated."""

    dirs: frozenset[str]
    files: frozenset[str]


def _git_ignored(folder: str) -> _GitContext | None:
    """Ask git what it ignores below ``folder``; ``None`` when git cannot tell (not a work
    tree, git missing or failing) or when ``folder`` itself is ignored."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    command = [_GIT, "-C", folder, "ls-files", "-z", "--others", "--ignored"]
    command += ["--exclude-standard", "--directory"]
    try:
        done = subprocess.run(
            command, capture_output=True, env=env, timeout=_GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    entries = [os.fsdecode(e) for e in done.stdout.split(b"\0") if e]
    if "./" in entries:
        return None  # the folder named is ignored as a whole: it was asked for explicitly
    dirs = frozenset(e.rstrip("/") for e in entries if e.endswith("/"))
    files = frozenset(e for e in entries if not e.endswith("/"))
    return _GitContext(dirs, files)


def _in_work_tree(folder: str) -> bool:
    """Whether ``folder`` or a parent holds ``.git`` (cheap test before running git)."""
    current = os.path.abspath(folder)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent


@dataclass
class _Folder:
    path: str  # as displayed
    git: _GitContext | None  # the ignore lists that apply here
    git_rel: str  # this folder relative to the git context's folder ("" = that folder)
    is_root: bool = False


@dataclass
class _Walk:
    """The state of one :func:`discover` call."""

    exclude: Excluder
    gitignore: bool
    as_given: bool = False
    notebooks: bool = False
    found: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seen_dirs: set[tuple[int, int]] = field(default_factory=set)
    linked: list[_Folder] = field(default_factory=list)

    def run(self, root: str) -> None:
        git = None
        if self.gitignore and _in_work_tree(root):
            git = _git_ignored(root)
        stack = [_Folder(root, git, "", is_root=True)]
        while stack or self.linked:
            # Real folders first, then linked ones: a file prefers a path without a link.
            folder = stack.pop() if stack else self.linked.pop(0)
            stack.extend(reversed(list(self._visit(folder))))

    def _visit(self, folder: _Folder) -> Iterator[_Folder]:
        try:
            info = os.stat(folder.path)
            with os.scandir(folder.path) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            message = f"cannot read folder: {exc.strerror or exc}"
            self.problems.append(Problem(ProblemCode.UNREADABLE, message, folder.path))
            return
        identity = (info.st_dev, info.st_ino)
        if identity in self.seen_dirs:
            return
        self.seen_dirs.add(identity)
        names = {e.name for e in entries}
        git, git_rel = folder.git, folder.git_rel
        if not folder.is_root:
            if names & VENV_MARKERS:
                return
            if ".git" in names and self.gitignore:
                git, git_rel = _git_ignored(folder.path), ""
        for entry in entries:
            name = entry.name
            if name.startswith(".") or (name in SKIPPED_NAMES and _is_dir(entry)):
                continue
            rel = f"{git_rel}/{name}" if git_rel else name
            if folder.path == "." and not self.as_given:
                path = name
            else:
                path = os.path.join(folder.path, name)
            if self.exclude and self.exclude.excludes(path, name):
                continue
            if _is_dir(entry):
                if git is not None and rel in git.dirs:
                    continue
                child = _Folder(path, git, rel)
                if entry.is_symlink():
                    self.linked.append(child)
                else:
                    yield child
            elif name.endswith(".py") or (self.notebooks and name.endswith(".ipynb")):
                if git is not None and rel in git.files:
                    continue
                why = _why_unreadable(entry)
                if why is None:
                    self.found.append((path, _file_identity(entry, info.st_dev)))
                else:
                    self.problems.append(Problem(ProblemCode.UNREADABLE, why, path))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _why_unreadable(entry: os.DirEntry[str]) -> str | None:
    """Why a ``.py`` entry met in a folder is not read (``None``: it is a regular file, or
    a link to one). Reported, not skipped: it may be a Python file the user expects read."""
    try:
        mode = entry.stat().st_mode  # (follows links)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if entry.is_symlink() and exc.errno == errno.ENOENT:
            return f"broken symbolic link (to {os.readlink(entry.path)})"
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(mode), "not a file")
    return f"not a regular file ({'a link to ' if entry.is_symlink() else ''}{kind})"


def _file_identity(entry: os.DirEntry[str], device: int) -> tuple[int, int]:
    if entry.is_symlink():
        info = entry.stat()
        return (info.st_dev, info.st_ino)
    return (device, entry.inode())


def discover(
    paths: Iterable[PathArg],
    *,
    exclude: Excluder | None = None,
    gitignore: bool = True,
    as_given: bool = False,
    notebooks: bool = False,
) -> Discovery:
    """The Python files under ``paths`` (files and folders), sorted and de-duplicated.

    Paths are shown normalised and relative to the current folder when below it, or,
    with ``as_given`` (the runtime's ``parse_file``, as hpman's glob spells them), each
    file's path is the path given joined with the names below it.

    With ``notebooks``, folders are walked for ``*.ipynb`` files too (the command line's
    rule; the runtime reads ``.py`` files only).

    Raises :class:`PathNotFound` for a path that does not exist, before reading anything.
    Folders and ``.py`` entries that cannot be read are reported in
    :attr:`Discovery.problems`.
    """
    roots = [os.fspath(p) if as_given else display_path(p) for p in paths]
    for root in roots:
        if not os.path.exists(root):
            raise PathNotFound("no such file or directory", path=root)
    walk = _Walk(exclude or Excluder(), gitignore, as_given, notebooks)
    for root in roots:
        if os.path.isdir(root):
            walk.run(root)
        else:
            info = os.stat(root)
            walk.found.append((root, (info.st_dev, info.st_ino)))
    first: dict[tuple[int, int], str] = {}
    for path, identity in walk.found:
        first.setdefault(identity, path)
    return Discovery(tuple(sorted(set(first.values()))), tuple(walk.problems))
