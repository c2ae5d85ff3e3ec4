"""The command line: click commands only, loaded lazily so `--help` is fast.

Each command lives in its own module and is imported only when it runs (or
when its help is shown); heavy libraries are imported inside command bodies.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from .. import __version__
from ..controls import shown
from ..errors import InternalError, Interrupted, SafetrainError, os_reason
from ..lasting import until_exit
from . import clickzh
from .options import current_lang, group_lang_option, remember_lang, version_option
from .support import masked_line, masking_output

clickzh.install()  # click's own usage, help and error words in Chinese for a Chinese run

#: command name -> (module, attribute, one-line help). Adding a command is one line here.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("safetrain.cli.check", "check", "检查档案是否符合规则 / Check archives against the rules"),
    "rules": ("safetrain.cli.rules", "rules", "列出规则与现行参数 / List the rules and the figures in force"),
    "explain": ("safetrain.cli.rules", "explain", "解释一条规则 / Explain one rule"),
    "schema": ("safetrain.cli.schema", "schema", "写出编辑器用的 JSON Schema / Write JSON Schemas for editors"),
    "status": ("safetrain.cli.status", "status", "档案概况 / Dashboard: headcount, coverage, hours, certificates, drills"),
    "expiring": ("safetrain.cli.expiring", "expiring", "到期与待复审证书 / Certificates expired, expiring or due for review"),
    "matrix": ("safetrain.cli.matrix", "matrix", "人员×要求矩阵 / Person x requirement matrix"),
    "pair": ("safetrain.cli.pair", "pair", "师带徒最优配对 / Optimal mentor-apprentice pairs"),
    "render": ("safetrain.cli.render", "render", "生成 Word 档案文件 / Word documents from templates"),
    "ledger": ("safetrain.cli.render", "ledger", "生成 Excel 台账 / The Excel ledger workbook"),
    "templates": ("safetrain.cli.render", "templates", "检查自定义模板 / Check custom templates"),
    "init": ("safetrain.cli.init", "init", "新建档案 / Start a new archive"),
    "new": ("safetrain.cli.edit", "new", "新建人员、培训、演练、师带徒、四新、年度计划记录 / Add a person, session, drill, mentorship, introduction or plan"),
    "attend": ("safetrain.cli.edit", "attend", "登记参加培训人员 / Add attendees to a session"),
    "cert": ("safetrain.cli.certs", "cert", "证书：登记、列出、复审、换证 / Certificates: add, list, review, renew"),
    "person": ("safetrain.cli.people", "person", "人员变动：离职、调岗、复岗 / A person leaves, is transferred or returns"),
    "attach": ("safetrain.cli.edit", "attach", "附加扫描件或合同 / Attach a scan or a contract to a record"),
    "import": ("safetrain.cli.importing", "import_", "从 Excel 导入花名册或签到 / Import a roster or attendance from Excel"),
    "fmt": ("safetrain.cli.fmt", "fmt", "规范格式 / Canonical formatting"),
    "export": ("safetrain.cli.export", "export", "导出到 SQLite、PostgreSQL、Parquet / Export to SQLite, PostgreSQL, Parquet"),
    "report": ("safetrain.cli.report", "report", "HTML 网站报告 / A static HTML site of a workspace"),
}


def _available(name: str) -> bool:
    return importlib.util.find_spec(COMMANDS[name][0]) is not None


#: the signal that ended this run where it was not Ctrl-C (SIGTERM): its exit status is 128 + it
_ENDED_BY: int | None = None


def _end_on_sigterm() -> None:
    """A SIGTERM (`kill`, a CI job cancelled, `timeout`) ends the command as Ctrl-C does: what it
    was making is removed on the way out (a site's hidden folder, a document's temporary file)
    instead of being left for a later run to sweep, and it says 已中断 with what was done (an
    export: the archives committed); exit 143 (128 + 15), as a shell reports a process ended by
    the signal. A forked copy or worker dies of it as before; a second SIGTERM ends this process
    at once."""
    import signal

    if not hasattr(signal, "SIGTERM") or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return  # a handler someone else set (an embedding program) is theirs
    own = os.getpid()

    def ended(signum, frame):
        signal.signal(signum, signal.SIG_DFL)
        if os.getpid() != own:  # a copy or a worker: the default, as before
            os.kill(os.getpid(), signum)
            return
        global _ENDED_BY
        _ENDED_BY = signum
        raise KeyboardInterrupt  # the way Ctrl-C goes, every clean-up on it; _interrupted says 143

    try:
        signal.signal(signal.SIGTERM, ended)
    except ValueError:  # not the main thread
        pass


def _no_current_folder() -> SafetrainError | None:
    """The error of a run that needed the current folder (no path given, a relative one) when it
    no longer exists; None while it does."""
    from ..archive.reading.discover import current_folder, no_current_folder

    return no_current_folder() if current_folder() is None else None


class LazyGroup(click.Group):
    def main(self, args=None, *rest, **options):
        """The command line itself (a test passes its own `args`): a stream whose encoding cannot
        hold Chinese (ASCII, Latin-1) is read and written as UTF-8, as click does for ASCII, so
        nothing crashes on it and JSON stays JSON; answers typed are read the same way."""
        if args is None:  # a process of its own, which ends with the command
            until_exit()
            _end_on_sigterm()
            # (a path that is no UTF-8 goes out as the bytes it came in as: surrogateescape)
            for stream, errors in ((sys.stdout, "surrogateescape"), (sys.stderr, "surrogateescape"),
                                   (sys.stdin, "replace")):
                try:
                    "中文".encode(stream.encoding)
                except (AttributeError, LookupError, TypeError):
                    continue
                except UnicodeError:
                    try:
                        stream.reconfigure(encoding="utf-8", errors=errors)
                    except (AttributeError, ValueError, OSError):
                        pass
        return super().main(args, *rest, **options)

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | {n for n in COMMANDS if _available(n)})

    def get_command(self, ctx, name):
        if name in COMMANDS and _available(name):
            module, attr, _ = COMMANDS[name]
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx) if name in COMMANDS]
        with formatter.section("命令 / Commands" if current_lang(ctx) != "en" else "Commands / 命令"):
            formatter.write_dl(rows)

    def parse_args(self, ctx, args):
        """Know the language before anything is parsed, so click's own usage errors
        (an unknown option, a missing argument) are in it too."""
        if ctx.parent is None:
            remember_lang(None, None)  # a new run
            masking_output(False)
        for i, arg in enumerate(args):
            value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg[7:] if arg.startswith("--lang=") else None
            if value in ("zh", "en"):
                remember_lang(ctx, value)
        try:
            return super().parse_args(ctx, args)  # --help and --version print here
        except BrokenPipeError:
            self._reader_gone(ctx)

    @staticmethod
    def _reader_gone(ctx):
        """The reader went away (`| head`): not all was said, so not a success (exit 0 let
        `safetrain check | head` pass CI under pipefail with errors left unread); 141 is what a
        shell reports for a command SIGPIPE ended."""
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second failure at exit
        except (OSError, ValueError):
            pass
        ctx.exit(141)

    def invoke(self, ctx):
        """The one place failures are printed: a SafetrainError (or a file the
        system refused) is one line in the chosen language and its exit code;
        a bug is one line too (SAFETRAIN_DEBUG=1 shows the traceback)."""
        try:
            return super().invoke(ctx)
        except click.exceptions.Abort as exc:
            if not isinstance(exc.__context__, KeyboardInterrupt):
                raise  # the end of input at a question: click's "Aborted!" (已取消。), exit 1
            self._interrupted(ctx, exc.__context__)  # Ctrl-C at a question is Ctrl-C
        except (click.exceptions.ClickException, click.exceptions.Exit):
            raise
        except SafetrainError as exc:
            click.echo(masked_line(exc.line(current_lang(ctx))), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as exc:
            self._interrupted(ctx, exc)
        except BrokenPipeError:
            self._reader_gone(ctx)
        except OSError as exc:  # a file the user named could not be read or written
            zh, en = os_reason(exc)
            gone = _no_current_folder() if isinstance(exc, FileNotFoundError) and not exc.filename else None
            if gone is not None:
                err = gone  # os.getcwd() of a folder deleted under the shell: not the output's fault
            elif exc.filename:
                err = SafetrainError(f"无法读写 {exc.filename}：{zh}", f"cannot read or write {exc.filename}: {en}")
            else:  # no file named: the output itself (> /dev/full, a closed terminal)
                err = SafetrainError(f"无法写出输出：{zh}", f"cannot write the output: {en}")
            click.echo(masked_line(err.line(current_lang(ctx))), err=True)
            ctx.exit(2)
        except Exception as exc:  # a bug: say so on one line; SAFETRAIN_DEBUG=1 shows where
            if os.environ.get("SAFETRAIN_DEBUG"):
                raise
            click.echo(masked_line(InternalError.of(exc).line(current_lang(ctx))), err=True)
            ctx.exit(2)


    @staticmethod
    def _interrupted(ctx, exc: KeyboardInterrupt):
        """Ctrl-C: 已中断 (and what was done before it, if the command said), exit 130 as a shell
        reports a command SIGINT ended; SIGTERM the same, exit 143."""
        en = current_lang(ctx) == "en"
        done = (f": {exc.en}" if en else f"：{exc.zh}") if isinstance(exc, Interrupted) else ""
        signal_name = {15: "SIGTERM"}.get(_ENDED_BY or 0)
        said = ("interrupted" if en else "已中断") + (f" ({signal_name})" if en and signal_name else
                                                      f"（{signal_name}）" if signal_name else "")
        click.echo(masked_line(shown(said + done)), err=True)
        from ..pools import stop_all

        stop_all()  # workers of a run left suspended (a generator's pool): stopped, never waited on
        ctx.exit(128 + _ENDED_BY if _ENDED_BY else 130)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@version_option(__version__, "safetrain")
@group_lang_option
def main():
    """safetrain：安全生产培训档案的检查与打印。

    Keeps a business's safety-training archive as TOML files, checks it
    against Chinese safety-training law, and prints the documents inspectors
    ask for. `safetrain COMMAND --help` tells more.
    """
