"""What the editing commands share: bilingual output, options built from
spec.py, and prompts that only ever appear on a terminal."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any, Callable

import click

from ..errors import SafetrainError


#: whether what an editing command prints is masked (the archive's settings.mask_id_numbers): set by
#: `editing` for the rest of the command's run (its report is printed after the editor is closed),
#: cleared when a run begins (the command group): a 工号 that is a 身份证号 was printed whole by the
#: writing commands, as views and exports never print it
_MASKING: ContextVar[bool] = ContextVar("masking", default=False)


def masking_output(on: bool | None = None) -> bool:
    """Whether this run's output is masked; `on` sets it (the command group clears it per run)."""
    if on is not None:
        _MASKING.set(on)
    return _MASKING.get()


def masked_line(text: str) -> str:
    """A line as this run prints it: 身份证号 in it masked where the archive masks them, and the
    controls a sheet's cell or header may hold escaped (a header holding ESC ] 0 ; … set the
    terminal's title: controls.terminal_line, as the views escape theirs)."""
    from ..controls import terminal_line

    if _MASKING.get():
        from ..archive.reading.gbcodes import masked_value  # (not on the way to --help)

        text = masked_value(text)
    return terminal_line(text)


def say(lang: str, zh: str, en: str) -> str:
    return masked_line(en if lang == "en" else zh)


@contextmanager
def editing(archive, **options):
    """archive.writing.edit.editing, for a command: the rest of the run's output masked as the
    archive says (Editor.masks), as every view and export is; errors too (the command group)."""
    from ..archive.writing.edit import editing as opened

    with opened(archive, **options) as ed:
        masking_output(ed.masks)
        yield ed


def echo(lang: str, zh: str, en: str, err: bool = False) -> None:
    click.echo(say(lang, zh, en), err=err)


def tell_replaced(lang: str, outputs) -> None:
    """Say which existing files an output command replaced (outputs.Output): on standard error."""
    earlier = [o for o in outputs if o.earlier]
    forced = [o for o in outputs if o.replaces and not o.earlier]
    if len(earlier) == 1:
        echo(lang, f"已替换此前生成的 {earlier[0].path}", f"replaced {earlier[0].path}, written by an earlier run", err=True)
    elif earlier:
        echo(lang, f"已替换此前生成的 {len(earlier)} 个文件", f"replaced {len(earlier)} files written by an earlier run",
             err=True)
    if len(forced) == 1:
        echo(lang, f"已替换 {forced[0].path}（--force）", f"replaced {forced[0].path} (--force)", err=True)
    elif forced:
        echo(lang, f"已替换 {len(forced)} 个已有文件（--force）", f"replaced {len(forced)} existing files (--force)", err=True)


def is_terminal() -> bool:
    """Prompts only when a person is at a terminal (never in scripts, pipes or CI)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


_YES = frozenset({"是", "是的", "对", "好", "确认", "y", "yes", "true", "1"})
_NO = frozenset({"否", "不", "不是", "取消", "n", "no", "false", "0"})


def yes_no(lang: str, text: str) -> bool:
    """是/否 (or y/n, yes/no) as a bool; anything else is asked again."""
    answer = text.strip().lower()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise click.UsageError(say(lang, "请回答 是 或 否（y/n）", "answer yes or no (是/否)"))


def confirm(lang: str, zh: str, en: str, default: bool | None = False) -> bool:
    """A yes/no question that takes 是/否 as well as y/n; Enter gives `default`."""
    shown = {True: say(lang, "是", "yes"), False: say(lang, "否", "no"), None: None}[default]
    suffix = say(lang, "（是/否）", " (yes/no)")
    return click.prompt(say(lang, zh, en) + suffix, default=shown, show_default=default is not None,
                        value_proc=lambda text: yes_no(lang, text))


# -- options from spec.py -------------------------------------------------------------------

_METAVARS = {"date": "DATE", "datetime": "DATETIME", "code": "CODE", "codes": "CODES", "number": "NUMBER",
             "int": "INTEGER", "id": "ID", "ids": "IDS", "dates": "DATES", "path": "PATH"}
_MULTIPLE = frozenset({"codes", "ids", "strings", "dates"})


def option_names(key: str, name: str | None = None) -> list[str]:
    """`on_post` -> ["--on-post", "--on_post", "on_post"]: the format's key, dashed or not."""
    name = name or key
    names = [f"--{name.replace('_', '-')}"]
    if "_" in name:
        names.append(f"--{name}")
    return names + [key]


def field_help(fld, required: bool | None = None) -> str:
    from ..archive.writing.inputs import choices

    text = f"{fld.zh} / {fld.en}"
    if fld.codes:
        text += f"。可选 / one of: {choices(fld.codes)}"
    if fld.kind in _MULTIPLE:
        text += "（可重复或用逗号分隔 / repeat or separate with commas）"
    if required if required is not None else fld.required:
        text += " [必填 / required]"
    return text


def field_option(key: str, fld, name: str | None = None, required: bool = True) -> click.Option:
    """The option of a format key; `required=False`: not marked required in the help even where the
    format requires the key (the command fills it in)."""
    marked = None if required else False
    if fld.kind == "bool":
        flag = (name or key).replace("_", "-")
        return click.Option([f"--{flag}/--no-{flag}", key], default=None, help=field_help(fld, marked))
    return click.Option(option_names(key, name), default=None, multiple=fld.kind in _MULTIPLE,
                        metavar=_METAVARS.get(fld.kind, "TEXT"), help=field_help(fld, marked))


def typed_values(fields: dict, given: dict, names: dict[str, str] | None = None) -> dict[str, Any]:
    """The options given, as the format's values; a bad one is a one-line failure naming it."""
    from ..archive.writing.inputs import InputError, coerce

    names = names or {}
    out: dict[str, Any] = {}
    for key, fld in fields.items():
        raw = given.get(key)
        if raw is None or raw == ():
            continue
        try:
            value = coerce(fld, list(raw) if isinstance(raw, tuple) else raw)
        except InputError as exc:
            opt = "--" + names.get(key, key).replace("_", "-")
            raise SafetrainError(f"{opt}：{exc.zh}", f"{opt}: {exc.en}") from None
        if value is not None:
            out[key] = value
    return out


def ask(fld, key: str, lang: str, default: str | None = None,
        check: Callable[[Any], "tuple[str, str] | None"] | None = None) -> Any:
    """Ask for one field until the answer is valid (codes by number, code or label);
    `check` may refuse a value with a (zh, en) reason."""
    from ..archive.writing.inputs import InputError, coerce

    same = fld.en.strip().lower() == key.replace("_", " ")  # "name (name)": the key said once
    label = say(lang, f"{fld.zh}（{key}）", fld.en if same else f"{fld.en} ({key})")
    codes = list(fld.codes.items()) if fld.codes else []
    if codes:
        for i, (code, (zh, en)) in enumerate(codes, 1):
            words = say(lang, zh, en)
            click.echo(f"  {i:>2}. {code}" + ("" if words == code else f" {words}"))

    def convert(text: str) -> Any:
        text = text.strip()
        if codes and text.isdigit() and 1 <= int(text) <= len(codes):
            text = codes[int(text) - 1][0]
        try:
            value = coerce(fld, text)
        except InputError as exc:
            raise click.UsageError(say(lang, exc.zh, exc.en)) from None
        if value is None:
            raise click.UsageError(say(lang, "必填", "required"))
        problem = check(value) if check else None
        if problem:
            raise click.UsageError(say(lang, *problem))
        return value

    if fld.kind == "bool":
        return confirm(lang, label, label, default=None)
    return click.prompt(label, default=default, value_proc=convert)


def fill_required(table_fields: dict, required: list[str], values: dict, lang: str,
                  names: dict[str, str] | None = None, defaults: dict[str, str] | None = None,
                  checks: dict[str, Callable] | None = None) -> None:
    """Ask for missing required fields on a terminal; elsewhere fail naming the options."""
    missing = [k for k in required if k not in values]
    if not missing:
        return
    names = names or {}
    if not is_terminal():
        opts = [("--" + names.get(k, k).replace("_", "-"), table_fields[k]) for k in missing]
        raise SafetrainError("缺少必填项：" + "、".join(f"{o}（{f.zh}）" for o, f in opts),
                             "missing required options: " + ", ".join(f"{o} ({f.en})" for o, f in opts))
    for key in missing:
        values[key] = ask(table_fields[key], key, lang, (defaults or {}).get(key), (checks or {}).get(key))


def value_shown(value, key: str = "", lang: str = "zh") -> str:
    """A value of a record as a message shows it: never Python's None/True/False; a 身份证号
    masked as the rest of the run's output is (masking_output: the archive's mask_id_numbers)."""
    if key == "id_number" and isinstance(value, str):
        if not _MASKING.get():
            return value
        from ..archive.reading.gbcodes import mask_id_number

        return mask_id_number(value)  # masked whatever its shape: a typo too
    if isinstance(value, (list, tuple)):
        return ("、" if lang != "en" else ", ").join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):  # an attendee's result, or a yes/no of a person
        yes_no = ("合格", "不合格", "passed", "failed") if key == "passed" else ("是", "否", "yes", "no")
        return yes_no[(0 if value else 1) + (2 if lang == "en" else 0)]
    if value is None:
        return "（空）" if lang != "en" else "(none)"
    return str(value)


def views_out(text: str, roots=()) -> str:
    """What status, matrix and expiring print or write (text, JSON, a calendar): anything shaped
    like a 身份证号 masked, whatever field it is in, unless every archive of `roots` says
    mask_id_numbers = false (the archives' own choice, as every output honours it)."""
    from ..archive.reading.gbcodes import mask_id_numbers_in

    return mask_id_numbers_in(text) if _masking(roots) else text


def views_doc(doc, roots=()):
    """A view's document as a table on a terminal is made from it: every string value with its
    control characters escaped (a client's folder named with ESC ] 0 ; ... set the terminal's
    title) and masked as views_out masks text (a value wrapped over two lines of a table is
    masked before it is cut: views_out on the table's text saw two halves, neither shaped like a
    身份证号)."""
    from ..archive.reading.gbcodes import masked_value
    from ..controls import terminal_line

    masking = _masking(roots)

    def masked(value):
        if isinstance(value, str):
            value = terminal_line(value)
            return masked_value(value) if masking else value  # its cheap test first: a matrix has many cells
        if isinstance(value, dict):
            return {k: masked(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(masked(v) for v in value)
        return value

    return masked(doc)


def _masking(roots) -> bool:
    """False only where every archive of `roots` says mask_id_numbers = false (asked once a run:
    a workspace's matrix asks it for each archive's table)."""
    ctx = click.get_current_context(silent=True)
    memo = ctx.meta.setdefault("safetrain.masking", {}) if ctx is not None else {}
    key = tuple(str(r) for r in roots or ())
    if key not in memo:
        memo[key] = _masks_any(roots)
    return memo[key]


def _masks_any(roots) -> bool:
    from ..archive.reading.loader import load_config

    def masks(root) -> bool:
        try:
            config = load_config(root)[1]
        except Exception:  # unreadable: masked
            return True
        return config is None or config.settings.mask_id_numbers

    return not roots or any(masks(root) for root in roots)
