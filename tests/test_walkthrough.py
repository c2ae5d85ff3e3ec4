"""The README's day of work, run line by line from a fresh folder holding the sample files:
init -> import roster -> new session -> import attendance -> check -> render -> ledger."""

import re
import shlex
import shutil
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from safetrain.cli import main

ROOT = Path(__file__).resolve().parents[1]


def walkthrough() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## 一天的工作 / A day's work", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_walkthrough_runs_from_a_fresh_folder(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    outputs = {}
    lines = walkthrough()
    assert [line.split()[1] for line in lines if line.startswith("safetrain")] == [
        "init", "import", "import", "new", "import", "check", "render", "render", "ledger"]
    for line in lines:
        words = shlex.split(line)
        if words[0] == "cd":
            monkeypatch.chdir(Path.cwd() / words[1])
            continue
        assert words[0] == "safetrain", line
        r = CliRunner().invoke(main, words[1:], catch_exceptions=False)
        assert "Traceback" not in r.output and "内部错误" not in r.output, r.output
        assert r.exit_code in ((0, 1) if words[1] == "check" else (0,)), (line, r.output)
        outputs[" ".join(words[1:3])] = r.output
    archive = tmp_path / "塞上人家"
    assert "规则集：ningxia-2023（所在地区“银川市兴庆区”含“银川”，属于宁夏）" in outputs["init 塞上人家"]
    assert "新建 8，更新 0，跳过 0，出错 0 行" in outputs["import roster"]
    assert sorted(p.stem for p in (archive / "people").glob("*.toml")) == [f"CY00{n}" for n in range(1, 9)]
    assert "登记 7 人，更新 0，跳过 0，未参加 1，出错 0 行" in outputs["import attendance"]
    session = (archive / "sessions/2026/2026-11-18-gas.toml").read_text("utf-8")
    assert '{ person = "CY001", score = 92 }' in session and "CY006" not in session
    assert 'topics = ["gas", "fire", "emergency"]' in session
    assert "P001" in outputs["check --as-of"]  # the new cook's pre-job training is missing
    signin = Document(str(archive / "printed/signin-2026-11-18-gas.docx"))
    names = [row.cells[2].text for row in signin.tables[1].rows[1:8]]
    assert names[:2] == ["马建国", "杨慧"]
    ledger = load_workbook(archive / "安全培训台账.xlsx")
    assert ledger["培训台账"]["A1"].value.startswith("宁夏塞上人家餐饮有限公司 · 截至 2026年11月30日")
    assert ledger["培训台账"]["A3"].value == "2026-11-18-gas"
