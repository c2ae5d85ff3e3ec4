"""Records left out of an archive because their files have errors (A001/A002, `Archive.excluded`),
said where a command names one or lists what it cannot show: one wording for render, pair,
cert list and the views of people (expiring, matrix)."""

from __future__ import annotations

from typing import Iterable

from ...errors import SafetrainError
from ...findings import ENTERPRISE, Finding
from .discover import display_name
from .models import Archive
from .spec import RECORD_KINDS, kind_of_path


def broken_record(kind: str, rid: str, findings: Iterable[Finding] = ()) -> SafetrainError:
    """The one error for a record named on the command line whose file has errors (A001/A002: it
    is left out of the archive): the file and its first problem, as `check` reports them."""
    words = RECORD_KINDS[kind]
    first = next((f for f in findings if f.subject == rid and f.code in ("A001", "A002")
                  and kind_of_path(f.file) == kind), None)
    if first is None:
        where = f"{words.folder}/{rid}.toml" if kind == "person" else f"{words.zh} {rid}"
        return SafetrainError(f"{where} 有错误（A001/A002），请先修正：safetrain check",
                              f"{where if kind == 'person' else f'{words.en} {rid}'} has errors (A001/A002); "
                              "fix them first (safetrain check)")
    return SafetrainError(f"{first.file} 有错误：{first.message_zh}（{first.code}），{words.zh} {rid} 未处理；"
                          "请先修正：safetrain check",
                          f"{first.file} has errors: {first.message_en} ({first.code}); {words.en} {rid} left out: "
                          "fix it first (safetrain check)")


def unread_folders(findings: Iterable[Finding], kind: str) -> list[str]:
    """The folders of `kind` that could not be read (A001): its folder itself when that is no
    folder (a file, a link to none), or a folder inside it. Records of the kind may be there,
    unread: a command that looks for one, or prints them all, says so."""
    folder = RECORD_KINDS[kind].folder
    return sorted({f.file for f in findings if f.code == "A001" and
                   (f.file == folder or (f.file.startswith(folder + "/") and f.file.endswith("/")))})


def linked_out(findings: Iterable[Finding], kind: str) -> dict[str, str]:
    """id -> file of the records of `kind` whose files are links out of the archive (A008, skipped
    unread), by id: records a command that prints them all names as not printed, a command that
    edits one says why it cannot."""
    return dict(sorted((f.file.rsplit("/", 1)[-1][:-len(".toml")], f.file) for f in findings
                       if f.code == "A008" and f.subject == ENTERPRISE and f.file.endswith(".toml")
                       and kind_of_path(f.file) == kind))  # the listing's (reader._outside), not a record's
                       # own A008 of a scan missing (its subject is the record)


def may_be_unread(kind: str, rids: list[str] | tuple[str, ...], folders: list[str]) -> tuple[str, str] | None:
    """(zh, en) for records `rids` of `kind` that were not found while `folders` of that kind
    could not be read (`unread_folders`): they may be there, said so, never "there is none";
    None when every folder was read."""
    if not folders:
        return None
    words = RECORD_KINDS[kind]
    return (f"找不到编号为 {'、'.join(rids)} 的{words.zh}记录：{'、'.join(folders)} 无法读取（A001），它可能在其中",
            f"cannot find {words.en} {', '.join(rids)}: {', '.join(folders)} cannot be read (A001) and may hold it")


def no_such(kind: str, rids: list[str] | tuple[str, ...]) -> tuple[str, str]:
    """(zh, en): records of `kind` named that the archive does not hold (its folders all read):
    the one wording of every command, naming the folder they would be in."""
    words = RECORD_KINDS[kind]
    return (f"没有编号为 {'、'.join(rids)} 的{words.zh}记录（{words.folder}/）",
            f"no {words.en} with id {', '.join(rids)} ({words.folder}/)")


def not_found(kind: str, rids: list[str] | tuple[str, ...], findings: Iterable[Finding]) -> SafetrainError:
    """The error for records of `kind` named but not in the archive: `no_such`, or where a folder
    of the kind could not be read, that they may be there."""
    return SafetrainError(*(may_be_unread(kind, rids, unread_folders(findings, kind)) or no_such(kind, rids)))


def unread_people(archive: Archive, findings: Iterable[Finding]) -> list[tuple[str, str, str, str]]:
    """What a view of people (expiring, matrix, cert list) cannot show: each person file (or the
    people/ folder) whose record was not built: (the file, as the archive's lines name it, and its
    first finding's code, zh, en). A person file with errors is left out of the archive (`check`
    reports why); a view that lists certificates or people must say so, never leave them out in
    silence."""
    people = archive.people
    seen: dict[str, tuple[str, str, str]] = {}
    for f in findings:
        if f.file in seen:
            continue
        if f.file == "people":  # people is no folder (a file, a link to none or out of the archive)
            seen[f.file] = (f.code, f.message_zh, f.message_en)
            continue
        if not f.file.startswith("people/"):
            continue
        name = f.file[len("people/"):]
        if name == "" or name.endswith("/") or (name.endswith(".toml") and "/" not in name and name[:-5] not in people):
            seen[f.file] = (f.code, f.message_zh, f.message_en)  # a folder unread, or a person not built
    shown = display_name(archive.root) if archive.root is not None else "."
    where = "" if shown == "." else shown.rstrip("/") + "/"
    return [(f"{where}{rel}", *told) for rel, told in sorted(seen.items())]
