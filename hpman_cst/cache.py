"""The on-disk cache of per-file index results (and of whole outputs, see ``cli``).

Where: ``$HPMAN_CST_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/hpman-cst`` if that is an
absolute path (the XDG Base Directory rule: a relative one is ignored), else
``~/.cache/hpman-cst`` (``%LOCALAPPDATA%\\hpman-cst`` on Windows).

Never stale: an entry's key hashes the file's bytes and path, the placeholders, the
version of hpman-cst *and the size and modification time of each of its modules* (so an
edited development install misses too), and the Python version (``ast`` differs between
versions). Never fatal: a cache that is missing, corrupt, unreadable or unwritable is
ignored, and the run goes on without it.

Layout: one file per project (``index-<hash>.pickle``: the results of the files of the
last run over that project, keyed by content hash; rewritten only when something
changed), because reading one file is much faster than opening a thousand. Files unused
for 30 days are deleted. Entries are pickles of frozen records, written and read by this
user only.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path

from . import __version__
from .records import FileIndex

try:  # the builtin BLAKE2: importing hashlib would load OpenSSL (about 4 MB of memory)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Python builds without it
    from hashlib import blake2b

__all__ = [
    "ENV_VAR",
    "Cache",
    "IndexCache",
    "OutputMemo",
    "blake2b",
    "code_fingerprint",
    "content_key",
    "default_cache_dir",
]

#: Environment variable naming the cache folder (tests point it at a temporary folder).
ENV_VAR = "HPMAN_CST_CACHE_DIR"
_FORMAT = b"hpman-cst cache 1"
_MAX_AGE = 30 * 24 * 3600.0
_PREFIXES = ("index-", "output-")
#: Names of files being written (see :meth:`Cache.write`), and how long a write may take.
_TEMPORARY = tuple(f".{prefix}" for prefix in _PREFIXES)
_MAX_WRITE = 3600.0


def default_cache_dir() -> str:
    """The cache folder, from the environment (see the module docstring)."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return explicit
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return os.path.join(os.environ["LOCALAPPDATA"], "hpman-cst")
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is invalid, ignore it
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hpman-cst")


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """Identifies the code that produced a result: the cache format, hpman-cst's version,
    each module's name, size and modification time (subpackages included), and the Python
    implementation and minor version."""
    digest = blake2b(digest_size=16)
    digest.update(_FORMAT + b"\0" + __version__.encode())
    digest.update(f"\0{sys.implementation.name}{sys.version_info[:2]}".encode())
    _add_modules(digest, Path(__file__).resolve().parent, "")
    return digest.digest()


def _add_modules(digest: blake2b, folder: Path, prefix: str) -> None:
    # Subpackages too (cli/, refactor/, lint/, ...): a remembered output depends on them.
    with contextlib.suppress(OSError):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                info = entry.stat()
                name = prefix + entry.name
                digest.update(f"\0{name}:{info.st_size}:{info.st_mtime_ns}".encode())
            elif entry.is_dir() and os.path.exists(os.path.join(entry.path, "__init__.py")):
                _add_modules(digest, Path(entry.path), f"{prefix}{entry.name}/")


def content_key(salt: bytes, path: str, data: bytes) -> bytes:
    """The cache key of the file ``path`` holding ``data``, under ``salt``
    (:attr:`IndexCache.salt`)."""
    digest = blake2b(salt, digest_size=20)
    digest.update(os.fsencode(path) + b"\0")
    digest.update(data)
    return digest.digest()


def _hash_name(*parts: str) -> str:
    return blake2b("\0".join(parts).encode(), digest_size=10).hexdigest()


class Cache:
    """A folder of small named files, each written atomically. Every I/O error is
    swallowed: reading gives ``None``, writing does nothing."""

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory if directory is not None else default_cache_dir()

    def read(self, name: str) -> bytes | None:
        """The contents of ``name``, or ``None``."""
        try:
            with open(os.path.join(self.directory, name), "rb") as handle:
                return handle.read()
        except (OSError, ValueError):
            return None

    def write(self, name: str, data: bytes) -> bool:
        """Replace ``name`` with ``data`` atomically; whether it worked."""
        tmp = None
        try:
            os.makedirs(self.directory, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=self.directory)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, os.path.join(self.directory, name))
            return True
        except (OSError, ValueError):
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return False

    def touch(self, name: str) -> None:
        """Mark ``name`` as used now (so :meth:`prune` keeps it)."""
        with contextlib.suppress(OSError, ValueError):
            os.utime(os.path.join(self.directory, name))

    def prune(self, max_age: float = _MAX_AGE) -> None:
        """Delete the cache files not used for ``max_age`` seconds, and the temporary
        files of writers killed while writing (older than an hour: one being written now
        is left alone)."""
        now = time.time()
        with contextlib.suppress(OSError), os.scandir(self.directory) as entries:
            for entry in entries:
                if entry.name.startswith(_PREFIXES):
                    limit = now - max_age
                elif entry.name.startswith(_TEMPORARY):
                    limit = now - _MAX_WRITE
                else:
                    continue
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < limit:
                        os.unlink(entry.path)

    def load(self, name: str) -> object | None:
        """The object pickled in ``name`` by :meth:`dump`, or ``None`` if there is none or
        it is unusable."""
        data = self.read(name)
        if data is None or not data.startswith(_FORMAT):
            return None
        try:
            value: object = pickle.loads(data[len(_FORMAT) :])
        except Exception:  # a corrupt pickle can raise almost anything; never fatal
            return None
        return value

    def dump(self, name: str, value: object) -> bool:
        """Pickle ``value`` into ``name``; whether it worked."""
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an unpicklable value: skip caching rather than fail
            return False
        return self.write(name, _FORMAT + data)


class IndexCache:
    """The per-file index results of one project (a set of paths scanned from one folder,
    with given placeholders).

    :meth:`key` names a file's result; :meth:`get` and :meth:`put` exchange results as
    pickled :class:`FileIndex` bytes; :meth:`save` writes the entries used since loading
    (so the file never grows beyond one run) when anything changed.
    """

    def __init__(self, cache: Cache, project: Iterable[str], placeholders: Collection[str]) -> None:
        self.cache = cache
        ordered = sorted(set(placeholders))
        self.name = f"index-{_hash_name(os.getcwd(), *ordered, '', *project)}.pickle"
        self.salt = code_fingerprint() + "\0".join(ordered).encode() + b"\0\0"
        self._stored: dict[bytes, bytes] | None = None
        self._used: dict[bytes, bytes] = {}

    def key(self, path: str, data: bytes) -> bytes:
        """The key of ``path`` holding ``data``."""
        return content_key(self.salt, path, data)

    def _entries(self) -> dict[bytes, bytes]:
        if self._stored is None:
            loaded = self.cache.load(self.name)
            self._stored = {}
            if isinstance(loaded, dict) and all(
                type(k) is bytes and type(v) is bytes for k, v in loaded.items()
            ):
                self._stored = loaded
        return self._stored

    def get(self, key: bytes, path: str) -> FileIndex | None:
        """The cached result for ``key`` (whose file is ``path``), or ``None``."""
        blob = self._entries().get(key)
        if blob is None:
            return None
        try:
            found = pickle.loads(blob)
        except Exception:  # a corrupt entry is a miss
            return None
        if type(found) is not FileIndex or found.path != path:
            return None
        self._used[key] = blob
        return found

    def put(self, key: bytes, blob: bytes) -> None:
        """Record the pickled result ``blob`` of the file whose key is ``key``."""
        self._used[key] = blob

    def save(self) -> None:
        """Write the entries used in this run, if they differ from the stored ones."""
        stored = self._entries()
        if self._used.keys() == stored.keys():
            self.cache.touch(self.name)
            return
        self.cache.dump(self.name, self._used)
        self.cache.prune()


class OutputMemo:
    """The output of a pure computation, remembered in the cache: ``options`` name the
    slot (one per set of options), ``key`` is everything the output depends on; a value
    stored under another key is never returned."""

    def __init__(self, options: Iterable[str], key: Iterable[object]) -> None:
        self.cache = Cache()
        self.name = f"output-{_hash_name(*options)}.pickle"
        self.key = repr(tuple(key))

    def get(self) -> object | None:
        """The value stored under this key, or ``None``."""
        stored = self.cache.load(self.name)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.key:
            self.cache.touch(self.name)
            value: object = stored[1]
            return value
        return None

    def put(self, value: object) -> None:
        """Remember ``value`` under this key."""
        self.cache.dump(self.name, (self.key, value))
