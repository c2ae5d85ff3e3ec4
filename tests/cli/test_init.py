"""safetrain init."""

import tomllib

import pytest

from helpers import CREDIT_CODE
from edit_helpers import a_family, run
from safetrain.archive.writing.canonical import format_text
from safetrain.cli import support

FACTS = ["--name", "宁夏测试机械有限公司", "--credit-code", CREDIT_CODE, "--industry", "加工制造业",
         "--region", "宁夏回族自治区银川市兴庆区", "--no-crowded-place", "--uses-gas"]


def test_init_writes_a_commented_register_and_empty_folders(tmp_path):
    target = tmp_path / "acme"
    result = run("init", target, *FACTS, "--records-since", "2023年7月1日")
    assert result.exit_code == 0, result.output
    assert f"已新建档案 {target}\n规则集：ningxia-2023（所在地区“宁夏回族自治区银川市兴庆区”含“宁夏”，属于宁夏）" in result.output
    text = (target / "safetrain.toml").read_text("utf-8")
    assert tomllib.loads(text) == {
        "format": 1, "ruleset": "ningxia-2023", "waivers": [],
        "enterprise": {"name": "宁夏测试机械有限公司", "credit_code": CREDIT_CODE, "industry": "manufacturing",
                       "crowded_place": False, "uses_gas": True, "region": "宁夏回族自治区银川市兴庆区",
                       "records_since": tomllib.loads("d = 2023-07-01")["d"]}}
    assert "# 统一社会信用代码（18位，GB 32100）\ncredit_code =" in text
    assert "# 可选：coal_mine 煤矿 · non_coal_mine 非煤矿山" in text
    assert "# [settings]\n# pass_mark = 60" in text
    for folder in ("people", "sessions", "drills", "mentorships", "introductions", "plans", "contracts", "attachments"):
        assert (target / folder / ".gitkeep").is_file()
    assert ".safetrain.lock" in (target / ".gitignore").read_text("utf-8")
    assert format_text(text, "config") == text
    assert a_family(target) == []
    assert run("check", target, "--as-of", "2023-07-02").exit_code == 0


def test_init_refuses_an_existing_archive(tmp_path):
    target = tmp_path / "acme"
    assert run("init", target, *FACTS).exit_code == 0
    before = (target / "safetrain.toml").read_bytes()
    result = run("init", target, *FACTS)
    assert result.exit_code == 2
    assert "已经是一个档案（已有 safetrain.toml），未作任何修改" in result.output
    assert (target / "safetrain.toml").read_bytes() == before
    nested = run("init", target / "attachments" / "inner", *FACTS, "--lang", "en")
    assert nested.exit_code == 2 and "is inside the archive" in nested.output
    workspace = run("init", tmp_path, *FACTS)
    assert workspace.exit_code == 2 and "下已有档案" in workspace.output
    assert not (tmp_path / "safetrain.toml").exists()


def test_init_checks_the_credit_code_before_writing(tmp_path):
    target = tmp_path / "acme"
    args = list(FACTS)
    args[args.index(CREDIT_CODE)] = CREDIT_CODE[:-1] + "0"
    result = run("init", target, *args)
    assert result.exit_code == 2
    assert result.output.strip() == f"错误：--credit-code：统一社会信用代码无效：校验码应为 {CREDIT_CODE[-1]}，实际为 0"
    assert not target.exists()


def test_init_without_a_terminal_names_what_is_missing(tmp_path):
    result = run("init", tmp_path / "acme", "--name", "某公司")
    assert result.exit_code == 2
    assert "缺少必填项：--credit-code（统一社会信用代码（18位，GB 32100））、--industry（行业）" in result.output
    assert not (tmp_path / "acme").exists()


def test_init_asks_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(support, "is_terminal", lambda: True)
    answers = ["某某饭店", "91350100M000100Y40", CREDIT_CODE, "11", "是", "y", "山东省济南市", ""]
    result = run("init", tmp_path / "hotel", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "11. catering 餐饮" in result.output
    assert "统一社会信用代码无效" in result.output  # the first code was refused and asked again
    data = tomllib.loads((tmp_path / "hotel" / "safetrain.toml").read_text("utf-8"))
    assert data["ruleset"] == "national"
    assert "建议的规则集：national（所在地区和统一社会信用代码都不在宁夏" in result.output
    assert data["enterprise"] == {"name": "某某饭店", "credit_code": CREDIT_CODE, "industry": "catering",
                                  "crowded_place": True, "uses_gas": True, "region": "山东省济南市"}


@pytest.mark.parametrize("ruleset, ok", [("national", True), ("beijing", False)])
def test_init_ruleset(tmp_path, ruleset, ok):
    result = run("init", tmp_path / "a", *FACTS, "--ruleset", ruleset, "--lang", "en")
    assert (result.exit_code == 0) == ok, result.output
    if not ok:
        assert 'no built-in rule set named "beijing"' in result.output


@pytest.mark.parametrize("region, credit_code, ruleset, why", [
    ("银川市兴庆区", CREDIT_CODE, "ningxia-2023", "含“银川”"),
    ("吴忠市利通区", CREDIT_CODE, "ningxia-2023", "含“吴忠”"),
    ("中宁县宁安镇", CREDIT_CODE, "ningxia-2023", "含“中宁县”"),
    ("西夏区北京西路", CREDIT_CODE, "ningxia-2023", "含“西夏区”"),
    ("某开发区", "91640100MA76XKQ20D", "ningxia-2023", "行政区划码 640100 属于宁夏"),
    ("山东省济南市", CREDIT_CODE, "national", "都不在宁夏"),
])
def test_init_recognises_ningxia_and_says_why(tmp_path, region, credit_code, ruleset, why):
    from safetrain.archive.reading.gbcodes import credit_check_char

    code = credit_code[:17] + credit_check_char(credit_code[:17])
    args = list(FACTS)
    args[args.index("宁夏回族自治区银川市兴庆区")] = region
    args[args.index(CREDIT_CODE)] = code
    result = run("init", tmp_path / "a", *args)
    assert result.exit_code == 0, result.output
    assert f"规则集：{ruleset}（" in result.output and why in result.output
    assert tomllib.loads((tmp_path / "a" / "safetrain.toml").read_text("utf-8"))["ruleset"] == ruleset


def test_init_asks_for_the_rule_set_on_a_terminal_and_names_the_choice(tmp_path, monkeypatch):
    monkeypatch.setattr(support, "is_terminal", lambda: True)
    args = [a for a in FACTS]
    args[args.index("宁夏回族自治区银川市兴庆区")] = "银川市金凤区"
    result = run("init", tmp_path / "a", *args, input="national\n")
    assert result.exit_code == 0, result.output
    assert "建议的规则集：ningxia-2023（所在地区“银川市金凤区”含“银川”，属于宁夏）" in result.output
    assert "规则集：national（按所选）" in result.output
    result = run("init", tmp_path / "b", *args, "--ruleset", "national")
    assert "规则集：national（由 --ruleset 指定）" in result.output and "建议" not in result.output


def test_init_a_sibling_named_with_dotdot_from_inside_an_archive(tmp_path, monkeypatch):
    """`init ../b` from inside archive a makes b beside it: `..` is gone up before asking
    whether the folder is inside an archive."""
    first = run("init", tmp_path / "a", *FACTS)
    assert first.exit_code == 0, first.output
    monkeypatch.chdir(tmp_path / "a")
    r = run("init", "../b", *FACTS)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "b" / "safetrain.toml").is_file()
    inside = run("init", "../a/people/c", *FACTS)
    assert inside.exit_code == 2 and "档案不能套在另一个档案里" in inside.output


def _full_disk_at(monkeypatch, name):
    """Writing a file named `name` fails as on a full disk (the folders and files before it are made)."""
    from safetrain.archive.writing import skeleton

    real = skeleton.write_new_bytes

    def write_new_bytes(path, data, *args, **kwargs):
        if path.name == name:
            raise skeleton.cannot_write(path, OSError(28, "No space left on device"))
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(skeleton, "write_new_bytes", write_new_bytes)


@pytest.mark.parametrize("last", ["safetrain.toml", ".gitkeep"])
def test_init_on_a_full_disk_leaves_nothing(tmp_path, monkeypatch, last):
    """A full disk at safetrain.toml left eight folders, .gitkeep files and a .gitignore but no archive
    (then `check` said there was none). Now nothing of it is left, and the message says so."""
    _full_disk_at(monkeypatch, last)
    target = tmp_path / "new" / "acme"
    result = run("init", target, *FACTS)
    assert result.exit_code == 2
    assert result.output.startswith(f"错误：无法写入 {target}/")
    assert result.output.endswith("：磁盘空间不足；档案未建成，没有留下任何文件\n"), result.output
    assert list(tmp_path.iterdir()) == []
    english = run("init", target, *FACTS, "--lang", "en")
    assert english.output.endswith(": No space left on device; no archive was made; nothing of it was left\n")
    monkeypatch.undo()
    assert run("init", target, *FACTS).exit_code == 0  # and it can be made after


def test_init_on_a_full_disk_in_an_existing_folder_keeps_what_was_there(tmp_path, monkeypatch):
    """In a folder that existed (a repository's), only what init made goes: its folders and files,
    the lines it added to the user's .gitignore; the folder and the user's files stay as they were."""
    target = tmp_path / "acme"
    (target / "people").mkdir(parents=True)
    (target / "people/名单.txt").write_text("mine\n", "utf-8")
    (target / ".gitignore").write_text("*.bak", "utf-8")  # no newline at its end
    (target / "README.md").write_text("# 档案\n", "utf-8")
    before = {p.relative_to(target).as_posix(): (p.read_bytes() if p.is_file() else None) for p in target.rglob("*")}
    _full_disk_at(monkeypatch, "safetrain.toml")
    result = run("init", target, *FACTS)
    assert result.exit_code == 2 and "档案未建成，没有留下任何文件" in result.output, result.output
    after = {p.relative_to(target).as_posix(): (p.read_bytes() if p.is_file() else None) for p in target.rglob("*")}
    assert after == before


def test_init_names_the_file_in_the_way(tmp_path):
    """`sessions` is a file in the folder given: the error names it, not the folder (which is one)."""
    target = tmp_path / "acme"
    target.mkdir()
    (target / "sessions").write_text("x", encoding="utf-8")
    r = run("init", target, *FACTS)
    assert r.exit_code == 2 and f"{target / 'sessions'}" in r.output and "档案未建成" in r.output, r.output
    assert sorted(p.name for p in target.iterdir()) == ["sessions"]
    (tmp_path / "i2").write_text("x", encoding="utf-8")  # a parent that is a file: named, not the hidden build
    r = run("init", tmp_path / "i2" / "sub", *FACTS)
    assert r.exit_code == 2 and f"无法写入 {tmp_path / 'i2'}：" in r.output and ".init-" not in r.output, r.output


def test_init_a_folder_whose_name_is_as_long_as_a_name_can_be(tmp_path):
    """84 Chinese characters (252 bytes) is a valid folder name; the hidden folder it is built in added
    14 bytes to it (文件名过长)."""
    target = tmp_path / ("档" * 84)
    r = run("init", target, *FACTS)
    assert r.exit_code == 0, r.output
    assert (target / "safetrain.toml").is_file() and [p.name for p in tmp_path.iterdir()] == [target.name]


def test_init_removes_what_a_killed_init_left_beside_it(tmp_path):
    """A run killed while building leaves `.acme.init-xxxxxxxx`; the next init of acme removes one
    nobody touched for a minute (a run of its own is over in a second), and no other folder."""
    import os
    import time

    stale, fresh, other = (tmp_path / ".acme.init-abcd1234", tmp_path / ".acme.init-wxyz5678",
                           tmp_path / ".beta.init-abcd1234")
    for folder in (stale, fresh, other):
        (folder / "people").mkdir(parents=True)
    old = time.time() - 120
    for folder in (stale, other):
        os.utime(folder, (old, old))
    assert run("init", tmp_path / "acme", *FACTS).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".acme.init-wxyz5678", ".beta.init-abcd1234", "acme"]
