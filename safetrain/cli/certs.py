"""safetrain cert add / list / review / renew: certificates by command."""

from __future__ import annotations

import json
from datetime import date

import click

from ..archive.reading.spec import CERTIFICATE
from .options import DATE, EXPIRY, archive_option, as_of_option, format_option, group_lang_option, lang_option
from .support import echo, field_option, fill_required, typed_values


@click.group()
@group_lang_option
def cert():
    """证书：登记、列出、复审、换证（特种作业操作证、安全管理人员合格证、健康证等）。

    Certificates: record, list, review and renew special operation
    certificates, manager certificates and others in people's files.
    """


_CERT_FIELDS = {k: f for k, f in CERTIFICATE.fields.items() if k != "attachments"}
_CERT_NAMES = {"reviews": "review"}


@cert.command("add", short_help="登记证书 / Add a certificate", params=[field_option(k, f, _CERT_NAMES.get(k)) for k, f in _CERT_FIELDS.items()])
@click.argument("pid", metavar="PID")
@archive_option
@lang_option
def cert_add(pid, archive, lang, **given):
    """登记一张证书。

    Append a [[certificates]] table to people/PID.toml:
    --kind --category --number --issued --expires, and --review DATE for each
    review (复审) passed.
    """
    from .support import editing
    from ..archive.writing.records import add_certificate

    values = typed_values(_CERT_FIELDS, given, _CERT_NAMES)
    fill_required(_CERT_FIELDS, list(CERTIFICATE.required), values, lang)
    with editing(archive) as ed:
        rel = add_certificate(ed, pid, values)
        number = ed.shown(values["number"], pid)  # an ID number inside it, masked as in every output
    echo(lang, f"已在 {rel} 登记证书 {number}", f"recorded certificate {number} in {rel}")


@cert.command("list", short_help="列出证书及其状态 / List certificates and their state")
@archive_option
@click.option("--person", "pid", default=None, metavar="PID", help="只列此人的证书 / only this person's certificates")
@as_of_option
@format_option("text", "json")
@lang_option
def cert_list(archive, pid, as_of, fmt, lang):
    """列出在职人员的证书及其状态（有效、即将到期、待复审、已过期）。

    Every certificate of the archive's active people (or of --person PID),
    with its state on --as-of as `check` judges it: valid, expiring, due for
    review, review overdue, expired, superseded by a newer one. ID numbers in
    certificate numbers are masked as in every output. A person file with
    errors (A001/A002) is named on standard error (with --person, it is the
    error, exit 2). For a workspace (a folder of archives), each archive under
    a "== archive" line (JSON: {"archives": [{"archive", "certificates"}]});
    one that cannot be read is reported and the others listed (exit 2).
    """
    import sys

    from ..archive.reading.discover import root_names
    from ..errors import SafetrainError
    from .common import each_root, roots_of

    roots = roots_of(archive, "cert list")
    if len(roots) == 1 and not getattr(roots, "failed_paths", 0):
        _cert_list_one(roots[0], pid, as_of, fmt, lang)
        return
    if pid is not None:
        raise SafetrainError(f"{archive} 下有多个档案：--person 只能对一个档案给出",
                             f"{archive} holds several archives: --person is of one archive")
    names = dict(zip(roots, root_names(roots)))
    docs: list = []
    if fmt == "json":
        failed = each_root(roots, lang, lambda root: docs.append(
            {"archive": names[root], "certificates": _cert_rows(root, None, as_of, lang)}), header="")
        click.echo(json.dumps({"archives": docs}, ensure_ascii=False, indent=2))
    else:
        failed = each_root(roots, lang, lambda root: _cert_list_one(root, None, as_of, fmt, lang), header="out")
    sys.exit(2 if failed else 0)


def _cert_rows(root, pid, as_of, lang) -> list:
    from ..api import check_path, require_register
    from ..archive.reading.excluded import unread_people
    from ..reports.certlist import certificate_rows
    from .common import say_unread

    result = check_path(root, as_of or date.today())
    require_register(result.archive, result.findings)  # the one error of a view of an archive whose register is unknown
    rows = certificate_rows(result, pid)
    if pid is None:
        say_unread(lang, unread_people(result.archive, result.findings))
    return rows


def _cert_list_one(root, pid, as_of, fmt, lang) -> None:
    from ..reports.certlist import certificate_text
    from .common import terminal

    rows = _cert_rows(root, pid, as_of, lang)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        click.echo(certificate_text(rows, lang, **terminal()), nl=False)


@cert.command("review", short_help="登记复审 / Record a review")
@click.argument("pid", metavar="PID")
@click.argument("number", metavar="NUMBER")
@click.option("--date", "day", type=DATE, required=True, metavar="DATE", help="复审通过的日期 / the day the review was passed")
@archive_option
@lang_option
def cert_review(pid, number, day, archive, lang):
    """登记一次复审：证书 NUMBER 的 reviews 加上 --date。

    Record a review (复审) passed on --date: the date is added to the
    `reviews` of PID's certificate NUMBER (the latest one of that number).
    """
    from .support import editing
    from ..archive.writing.people import review

    with editing(archive) as ed:
        rel = review(ed, pid, number, day)
        number = ed.shown(number, pid)
    echo(lang, f"已在 {rel} 登记证书 {number} 于 {day} 复审", f"recorded the review of {number} on {day} in {rel}")


@cert.command("renew", short_help="登记换证 / Record a renewed certificate")
@click.argument("pid", metavar="PID")
@click.argument("number", metavar="NUMBER")
@click.option("--issued", type=DATE, required=True, metavar="DATE", help="新证发证日期 / issue date of the new certificate")
@click.option("--expires", type=EXPIRY, required=True, metavar="DATE",
              help="新证有效期至（长期有效写 9999-12-31）/ the new certificate's expiry (9999-12-31: none)")
@click.option("--new-number", default=None, metavar="NUMBER", help="新证号（缺省不变）/ the new number (default: unchanged)")
@archive_option
@lang_option
def cert_renew(pid, number, issued, expires, new_number, archive, lang):
    """登记换证：同种类、同作业类别的新证书，原证书保留。

    Record a renewed certificate: a new [[certificates]] entry of the same
    kind and category as PID's certificate NUMBER, issued --issued and
    valid until --expires (with --new-number when the number changed). The
    old entry stays as the record of the earlier years.
    """
    from .support import editing
    from ..archive.writing.people import renew

    with editing(archive) as ed:
        rel = renew(ed, pid, number, issued, expires, new_number)
        shown = ed.shown(new_number or number, pid)
    echo(lang, f"已在 {rel} 登记换发的证书 {shown}（{issued} 至 {expires}）",
         f"recorded the renewed certificate {shown} ({issued} to {expires}) in {rel}")
