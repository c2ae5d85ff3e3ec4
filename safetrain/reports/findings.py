"""Findings as text, JSON lines, GitHub annotations and JUnit XML.

Pure functions returning strings (or their pieces, `*_pieces`, which `check`
writes to a scratch file as they are made: `Written`); the CLI prints them. `style` is a function
(text, severity) -> text that the CLI passes to colour a terminal.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..api import Result
from ..archive.reading.discover import current_folder
from ..batches import batched
from ..controls import terminal_line
from ..findings import Finding, summarize

Style = Callable[[str, str], str]


def shown_result(r: Result) -> Result:
    """The result as an output prints it: where the archive masks 身份证号 (its settings), a
    finding's subject masked too where it is one (people numbered by their 身份证号:
    640104********0013, as every view prints the 工号); the messages are masked already
    (rules.engine). The file stays the path it is (RULES.md: the path relative to the archive
    root; an annotation, an editor's jump to the line, need it). The result is left as it is."""
    from dataclasses import replace

    from ..archive.reading.gbcodes import masked_value

    if not r.archive.masks_id_numbers:
        return r
    changed, findings = False, []
    for f in r.findings:
        subject = masked_value(f.subject)
        if subject != f.subject:
            f, changed = replace(f, subject=subject), True
        findings.append(f)
    return replace(r, findings=findings) if changed else r


def _plain(text: str, _kind: str) -> str:
    return text


def location(f: Finding) -> str:
    return f"{f.file}:{f.line}" if f.line is not None else f.file


def text_line(f: Finding, lang: str, style: Style = _plain) -> str:
    """One finding as one line, whatever its message quotes: a line break in it is shown as ⏎
    (a second line could pass for a finding of its own, or a CI log's `::error` command)."""
    code = style(f.code, f.severity)
    cite = f" [{f.cited(lang)}]" if f.citation else ""
    return f"{style(_one_line(location(f)), 'path')}: {code} {_one_line(f.message(lang))}{cite}"


def _one_line(text: str) -> str:
    """`text` on one terminal line: a line end as ⏎, any other control escaped (an archive's
    folder or a file may be named with one: an ESC would be a command to the terminal)."""
    if "\n" in text or "\r" in text:
        text = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    return terminal_line(text)


def summary_line(summary: dict, lang: str, archives: int | None = None) -> str:
    e, w, i = summary["errors"], summary["warnings"], summary["infos"]
    where_zh = f"（{archives} 个档案）" if archives else ""
    where_en = f" in {archives} archives" if archives else ""
    if summary["total"] == 0:
        return f"No findings{where_en}." if lang == "en" else f"未发现问题{where_zh}。"
    if lang == "en":
        parts = [f"{e} error{'s' if e != 1 else ''}", f"{w} warning{'s' if w != 1 else ''}"] + ([f"{i} info"] if i else [])
        return f"{summary['total']} finding{'s' if summary['total'] != 1 else ''}{where_en}: {', '.join(parts)}."
    parts = [f"错误 {e}", f"警告 {w}"] + ([f"提示 {i}"] if i else [])
    return f"共 {summary['total']} 个问题{where_zh}：{'，'.join(parts)}。"


#: findings joined into one piece of text (`*_pieces`): few writes, and never all of them at once
PIECE = 1000


class Written:
    """Text written to a scratch file as it is made, and printed from there: a large archive's
    findings (150,000 lines, or their JSON) never sit in memory as one string beside the result,
    and the text is whole (flushed) before a line of it is printed, so a failure while making it
    is that archive's, as the runner reports it. Up to a megabyte stays in memory; where no
    scratch file can be written (a full disk, a file size limit) the text is made again and held
    in memory, as it was before. Sent from a worker process (pickled), or asked as a str, it is
    the whole text. `make(*args)` gives the pieces; `close` lets the scratch file go."""

    def __init__(self, make: Callable[..., Iterable[str]], *args):
        import tempfile

        self.held: str | None = None
        # surrogatepass: a path the file system gave undecoded (a C locale) comes back as it was
        self.file = tempfile.SpooledTemporaryFile(1 << 20, mode="w+", encoding="utf-8", newline="",
                                                  errors="surrogatepass")
        try:
            for piece in make(*args):
                self.file.write(piece)
            self.file.flush()
        except OSError:
            self.close()  # its unwritten bytes are dropped
            self.held = "".join(make(*args))

    def __iter__(self) -> Iterator[str]:
        """The text in pieces of about 64K characters, each ending with a line where one does (a
        colour's escape codes are never cut in two; a JSON line of a whole archive, which has no
        colour, is cut where the piece ends)."""
        if self.file is None:
            if self.held is None:
                raise ValueError("the text was closed")
            yield from [self.held] if self.held else []
            return
        self.file.seek(0)
        rest = ""
        while chunk := self.file.read(1 << 16):
            chunk = rest + chunk
            cut = chunk.rfind("\n") + 1 or len(chunk)
            rest = chunk[cut:]
            yield chunk[:cut]
        if rest:
            yield rest

    def __str__(self) -> str:
        return "".join(self)

    def close(self) -> None:
        """Let the scratch file go (a write it still owes that fails is dropped with it)."""
        if self.file is not None:
            file, self.file = self.file, None
            try:
                file.close()
            except OSError:
                pass

    def __reduce__(self):
        if self.held is None:  # the text itself from now on: the scratch file goes
            self.held = str(self)
            self.close()
        return str, (self.held,)


def _batched(lines: Iterator[str]) -> Iterator[str]:
    """Lines, each ended, PIECE at a time."""
    for batch in batched(lines, PIECE):
        yield "".join(line + "\n" for line in batch)


def text_pieces(r: Result, lang: str, style: Style = _plain) -> Iterator[str]:
    """One archive's part of the text: its heading, findings and summary line, piece by piece."""
    title = r.ruleset.title_en if lang == "en" else r.ruleset.title
    name = r.archive.config.enterprise.name if r.archive.config else ""
    head = f"{r.archive.name}" + (f" · {name}" if name else "")
    as_of = f"as of {r.as_of}" if lang == "en" else f"截至 {r.as_of}"
    yield style(_one_line(f"== {head} ({r.ruleset.name}: {title}; {as_of})"), "heading") + "\n"  # a wrapped name too
    yield from _batched(text_line(f, lang, style) for f in r.findings)
    yield summary_line(summarize(r.findings), lang) + "\n"


def text_block(r: Result, lang: str, style: Style = _plain) -> str:
    """One archive's part of the text: its heading, findings and summary line."""
    return "".join(text_pieces(r, lang, style))


def total_line(summaries: Sequence[dict], lang: str, style: Style = _plain) -> str:
    """The last line of a workspace's text: every archive's findings counted (`summarize` of each)."""
    total = {k: sum(s[k] for s in summaries) for k in ("errors", "warnings", "infos", "total")}
    return style(summary_line(total, lang, len(summaries)), "heading") + "\n"


def as_text(results: Sequence[Result], lang: str, style: Style = _plain) -> str:
    """The text of `check`: each archive's block, a blank line between; a workspace's total last."""
    out = "\n".join(text_block(r, lang, style) for r in results)
    if len(results) > 1:
        out += "\n" + total_line([summarize(r.findings) for r in results], lang, style)
    return out


def as_json(results: Sequence[Result], lang: str) -> str:
    """One JSON object per archive, one per line (JSON Lines)."""
    return "".join(json_pieces(results, lang))


_FINDINGS = '"findings": ['  # where an archive's object holds its findings (a quote in a value is escaped)


def json_pieces(results: Sequence[Result], lang: str) -> Iterator[str]:
    """as_json piece by piece: each archive's object (archive, as_of, ruleset, findings, summary)
    as json.dumps writes it, its findings written in where the object holds none, PIECE at a time."""
    for r in results:
        whole = json.dumps({"archive": r.archive.name, "as_of": r.as_of.isoformat(), "ruleset": r.ruleset.name,
                            "findings": [], "summary": summarize(r.findings)}, ensure_ascii=False)
        cut = whole.index(_FINDINGS) + len(_FINDINGS)
        yield whole[:cut]
        for k, batch in enumerate(batched(r.findings, PIECE)):
            yield (", " if k else "") + ", ".join(json.dumps(f.to_dict(lang), ensure_ascii=False) for f in batch)
        yield whole[cut:] + "\n"


def _repo_path(r: Result, f: Finding, cwd: str | None) -> str:
    """A finding's file as the user's folder sees it: relative to `cwd` where the archive is named
    so (discover.display_name), else (or with no current folder: None) its whole path."""
    from ..archive.reading.discover import display_name

    root = r.archive.root
    if root is None:
        return f.file
    if cwd is None:
        return f"{Path(os.path.abspath(root)).as_posix()}/{f.file}"
    shown = display_name(Path(root), Path(cwd))
    if os.path.isabs(shown):
        return f"{shown}/{f.file}"
    return os.path.relpath(os.path.join(root, f.file), cwd).replace(os.sep, "/")


def _repository_root(cwd: str | None) -> str | None:
    """Where CI paths are relative to: the repository the CI job checked out (GITHUB_WORKSPACE,
    GitLab's CI_PROJECT_DIR) when the run is inside it (a step with `working-directory:`, an
    archive in a sub-folder of a monorepo: annotations still land on the lines), else `cwd`."""
    for name in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        top = os.environ.get(name)
        if top and os.path.isabs(top) and cwd is not None:
            real_top, real_cwd = os.path.realpath(top), os.path.realpath(cwd)
            if real_cwd == real_top or real_cwd.startswith(real_top.rstrip(os.sep) + os.sep):
                return top
    return cwd


def _gh_data(text: str) -> str:
    """Text for a workflow command: escaped as GitHub reads it, and on the log's terminal as
    `terminal_line` writes it (a file named with an ESC in it)."""
    return terminal_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(results: Sequence[Result], lang: str, cwd: str | None = None) -> str:
    """GitHub Actions workflow commands; paths relative to the current directory."""
    return "".join(github_pieces(results, lang, cwd))


def github_pieces(results: Sequence[Result], lang: str, cwd: str | None = None) -> Iterator[str]:
    """as_github piece by piece."""
    cwd = _repository_root(cwd or current_folder())
    level = {"error": "error", "warning": "warning", "info": "notice"}

    def lines():
        for r in results:
            for f in r.findings:
                props = f"file={_gh_prop(_repo_path(r, f, cwd))}"
                if f.line is not None:
                    props += f",line={f.line}"
                    if f.column is not None:
                        props += f",col={f.column}"
                props += f",title={_gh_prop(f'{f.code} {f.name}')}"
                cite = f" [{f.cited(lang)}]" if f.citation else ""
                yield f"::{level[f.severity]} {props}::{_gh_data(f.message(lang) + cite)}"
    return _batched(lines())


def _attr(text: str) -> str:
    """An XML attribute's value, quoted; controls escaped as on a terminal (XML 1.0 cannot hold
    an ESC: a file named with one made the report a file no CI could read)."""
    from xml.sax.saxutils import quoteattr

    return quoteattr(terminal_line(text))


def _text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(terminal_line(text))


def junit_suite(r: Result, lang: str, cwd: str | None = None) -> str:
    """One archive's <testsuite>: one failing test case per finding, each of its own name (GitLab
    keeps one test case of a suite, class and name: a person's two C002 would be one), its `file`
    relative to the current folder (the repository's root in CI), as GitHub's annotations."""
    cwd = _repository_root(cwd or current_folder())
    n = len(r.findings)
    out = [f'  <testsuite name={_attr(r.archive.name)} tests="{n or 1}" failures="{n}" errors="0">']
    if not r.findings:
        out.append(f'    <testcase classname={_attr(r.archive.name)} name="safetrain check"/>')
    seen: dict[tuple[str, str], int] = {}
    for f in r.findings:
        name = f"{f.code} {f.subject}" + (f" {f.period}" if f.period else "")
        k = seen[f.file, name] = seen.get((f.file, name), 0) + 1
        if k > 1:
            name += f" ({k})"
        loc = location(f)
        out.append(f"    <testcase classname={_attr(f.file)} name={_attr(name)} "
                   f"file={_attr(_repo_path(r, f, cwd))}"
                   + (f' line="{f.line}"' if f.line is not None else "") + ">")
        body = f"{loc}: {f.code} {f.message(lang)} [{f.cited(lang)}]"
        out.append(f"      <failure type={_attr(f.severity)} message={_attr(f.message(lang))}>{_text(body)}</failure>")
        out.append("    </testcase>")
    out.append("  </testsuite>")
    return "\n".join(out) + "\n"


def junit_document(suites: Sequence[str], failures: int, errors: int, tests: int) -> str:
    """The JUnit XML of `junit_suite`s (and `unchecked` suites), `failures` findings and
    `errors` archives that could not be checked in all; `tests`: the suites' test cases."""
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            f'<testsuites name="safetrain" tests="{tests}" failures="{failures}"'
            + (f' errors="{errors}"' if errors else "") + ">"]
    return "\n".join(head) + "\n" + "".join(suites) + "</testsuites>\n"


def unchecked(fmt: str, archive: str, as_of: str, message: str) -> str | None:
    """An archive that could not be checked (its one-line reason `message`), in a machine format:
    JSON's object for it (no findings, and `error`), a GitHub error annotation, a JUnit
    suite with one test case in error; None for text (the line on standard error says it)."""
    if fmt == "json":  # the keys every archive's object has (RULES.md), and why there is nothing in them
        return json.dumps({"archive": archive, "as_of": as_of, "ruleset": None, "findings": [],
                           "summary": summarize([]), "error": message}, ensure_ascii=False) + "\n"
    if fmt == "github":
        return f"::error title={_gh_prop('safetrain check')}::{_gh_data(f'{archive}: {message}')}\n"
    if fmt == "junit":
        return (f'  <testsuite name={_attr(archive)} tests="1" failures="0" errors="1">\n'
                f'    <testcase classname={_attr(archive)} name="safetrain check">\n'
                f"      <error message={_attr(message)}>{_text(message)}</error>\n"
                "    </testcase>\n  </testsuite>\n")
    return None


def as_junit(results: Sequence[Result], lang: str, cwd: str | None = None) -> str:
    """JUnit XML: one test suite per archive, one failing test case per finding."""
    return junit_document([junit_suite(r, lang, cwd) for r in results], sum(len(r.findings) for r in results), 0,
                          tests=sum(len(r.findings) or 1 for r in results))


FORMATS = {"text": as_text, "json": as_json, "github": as_github, "junit": as_junit}
