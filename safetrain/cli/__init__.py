"""The command line: click commands only, loaded lazily so `--help` is fast.

Each command lives in its own module and is imported only when it runs (or
when its help is shown); heavy libraries are imported inside command bodies.
"""

from __future__ import annotations

import importlib
import importlib.util
import os

import click

from .. import __version__
from ..errors import SafetrainError
from .options import default_lang

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
    "new": ("safetrain.cli.edit", "new", "新建人员、培训、演练、师带徒记录 / Add a person, session, drill or mentorship"),
    "attend": ("safetrain.cli.edit", "attend", "登记参加培训人员 / Add attendees to a session"),
    "cert": ("safetrain.cli.edit", "cert", "证书 / Certificates"),
    "attach": ("safetrain.cli.edit", "attach", "附加扫描件 / Attach a scan to a record"),
    "import": ("safetrain.cli.importing", "import_", "从 Excel 导入花名册或签到 / Import a roster or attendance from Excel"),
    "fmt": ("safetrain.cli.fmt", "fmt", "规范格式 / Canonical formatting"),
    "export": ("safetrain.cli.export", "export", "导出到 SQLite、PostgreSQL、Parquet / Export to SQLite, PostgreSQL, Parquet"),
}


def _available(name: str) -> bool:
    return importlib.util.find_spec(COMMANDS[name][0]) is not None


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | {n for n in COMMANDS if _available(n)})

    def get_command(self, ctx, name):
        if name in COMMANDS and _available(name):
            module, attr, _ = COMMANDS[name]
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx) if name in COMMANDS]
        with formatter.section("Commands / 命令"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        """Never a traceback: library errors and bugs become one line and exit 2."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except SafetrainError as exc:
            click.echo(f"错误 / error: {exc.message(default_lang())}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("已中断 / interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as exc:  # a bug: say so on one line; SAFETRAIN_DEBUG=1 shows where
            if os.environ.get("SAFETRAIN_DEBUG"):
                raise
            click.echo(f"内部错误 / internal error: {type(exc).__name__}: {exc} "
                       "(SAFETRAIN_DEBUG=1 shows the traceback; please report it)", err=True)
            ctx.exit(2)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="safetrain")
def main():
    """safetrain：安全生产培训档案的检查与打印。

    Keeps a business's safety-training archive as TOML files, checks it
    against Chinese safety-training law, and prints the documents inspectors
    ask for. `safetrain COMMAND --help` tells more.
    """
