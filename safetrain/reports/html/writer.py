"""Writing the site into the folder the user named, all at once.

The pages are written into a new hidden folder next to the target and moved
into place with one rename, so a reader (or a web server) sees the old site or
the new one, never half of each, and a failure leaves the old one.

The target must be empty, absent, or a site this command wrote before (it
carries MARKER, listing its files). Files in it that the command did not
write (a CNAME, a README) are carried over into the new site; a file of the
site that would replace one of them is refused. Never into an archive's
records (archive/writing/outputs.py)."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

from ...archive.writing.atomic import cannot_write
from ...archive.writing.outputs import refuse_records
from ...errors import SafetrainError
from .site import MARKER

_HEADER = "# written by `safetrain report html`; the files below are replaced by its next run\n"


def _manifest(folder: Path) -> set[str] | None:
    """The files a previous run listed, or None when `folder` is not such a site."""
    try:
        text = (folder / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(_HEADER):
        return None
    return {line for line in text.splitlines()[1:] if line}


def _foreign(folder: Path, ours: set[str]) -> list[str]:
    """Paths (relative, "/") in `folder` that the previous run did not write."""
    out = []
    root = os.fspath(folder)
    for top, dirs, files in os.walk(root):
        rel_top = os.path.relpath(top, root).replace(os.sep, "/")
        prefix = "" if rel_top == "." else rel_top + "/"
        for d in list(dirs):  # a symlink to a folder is carried over as it is, not entered
            if os.path.islink(os.path.join(top, d)):
                dirs.remove(d)
                out.append(prefix + d)
        for name in files:
            rel = prefix + name
            if rel not in (MARKER, _KEPT, _WRITER) and rel not in ours:
                out.append(rel)
        if not dirs and not files and prefix:
            out.append(prefix)  # an empty folder someone made
    return sorted(out)


class SiteFolder:
    """The folder `out_dir` being written as a site: checked before any page is made
    (never an archive's records; new, empty or a site written before), the pages
    written into a hidden folder beside it (`folder`, by this process or by the
    workers that render them: `put`), then moved into place at once by `finish`.
    Used as a context manager: left without `finish`, nothing of it remains."""

    def __init__(self, out_dir: str | os.PathLike):
        self.name = out_dir
        out = self.out = Path(os.path.abspath(out_dir))
        refuse_records(out)
        if out.exists() and not out.is_dir():
            raise SafetrainError(f"{out_dir} 已存在且不是目录", f"{out_dir} exists and is not a folder")
        self.previous = None
        self.before = None  # the site this one replaces, whose unchanged files `put` links
        if out.is_dir() and any(out.iterdir()):
            self.previous = _manifest(out)
            self.before = out if self.previous is not None else None
            if self.previous is None:
                raise SafetrainError(f"{out_dir} 不是空目录，也不是 safetrain report html 生成的网站：请指定新目录或空目录",
                                     f"{out_dir} is not empty and not a site written by `safetrain report html`: "
                                     "name a new or empty folder")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            _sweep(out)
            self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        except OSError as exc:
            raise cannot_write(out, exc) from None
        try:
            (self.folder / _WRITER).write_text(_writer(), encoding="utf-8")  # not a page: gone at finish
        except BaseException as exc:  # a full disk, Ctrl-C: before the context manager exists, so removed here
            shutil.rmtree(self.folder, ignore_errors=True)
            if isinstance(exc, OSError):
                raise cannot_write(out, exc) from None
            raise
        self.done = False

    def __enter__(self) -> "SiteFolder":
        return self

    def __exit__(self, *exc) -> None:
        if not self.done:
            shutil.rmtree(self.folder, ignore_errors=True)

    def finish(self, paths: Iterable[str]) -> Path:
        """Put the site (the files `paths`, all `put` into `folder`) in place of `out_dir`; its path.
        What the folder holds is looked at again now: a file the user put there while the
        archives were checked is theirs, and carried over like the others."""
        paths = set(paths)
        out, new = self.out, self.folder
        self.previous = _manifest(out) if out.is_dir() else None
        if out.is_dir() and any(out.iterdir()):
            # (a folder of the new site that the user emptied of its pages is no file of theirs)
            self.foreign = [rel for rel in _foreign(out, self.previous if self.previous is not None else set())
                            if not (rel.endswith("/") and any(p.startswith(rel) for p in paths))]
            if self.previous is None:
                self.previous = set()  # a folder new or empty at the start: whatever is in it now is the user's
        else:
            self.previous, self.foreign = None, []
        for rel in self.foreign:
            if rel.rstrip("/") in paths:
                raise SafetrainError(f"{self.name}/{rel} 不是 safetrain 生成的，新网站的同名页面会替换它：请移走它或换个目录",
                                     f"{self.name}/{rel} was not written by safetrain and a page of the new site "
                                     "would replace it: move it or choose another folder")
        _only(new, paths)
        moved: list[str] = []
        try:
            put(new, MARKER, (_HEADER + "".join(f"{rel}\n" for rel in sorted(paths))).encode("utf-8"))
            os.chmod(new, 0o755)
            if self.previous is None:
                if out.is_dir():
                    out.rmdir()  # empty
                os.rename(new, out)
                self.done = True
                return out
            if self.foreign:  # from here a kill leaves the user's files in `new`: never swept, given back
                (new / _KEPT).write_text("", encoding="utf-8")
            for rel in self.foreign:  # carried over: the user's files stay where they were
                target = new / rel.rstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(out / rel.rstrip("/"), target)
                moved.append(rel.rstrip("/"))
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rename(out, old / "site")
            try:
                os.rename(new, out)
            except BaseException:
                os.rename(old / "site", out)  # the previous site back where it was, then its user's files
                os.rmdir(old)
                raise
            self.done = True
            moved.clear()
            if self.foreign:
                try:
                    os.unlink(out / _KEPT)
                except OSError:
                    pass  # a hidden marker left in the site: _foreign does not take it for the user's
            _give_back(old / "site", out)  # a user's file that came after the listing (another run's): kept
            shutil.rmtree(old)  # only the previous run's own files are left in it
            return out
        except BaseException:
            for rel in reversed(moved):  # put the user's files back before the new site is dropped
                try:
                    os.rename(new / rel, out / rel)
                except OSError:
                    self.done = True  # the user's files are still in it: leave it for them, and say so
                    try:  # to the next run's sweep too, which never removes such a folder
                        (new / _KEPT).write_text("", encoding="utf-8")
                    except OSError:
                        pass
            raise


_WRITER = ".safetrain-writer"  # in a site being made: who makes it (host and process)
_KEPT = ".safetrain-kept"  # in a site being made that a failed swap left holding the user's files


def _writer() -> str:
    import socket

    return f"{socket.gethostname()} {os.getpid()}\n"


def _beside(name: str | None = None):
    """The folders a run makes beside the site `name` (None: any site's): `.NAME.new-xxxxxxxx`,
    the site being made, and `.NAME.old-xxxxxxxx`, the previous one set aside at the swap."""
    import re

    site = re.escape(name) if name is not None else ".+"
    return re.compile(rf"\.(?P<site>{site})\.(?P<kind>new|old)-[a-z0-9_]{{8}}")


def _sweep(out: Path) -> None:
    """Remove what a killed run left beside `out`: a site being made by a process of this
    machine that is gone, and a previous site set aside at the swap (any older than a minute).
    A run killed between its two renames leaves no `out` and the previous site set aside: that
    one is put back first, never removed."""
    import time

    from ...archive.writing.atomic import STALE_SECONDS

    pattern = _beside(out.name)
    now = time.time()
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return
    if not os.path.lexists(out):
        aside = sorted((e for e in entries if (m := pattern.fullmatch(e.name)) and m.group("kind") == "old"
                        and os.path.isdir(os.path.join(e.path, "site"))), key=lambda e: e.stat().st_mtime)
        if aside:
            try:
                os.rename(os.path.join(aside[-1].path, "site"), out)  # the latest previous site, back in place
            except OSError:
                return  # left as it is: nothing removed
    for entry in entries:  # a run killed while carrying the user's files over: theirs, given back
        m = pattern.fullmatch(entry.name)
        try:
            if m and m.group("kind") == "new" and os.path.lexists(os.path.join(entry.path, _KEPT)) \
                    and now - entry.stat().st_mtime > STALE_SECONDS and os.path.isdir(out) \
                    and _give_back(Path(entry.path), out):
                os.unlink(os.path.join(entry.path, _KEPT))  # no longer kept: a later sweep removes it
        except OSError:
            continue
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        try:
            if not m or not entry.is_dir(follow_symlinks=False) or now - entry.stat().st_mtime <= STALE_SECONDS:
                continue
            if m.group("kind") == "new" and (os.path.lexists(os.path.join(entry.path, _KEPT))
                                        or not _gone(Path(entry.path) / _WRITER)):
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)


def _give_back(source: Path, out: Path) -> bool:
    """Move the files of the site folder `source` that its list of pages does not name (the
    user's) into `out`, where none of the same name is; whether all of them went (an empty
    folder that `out` has too counts as gone)."""
    back = True
    for rel in _foreign(source, _manifest(source) or set()):
        name = rel.rstrip("/")
        src, target = source / name, out / name
        if rel.endswith("/") and target.is_dir():
            try:
                src.rmdir()
            except OSError:
                pass
            continue
        if os.path.lexists(target):
            back = False  # both: the one in `out` stays, this one where it is
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(src, target)
        except OSError:
            back = False
    return back


def _gone(marker: Path) -> bool:
    """Whether the process named in `marker` (a site being made) is no more, on this machine."""
    import socket

    try:
        host, pid = marker.read_text(encoding="utf-8").split()
        pid = int(pid)
    except (OSError, ValueError):
        return True  # no marker: not ours, or its writer died before writing it
    if host != socket.gethostname():
        return False  # another machine's (a shared folder): it may still run
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _only(folder: Path, paths: set[str]) -> None:
    """Remove from the site being made what is not one of its `paths`: the pages an archive
    had written before it failed (it is left out of the site, and its pages with it)."""
    root = os.fspath(folder)
    for top, dirs, files in os.walk(root, topdown=False):
        rel_top = os.path.relpath(top, root).replace(os.sep, "/")
        prefix = "" if rel_top == "." else rel_top + "/"
        for name in files:
            if prefix + name not in paths:
                os.unlink(os.path.join(top, name))
        if prefix and not os.listdir(top):
            os.rmdir(top)


def put(folder: Path, rel: str, data: bytes, before: Path | None = None) -> None:
    """Write one file of a site being made (`rel`: its path in the site, with "/"), always as a
    new file (never into one a link shares). `before`: the site it replaces (SiteFolder.before),
    whose file of the same path, when it holds these very bytes and nothing else links to it, is
    linked instead (a site rebuilt with most pages unchanged: a new file costs far more than a
    link on some disks, network folders and scanned Windows folders; the same bytes, and the
    old name is gone at the swap)."""
    path = folder / rel
    if before is not None:
        same = _holds(before / rel, data)
        if same is not None and _linked(before / rel, path, same):
            return
    try:
        try:
            fh = open(path, "xb")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(path, "xb")
        except FileExistsError:  # written before (a worker's archive done again): a new file, not into it
            os.unlink(path)
            fh = open(path, "xb")
        with fh:
            fh.write(data)
    except OSError as exc:
        raise cannot_write(_shown(folder, rel), exc) from None


def _linked(source: Path, path: Path, same: tuple[int, int]) -> bool:
    """`path` made a link of `source`, when `source` is still the file (device, inode) `same`
    that was read (another run may swap a site in meanwhile); False, and nothing left, if not."""
    try:
        try:
            os.link(source, path)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, path)
    except (OSError, NotImplementedError):
        return False  # no links here (another device, a file system without them): written
    try:
        st = os.lstat(path)
        if (st.st_dev, st.st_ino) == same:
            return True
        os.unlink(path)
    except OSError:
        pass
    return False


def _shown(folder: Path, rel: str) -> Path:
    """A file of a site being made as the user knows it: in the folder they named, not in the
    hidden one it is made in (`.site.new-xxxxxxxx/a/x.html` is `site/a/x.html`)."""
    m = _beside().fullmatch(folder.name)
    return (folder.parent / m.group("site") if m and m.group("kind") == "new" else folder) / rel


def _holds(path: Path, data: bytes) -> tuple[int, int] | None:
    """(device, inode) of `path` when it is a plain file of the mode a new file gets, linked
    nowhere else, holding exactly `data`; else None."""
    try:
        st = os.lstat(path)  # not a link, a pipe or a device: never opened
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data) or st.st_nlink != 1 \
                or stat.S_IMODE(st.st_mode) != _NEW_MODE:
            return None
        with open(path, "rb") as fh:
            now = os.fstat(fh.fileno())
            if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
                return None
            return (st.st_dev, st.st_ino) if fh.read(len(data) + 1) == data else None
    except OSError:
        return None


def _new_mode() -> int:
    """The mode a file opened for writing gets here (0o666 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_NEW_MODE = _new_mode()


def write_site(files: Mapping[str, bytes], out_dir: str | os.PathLike) -> Path:
    """Write `files` (site path -> bytes) as the folder `out_dir`; return its path."""
    with SiteFolder(out_dir) as site:
        for rel, data in files.items():
            put(site.folder, rel, data)
        return site.finish(files)
