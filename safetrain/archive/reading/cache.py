"""The parsed-file cache: what reading each file gave, kept between runs.

Reading an archive means parsing, validating and building a model for each
of its thousands of files; from one run to the next almost none of them
changed. The cache keeps, per file, what the loader made of it (the model,
or the finding that it cannot be used, and its A002 problems), and per
archive the whole result of the last few checks, so that a re-run reads
only what changed and a run on an unchanged archive reads nothing.

Where: one SQLite database (cache.sqlite3, a row per archive) in the user's cache folder
(`SAFETRAIN_CACHE_DIR`, else `%LOCALAPPDATA%\\safetrain\\Cache`,
`~/Library/Caches/safetrain` or `$XDG_CACHE_HOME/safetrain`, by default
`~/.cache/safetrain`), never inside an archive: a cache folder inside one
is not used. The files hold the records as read, ID numbers included, so
the folder is private to its user (0700).

When an entry is used (never served stale):
- the tool: every entry and result is keyed by a fingerprint of this
  program (its version, its source files, the TOML parser, the rule codes);
  another fingerprint empties the cache;
- a file: an entry is taken as it is when the file's size, modification
  and change times and inode are those it was made from, and the file was
  not changed within the two seconds before (a change in the same clock
  tick would not show); otherwise the file is read, and when its SHA-256 is
  the entry's, the entry is still good (a file touched but not changed);
  a file renamed is a new path; a file gone drops its entry;
- a result: keyed by the SHA-256 of every file's path and content, the
  rule set's tables, as_of and the options; the files records point to
  (attachments, contracts) are asked again and must answer as before;
  one result more is `fmt`'s (writing/formatting.Canonical): the digests
  of the files it found in the layout, among the KEEP_RESULTS an archive
  keeps (pushed out by checks of other days, it is made again).

Safe when runs overlap or die: SQLite's transactions and locks; a run
that cannot take the lock within a moment does not write. Every value
carries a checksum; a value that fails it, or a database SQLite cannot
read, is not trusted: it is deleted and rebuilt. An archive is known by
its real path, so a cache never answers for another folder.
Values are pickles of builtins, tables and dates, read by an unpickler
that can make nothing else.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import struct
import sys
import time
from datetime import date, datetime, time as daytime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .discover import path_text

SCHEMA = 1
#: a file changed less than this before it was read may change again within the same tick
RACY_NS = 2_000_000_000
#: results kept per archive (one per as_of and options)
KEEP_RESULTS = 8
_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# safetrain's cache; see https://bford.info/cachedir/\n"


def cache_dir() -> Path:
    """Where caches live: SAFETRAIN_CACHE_DIR, else the platform's user cache folder."""
    given = os.environ.get("SAFETRAIN_CACHE_DIR")
    if given:
        return Path(given).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "safetrain" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "safetrain"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "safetrain"


# -- what a value may hold -----------------------------------------------------------------

#: the only classes a value may name: the loader keeps builtins, tables and TOML's dates and times
_ALLOWED = frozenset((c.__module__, c.__qualname__) for c in (date, datetime, daytime, timedelta, timezone, frozenset))


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cache value")
        return super().find_class(module, name)


def dumps(value) -> bytes:
    return pickle.dumps(value, protocol=5)


def loads(blob: bytes, chk: bytes | None = None):
    """A value `dumps` wrote (whose checksum is `chk`, when given); UnpicklingError,
    or another error, for anything else."""
    if chk is not None and _check(blob) != chk:
        raise pickle.UnpicklingError("the value does not match its checksum")
    return _Unpickler(io.BytesIO(blob)).load()


def _check(blob: bytes) -> bytes:
    return hashlib.sha256(blob).digest()[:8]


# -- the tool's fingerprint -------------------------------------------------------------------

def tool_fingerprint(rule_codes: Iterable[str] = (), removed_codes: Iterable[str] = ()) -> str:
    """This program as the cache must know it: version, source, TOML parser, rule codes."""
    from .tomlparse import parser_name

    h = hashlib.sha256(f"{_source()}|{parser_name()}|".encode())
    h.update(",".join(sorted(rule_codes)).encode() + b"|" + ",".join(sorted(removed_codes)).encode())
    return h.hexdigest()


@lru_cache(maxsize=None)
def _source() -> str:
    """The version, the Python and every source and data file of the package."""
    from ... import __version__

    h = hashlib.sha256(f"{SCHEMA}|{__version__}|{sys.version_info[:2]}|".encode())
    package = Path(__file__).resolve().parents[2]
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(package)).encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


# -- a file's signature ----------------------------------------------------------------------------

_SIG = struct.Struct("<qqqQ").pack


def signature(st: os.stat_result, now_ns: int | None = None) -> bytes | None:
    """What must not move for an entry to be taken without reading the file;
    None while the file is racy (changed within RACY_NS of now)."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
    if now_ns - (mtime if mtime > ctime else ctime) < RACY_NS:
        return None
    return _SIG(st.st_size, mtime, ctime, st.st_ino)


def digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


# -- the store ----------------------------------------------------------------------------------

_SCHEMA = ("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
           "CREATE TABLE IF NOT EXISTS archives (id INTEGER PRIMARY KEY, root TEXT UNIQUE NOT NULL,"
           " tool TEXT NOT NULL);"
           "CREATE TABLE IF NOT EXISTS files (archive INTEGER NOT NULL, rel TEXT NOT NULL, sig BLOB,"
           " digest BLOB NOT NULL, value BLOB NOT NULL, chk BLOB NOT NULL, PRIMARY KEY (archive, rel));"
           "CREATE TABLE IF NOT EXISTS results (archive INTEGER NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
           " chk BLOB NOT NULL, used INTEGER NOT NULL, PRIMARY KEY (archive, key));")
#: the database of every archive's entries, in the cache folder
DATABASE = "cache.sqlite3"
_TABLES_SQL = "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"


@lru_cache(maxsize=None)
def _tables() -> list[tuple[str, str]]:
    """The tables _SCHEMA makes, as sqlite_master words them: a database that says schema 1 but
    holds other tables (another program's file) is foreign, and rebuilt like an older one."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    try:
        db.executescript(_SCHEMA)
        return db.execute(_TABLES_SQL).fetchall()
    finally:
        db.close()


@lru_cache(maxsize=None)
def _usable(folder: str) -> str | None:
    """The cache folder's real path, made (private) when missing; None when it is inside an
    archive or cannot be made. Asked once per run, however many archives are read."""
    from .discover import find_root

    try:
        real = os.path.realpath(folder)
        if find_root(Path(real)) is not None:
            return None
        made = not os.path.isdir(real)
        os.makedirs(real, mode=0o700, exist_ok=True)
        if made:
            os.chmod(real, 0o700)
            with open(os.path.join(real, "CACHEDIR.TAG"), "wb") as fh:
                fh.write(_TAG)
    except OSError:
        return None
    return real


#: (process id, database path) -> the open connection: one per process, however many archives it reads
_CONNECTIONS: dict[tuple[int, str], object] = {}


def _connection(path: str):
    import sqlite3

    key = (os.getpid(), path)  # a forked worker opens its own
    db = _CONNECTIONS.get(key)
    if db is None:
        fresh = not os.path.exists(path)
        db = sqlite3.connect(path, timeout=0.5, isolation_level=None, check_same_thread=False)
        try:
            if fresh:
                os.chmod(path, 0o600)
            # no fsync (a crash of the machine may lose the cache, which is never trusted: values have
            # checksums); the journal file is kept between transactions, not made and deleted for each
            db.execute("PRAGMA synchronous=OFF")
            db.execute("PRAGMA journal_mode=PERSIST")
            try:
                schema = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                schema = None
            if schema != (str(SCHEMA),) or db.execute(_TABLES_SQL).fetchall() != _tables():
                db.execute("BEGIN IMMEDIATE")
                for table in ("meta", "archives", "files", "results"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                db.executescript(_SCHEMA)  # commits
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        except BaseException:
            db.close()
            raise
        _CONNECTIONS[key] = db
    return db


def _forget(path: str) -> None:
    db = _CONNECTIONS.pop((os.getpid(), path), None)
    if db is not None:
        try:
            db.close()
        except Exception:  # pragma: no cover - closing a broken handle
            pass


class Entry:
    """One file's row: its signature (None: read and compare the digest), its
    content digest, the pickled value and its checksum (checked when the value
    is read: a re-run that needs no value pays nothing for it)."""

    __slots__ = ("sig", "digest", "blob", "chk")

    def __init__(self, sig: bytes | None, digest: bytes, blob: bytes, chk: bytes | None = None):
        self.sig, self.digest, self.blob = sig, digest, blob
        self.chk = _check(blob) if chk is None else chk


def storable(rel: str) -> bool:
    """Whether the cache can keep a file's path: a name the file system gave undecoded (a folder
    named in GBK, unpacked where names are UTF-8) holds lone surrogates SQLite cannot store, and
    such a file is read again on every run (its value still serves the run that read it)."""
    if rel.isascii():
        return True
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class ArchiveCache:
    """The cache of one archive: its rows in the cache folder's database. Every method
    fails quietly: a cache that cannot be read or written is a cache that is empty."""

    def __init__(self, path: Path, root: Path, tool: str):
        self.path, self.root, self.tool = path, root, tool
        self.key = path_text(root)  # the archive's row: its path as text SQLite takes
        self.id: int | None = None  # the archive's row, once known
        self.changed: dict[str, Entry] = {}
        self.gone: set[str] = set()

    # opening and failing
    @classmethod
    def open(cls, root: Path, tool: str, folder: Path | None = None) -> "ArchiveCache | None":
        """The cache of the archive at `root`; None when the cache folder is inside
        an archive (nothing is written there), cannot be made, or there is no user's
        folder to put it in."""
        try:
            where = folder or cache_dir()
        except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry (a CI container run
            return None                            # under an arbitrary user id): no cache, the same output
        real = _usable(str(where))
        real_root = os.path.realpath(root)
        if real is None or real == real_root or real.startswith(real_root + os.sep):
            return None
        return cls(Path(real) / DATABASE, Path(real_root), tool)

    def _archive(self, db, create: bool = False) -> int | None:
        """This archive's id; a row made by another version of the program is emptied first."""
        if self.id is None:
            row = db.execute("SELECT id, tool FROM archives WHERE root = ?", (self.key,)).fetchone()
            if row is not None and row[1] == self.tool:
                self.id = row[0]
            elif create:  # inside the caller's transaction
                if row is not None:
                    db.execute("DELETE FROM files WHERE archive = ?", (row[0],))
                    db.execute("DELETE FROM results WHERE archive = ?", (row[0],))
                    db.execute("UPDATE archives SET tool = ? WHERE id = ?", (self.tool, row[0]))
                    self.id = row[0]
                else:
                    self.id = db.execute("INSERT INTO archives (root, tool) VALUES (?, ?)",
                                         (self.key, self.tool)).lastrowid
        return self.id

    def _failed(self, exc: Exception) -> None:
        """A cache that cannot be used: closed; removed when it is damaged (not merely busy)."""
        import sqlite3

        _forget(str(self.path))
        self.id = None
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            for suffix in ("", "-journal"):
                try:
                    os.unlink(f"{self.path}{suffix}")
                except OSError:
                    pass

    def _guard(self, work, default):
        """work(db), once more on a new file when the old one was damaged; `default` when it fails."""
        import sqlite3

        for attempt in (1, 2):
            try:
                return work(_connection(str(self.path)))
            except (sqlite3.Error, OSError) as exc:
                self._failed(exc)
                if attempt == 2 or isinstance(exc, (sqlite3.OperationalError, OSError)):
                    return default
        return default  # pragma: no cover

    def close(self) -> None:
        """Nothing to do: the process keeps its one connection for the next archive."""

    # files
    def entries(self) -> dict[str, Entry]:
        """rel -> Entry of every file the cache knows."""
        def read(db):
            archive = self._archive(db)
            if archive is None:
                return {}
            return {rel: Entry(sig, dig, value, chk) for rel, sig, dig, value, chk in
                    db.execute("SELECT rel, sig, digest, value, chk FROM files WHERE archive = ?", (archive,))}
        return self._guard(read, {})

    def put(self, rel: str, entry: Entry) -> None:
        """Remember a new or changed entry (written by `write`)."""
        self.changed[rel] = entry

    def drop(self, rels: Iterable[str]) -> None:
        self.gone.update(rels)

    def write(self, result: tuple[str, bytes] | None = None) -> None:
        """Write the changed entries, drop the gone ones and keep `result` (key, value), in
        one transaction; nothing when another run holds the lock a moment too long."""
        if not self.changed and not self.gone and result is None:
            return

        def write(db):
            db.execute("BEGIN IMMEDIATE")
            try:
                archive = self._archive(db, create=True)
                db.executemany("DELETE FROM files WHERE archive = ? AND rel = ?",
                               [(archive, r) for r in self.gone if r not in self.changed and storable(r)])
                db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                               ((archive, rel, e.sig, e.digest, e.blob, e.chk) for rel, e in self.changed.items()
                                if storable(rel)))
                if result is not None:
                    key, blob = result
                    db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)",
                               (archive, key, blob, _check(blob), time.time_ns()))
                    db.execute("DELETE FROM results WHERE archive = ? AND key NOT IN "
                               "(SELECT key FROM results WHERE archive = ? ORDER BY used DESC LIMIT ?)",
                               (archive, archive, KEEP_RESULTS))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                self.id = None
                raise
            self.changed, self.gone = {}, set()
        self._guard(write, None)

    # results
    def result(self, key: str) -> bytes | None:
        def read(db):
            archive = self._archive(db)
            if archive is None:
                return None
            row = db.execute("SELECT value, chk FROM results WHERE archive = ? AND key = ?", (archive, key)).fetchone()
            return row[0] if row is not None and _check(row[0]) == row[1] else None
        return self._guard(read, None)
