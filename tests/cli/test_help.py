"""Every command's --help shows that command's own summary, arguments and
options (not just some "Usage" line): the table below is what the guides and
docs/cli.md promise, written out by hand."""

import click
import pytest
from click.testing import CliRunner

from safetrain.cli import COMMANDS, main

ARCHIVE = ["-a", "--archive", "--lang"]
EDIT = ["--dry-run", "--lang", "-a", "--archive"]

#: command path -> (first line of its help, usage after [OPTIONS], options or subcommands)
HELP = {
    "check": ("检查档案：加载、校验并应用规则集。", "[PATHS]...",
              ["--as-of", "--format", "--select", "--ignore", "--strict", "--exit-zero", "--ruleset", "--baseline",
               "--write-baseline", "--lang", "text|json|github|junit"]),
    "rules": ("列出全部规则，以及对本档案现行的参数。", "[ARCHIVE]", [*ARCHIVE, "--ruleset", "--format"]),
    "explain": ("解释一条规则：检查什么、为什么、示例、如何改正、依据与现行参数。", "CODE [ARCHIVE]", [*ARCHIVE, "--ruleset"]),
    "schema": ("写出各种档案文件的 JSON Schema。", "", ["-o", "--output", "--taplo", "--print", "--lang"]),
    "status": ("档案概况：在岗人数、培训覆盖率、学时、证书、演练、问题。", "[PATHS]...", ["--as-of", "--format", "--lang"]),
    "expiring": ("到期与待复审证书：已过期、将到期、待复审（含逾期），最近的在前。", "[PATHS]...",
                 ["--within", "--as-of", "--format", "--ics", "--lang"]),
    "matrix": ("人员×要求矩阵：每位在岗人员一行，每项适用的要求一列。", "[ARCHIVE]", [*ARCHIVE, "--as-of", "--format", "--department"]),
    "pair": ("师带徒最优配对：配对人数最多，其次同班组、同部门、师傅负担轻、工龄长。", "[ARCHIVE]",
             [*ARCHIVE, "--as-of", "--start", "--apprentice", "--format", "--write"]),
    "render": ("生成 Word 档案文件：每条记录一个 .docx。", "{person|card|session|signin|register|mentorship|drill|plan} [ID]... [ARCHIVE]",
               [*ARCHIVE, "-o", "--output", "--all", "--as-of", "-j", "--jobs"]),
    "ledger": ("生成 Excel 台账：培训、学时、持证、师带徒、演练、问题清单。", "[ARCHIVE]", [*ARCHIVE, "-o", "--output", "--as-of"]),
    "templates": ("检查、列出、复制 Word 模板 / Check, list and copy the Word templates.", "COMMAND [ARGS]...",
                  ["check", "copy", "list"]),
    "templates check": ("检查档案自带的模板：语法，以及上下文中没有的变量。", "[ARCHIVE]", ARCHIVE),
    "templates copy": ("把内置模板复制到档案的 templates/，以便在 Word 中修改。", "KIND... [ARCHIVE]", [*ARCHIVE, "--force"]),
    "templates list": ("每种文档使用的模板 / Which template each kind of document uses.", "[ARCHIVE]", ARCHIVE),
    "init": ("新建档案：写出带中文注释的 safetrain.toml 和空目录。", "DIR",
             ["--name", "--credit-code", "--industry", "--region", "--crowded-place", "--no-crowded-place",
              "--uses-gas", "--no-uses-gas", "--address", "--records-since", "--ruleset", "--lang"]),
    "new": ("新建人员、培训、演练、师带徒、四新或年度培训计划记录。", "COMMAND [ARGS]...",
            ["drill", "mentorship", "person", "session", "introduction", "plan"]),
    "new person": ("新建人员档案 people/ID.toml（ID 通常为工号）。", "ID [ARCHIVE]",
                   ["--name", "--id-number", "--employment", "--department", "--team", "--post", "--roles", "--hired",
                    "--on-post", "--left", "--post-since", "--skill-level", "--underground", "--note", *EDIT]),
    "new session": ("新建培训记录 sessions/<年>/ID.toml（档案的培训记录都直接放在 sessions/ 中时，也放在那里）；参加人员用 safetrain attend 登记。", "ID [ARCHIVE]",
                    ["--title", "--type", "--level", "--start", "--end", "--hours", "--topics", "--content",
                     "--methods", "--instructor", "--location", "--provider", "--contract", "--assessment",
                     "--pass-mark", "--note", *EDIT]),
    "new drill": ("新建应急演练记录 drills/<年>/ID.toml（档案的演练记录都直接放在 drills/ 中时，也放在那里）。", "ID [ARCHIVE]",
                  ["--title", "--date", "--scale", "--type", "--scenario", "--location", "--participants",
                   "--evaluation", "--note", *EDIT]),
    "new mentorship": ("新建师带徒记录 mentorships/ID.toml（ID 为徒弟的人员编号；不给 --post 时取徒弟的岗位）。", "ID [ARCHIVE]",
                       ["--mentor", "--post", "--start", "--end", "--signed-off", "--note", *EDIT]),
    "new introduction": ("新建四新记录 introductions/ID.toml（新工艺、新技术、新材料、新设备）。", "ID [ARCHIVE]",
                         ["--title", "--kind", "--date", "--departments", "--posts", "--note", *EDIT]),
    "new plan": ("新建年度安全培训计划 plans/年度.toml；--item \"名称;类型;月份;对象;学时\" 每项一次。", "YEAR [ARCHIVE]",
                 ["--approved", "--approved-by", "--budget", "--item", "--note", *EDIT]),
    "attend": ("登记参加培训的人员。", "SID PID... [ARCHIVE]",
               ["--score", "--passed", "--failed", "--hours", "--update", *ARCHIVE]),
    "cert": ("证书：登记、列出、复审、换证（特种作业操作证、安全管理人员合格证、健康证等）。", "COMMAND [ARGS]...",
             ["add", "list", "review", "renew"]),
    "cert list": ("列出在职人员的证书及其状态（有效、即将到期、待复审、已过期）。", "[ARCHIVE]",
                  ["--person", "--as-of", "--format", *ARCHIVE]),
    "cert review": ("登记一次复审：证书 NUMBER 的 reviews 加上 --date。", "PID NUMBER [ARCHIVE]", ["--date", *ARCHIVE]),
    "cert renew": ("登记换证：同种类、同作业类别的新证书，原证书保留。", "PID NUMBER [ARCHIVE]",
                   ["--issued", "--expires", "--new-number", *ARCHIVE]),
    "person": ("人员变动：离职、调岗、复岗。", "COMMAND [ARGS]...", ["leave", "transfer", "return"]),
    "person leave": ("登记离职：people/PID.toml 写入 left = --date。", "PID [ARCHIVE]", ["--date", *ARCHIVE]),
    "person transfer": ('登记调岗：people/PID.toml 加一条 [[changes]]（kind = "transfer"）。', "PID [ARCHIVE]",
                        ["--date", "--department", "--post", "--note", *ARCHIVE]),
    "person return": ('登记复岗：people/PID.toml 加一条 [[changes]]（kind = "return"）。', "PID [ARCHIVE]",
                      ["--date", "--away-since", "--department", "--post", *ARCHIVE]),
    "cert add": ("登记一张证书。", "PID [ARCHIVE]",
                 ["--kind", "--category", "--number", "--issued", "--expires", "--review", "--review-every-years", "--note", *ARCHIVE]),
    "attach": ("附加扫描件（签到表、合同、证书照片等）。", "RECORD FILE [ARCHIVE]", ["--kind", "--as", *ARCHIVE]),
    "import": ("从 Excel 导入花名册或培训签到/成绩。", "COMMAND [ARGS]...", ["attendance", "roster"]),
    "import roster": ("导入员工花名册。", "FILE [ARCHIVE]",
                      ["--template", "--dry-run", "--update", "--sheet", "--id-from", "--id-prefix", *ARCHIVE]),
    "import attendance": ("导入一期培训的签到和成绩。", "SID FILE [ARCHIVE]",
                          ["--template", "--dry-run", "--update", "--sheet", *ARCHIVE]),
    "fmt": ("规范档案文件的格式，使 git diff 保持简洁。", "[PATHS]...", ["--check", "--yes", "--lang"]),
    "export": ("导出档案数据到数据库：SQLite、PostgreSQL、Parquet。", "COMMAND [ARGS]...", ["parquet", "postgres", "sqlite"]),
    "export sqlite": ("把档案导出为一个 SQLite 数据库。", "OUT.db [PATHS]...", ["--as-of", "--unmasked", "--lang"]),
    "export postgres": ("把档案导出到 PostgreSQL 数据库（需要 safetrain[postgres]）。", "DSN [PATHS]...",
                        ["--as-of", "--schema", "--unmasked", "-j", "--jobs", "--lang"]),
    "export parquet": ("把档案导出为 Parquet 数据集（需要 safetrain[parquet]）。", "DIR [PATHS]...",
                       ["--as-of", "--unmasked", "-j", "--jobs", "--lang"]),
    "report": ("工作区报告 / Reports of an archive or a workspace.", "COMMAND [ARGS]...", ["html"]),
    "report html": ("生成静态 HTML 网站：工作区总览、各档案、一人一档、规则说明。", "[PATHS]...",
                    ["-o", "--output", "--as-of", "--lang"]),
}


def help_of(path: str) -> str:
    r = CliRunner().invoke(main, [*path.split(), "--help"], prog_name="safetrain", terminal_width=200)
    assert r.exit_code == 0, r.output
    return r.output


def command_tree():
    """(path, click command) of every command and subcommand."""
    def walk(cmd, path):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            yield f"{path} {name}".strip(), sub
            if isinstance(sub, click.Group):
                yield from walk(sub, f"{path} {name}")
    return list(walk(main, ""))


def test_the_table_is_every_command():
    assert sorted(path for path, _ in command_tree()) == sorted(HELP)


@pytest.mark.parametrize("path", sorted(HELP))
def test_help_shows_the_commands_own_summary_arguments_and_options(path):
    summary, usage, names = HELP[path]
    out = help_of(path)
    assert out.startswith(f"用法: safetrain {path} [OPTIONS] {usage}".rstrip() + "\n"), out.splitlines()[0]
    assert out.splitlines()[2].strip() == summary
    for name in names:
        assert name in out, (path, name)
    assert ("命令:" in out) == (usage == "COMMAND [ARGS]...")


@pytest.mark.parametrize("path", sorted(HELP))
def test_every_declared_option_is_shown_with_its_help(path):
    """Nothing a command declares is missing from its help (a hidden or mis-wired option)."""
    cmd = dict(command_tree())[path]
    out = " ".join(help_of(path).split())
    for param in cmd.params:
        if isinstance(param, click.Option) and not param.hidden:
            for opt in param.opts + param.secondary_opts:
                assert opt in out, (path, opt)
            assert " ".join((param.help or "").split()[:3]) in out, (path, param.name)


def test_the_group_lists_every_command_with_its_line():
    out = help_of("")
    for name, (_, _, line) in COMMANDS.items():
        assert f"{name} " in out and line in out, name
    assert "safetrain：安全生产培训档案的检查与打印。" in out


def test_every_subcommand_is_listed_in_both_languages():
    """A group's list of commands (cert --help, export --help, ...): each line Chinese / English,
    as the top level's, not the first line of a Chinese docstring."""
    for path, cmd in command_tree():
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(click.Context(cmd)):
                line = cmd.get_command(click.Context(cmd), name).get_short_help_str(limit=300)
                assert " / " in line and any(c.isascii() and c.isalpha() for c in line.split(" / ", 1)[1]), (path, name, line)


def test_click_s_own_words_follow_the_language():
    def run(*args, lang_env="zh_CN.UTF-8"):
        return CliRunner().invoke(main, list(args), prog_name="safetrain",
                                  env={"SAFETRAIN_LANG": None, "LANG": lang_env, "LC_ALL": None, "LC_MESSAGES": None})

    r = run("matrix", "--bogus")
    assert r.exit_code == 2
    assert r.output.splitlines() == ["用法: safetrain matrix [OPTIONS] [ARCHIVE]",
                                     "运行 'safetrain matrix --help' 查看帮助。", "", "错误：没有选项 '--bogus'。"]
    r = run("cert", "review", "E1")
    assert "错误：缺少参数 'NUMBER'" in r.output
    r = run("render", "persn")
    assert "的值无效：'persn' 不是可选值之一" in r.output
    r = run("matrix", "--bogus", "--lang", "en")  # --lang is known before the bad option is met
    assert "Error: No such option '--bogus'." in r.output and "Usage: safetrain matrix" in r.output
    r = run("matrix", "--bogus", lang_env="en_US.UTF-8")
    assert "Error: No such option" in r.output
    r = run("--help")
    assert "选项:" in r.output and "显示本帮助并退出。" in r.output and "命令 / Commands:" in r.output
    r = run("person", "leave", "--help")  # click's own mark of a required option, as new's options say it
    assert "[必填 / required]" in r.output and "[required]" not in r.output
    assert "[required]" in run("person", "leave", "--help", lang_env="en_US.UTF-8").output
    r = run("--help", lang_env="en_US.UTF-8")
    assert "Options:" in r.output and "Show this message and exit." in r.output


def test_prompts_take_shi_and_fou(monkeypatch):
    from safetrain.cli.support import yes_no

    assert yes_no("zh", "是") is True and yes_no("zh", "否") is False
    assert yes_no("zh", "Y") is True and yes_no("en", "no") is False
    with pytest.raises(click.UsageError, match="请回答 是 或 否"):
        yes_no("zh", "也许")


def test_a_key_new_fills_in_is_not_marked_required():
    """`new mentorship` takes the apprentice's post when --post is not given: its help does not
    mark --post required (--start it does)."""
    out = " ".join(help_of("new mentorship").split())
    assert "--post TEXT 岗位/工种 / post --start" in out and "开始日期 / start [必填 / required]" in out


@pytest.mark.parametrize("args, lang_env, line", [
    (["--version"], "zh_CN.UTF-8", "safetrain，版本 "),
    (["--version"], "en_US.UTF-8", "safetrain, version "),
    (["--lang", "en", "--version"], "zh_CN.UTF-8", "safetrain, version "),
    (["--version", "--lang", "en"], "zh_CN.UTF-8", "safetrain, version "),
    (["--version", "--lang=en"], "zh_CN.UTF-8", "safetrain, version "),
    (["--lang", "zh", "--version"], "en_US.UTF-8", "safetrain，版本 "),
    (["--version", "--lang", "zh"], "en_US.UTF-8", "safetrain，版本 "),
])
def test_version_follows_the_language_wherever_lang_stands(args, lang_env, line):
    """--version is eager, as --lang is: its line is in the run's language, --lang before or after it."""
    from safetrain import __version__

    for _ in range(2):  # the same process, one language after the other
        for env in (lang_env, "en_US.UTF-8" if lang_env.startswith("zh") else "zh_CN.UTF-8"):
            r = CliRunner().invoke(main, args, prog_name="safetrain",
                                   env={"SAFETRAIN_LANG": None, "LANG": env, "LC_ALL": None, "LC_MESSAGES": None,
                                        "LANGUAGE": None})
            if "--lang" in " ".join(args) or env == lang_env:
                assert r.exit_code == 0 and r.output == line + __version__ + "\n", (args, env, r.output)
