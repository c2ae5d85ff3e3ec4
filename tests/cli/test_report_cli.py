"""safetrain report html from the command line: where it writes, what it replaces, user templates."""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from edit_helpers import snapshot
from helpers import AS_OF, person, session

from safetrain.cli import main


def run(*args):
    return CliRunner().invoke(main, ["report", "html", *map(str, args), "--as-of", str(AS_OF)])


@pytest.fixture
def workspace(make_archive, tmp_path):
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person(), "sessions/S1.toml": session()}, root=ws / "acme")
    make_archive({"people/E1.toml": person("李四")}, root=ws / "bolt")
    return ws


def test_help():
    r = CliRunner().invoke(main, ["report", "html", "--help"])
    assert r.exit_code == 0
    assert "-o, --output DIR" in r.output and "--as-of DATE" in r.output and "--lang [zh|en]" in r.output


def test_writes_the_site_and_prints_its_index(workspace, tmp_path):
    out = tmp_path / "site"
    r = run(workspace, "-o", out)
    assert r.exit_code == 0, r.output
    assert r.output.strip() == str(out / "index.html")
    assert (out / "a/acme.html").is_file() and (out / "a/bolt.html").is_file()
    assert not (out / "people").exists()  # a small archive: one page, its person list and files on it
    assert sorted(p.name for p in out.parent.iterdir()) == ["site", "ws"]  # no temporary folder left


def test_output_is_required_and_paths_must_hold_archives(tmp_path):
    assert run(tmp_path).exit_code == 2
    (tmp_path / "empty").mkdir()
    r = run(tmp_path / "empty", "-o", tmp_path / "site")
    assert r.exit_code == 2 and "没有档案" in r.output and not (tmp_path / "site").exists()


@pytest.mark.parametrize("inside", ["people", "sessions/2024", "templates", "attachments/site", "plans", "."])
def test_never_into_an_archive_s_records(workspace, inside):
    target = workspace / "acme" / inside
    before = sorted(p.relative_to(workspace).as_posix() for p in workspace.rglob("*"))
    r = run(workspace, "-o", target)
    assert r.exit_code == 2, r.output
    assert "不能写入" in r.output and "Traceback" not in r.output
    assert sorted(p.relative_to(workspace).as_posix() for p in workspace.rglob("*")) == before


def test_refuses_a_folder_it_did_not_write(workspace, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    r = run(workspace, "-o", out, "--lang", "en")
    assert r.exit_code == 2 and "is not empty and not a site written by" in r.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_an_empty_folder_is_fine(workspace, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert run(workspace, "-o", out).exit_code == 0 and (out / "index.html").is_file()


def test_replaces_its_own_site_and_keeps_the_user_ssnapshot(workspace, tmp_path):
    out = tmp_path / "site"
    assert run(workspace, "-o", out).exit_code == 0
    (out / "CNAME").write_text("training.example.org\n", encoding="utf-8")
    (out / "a" / "notes").mkdir()
    (out / "a" / "notes" / "mine.md").write_text("mine", encoding="utf-8")
    assert (out / "a/bolt.html").is_file()
    r = run(workspace / "acme", "-o", out)  # now one archive: bolt's pages are gone
    assert r.exit_code == 0, r.output
    assert not (out / "a/bolt.html").exists() and (out / "a/acme.html").is_file()
    assert (out / "CNAME").read_text(encoding="utf-8") == "training.example.org\n"
    assert (out / "a/notes/mine.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "ws"]


def test_refuses_to_replace_a_user_file_with_a_page(workspace, tmp_path):
    out = tmp_path / "site"
    assert run(workspace, "-o", out).exit_code == 0
    (out / ".safetrain-site").write_text((out / ".safetrain-site").read_text().replace("site.css\n", ""))
    (out / "site.css").write_text("my own", encoding="utf-8")  # now not listed as the site's: the user's
    r = run(workspace, "-o", out)
    assert r.exit_code == 2 and "site.css" in r.output
    assert (out / "site.css").read_text(encoding="utf-8") == "my own"


def test_templates_from_the_workspace_and_the_archive(workspace, tmp_path):
    (workspace / "templates/html").mkdir(parents=True)
    (workspace / "templates/html/base.html").write_text(
        (Path(__file__).resolve().parents[2] / "safetrain/reports/html/templates/base.html").read_text(encoding="utf-8")
        .replace("<main id=\"main\">", "<main id=\"main\"><p class=\"brand\">某某安全咨询</p>"), encoding="utf-8")
    (workspace / "acme/templates/html").mkdir(parents=True)
    (workspace / "acme/templates/html/archive.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ enterprise }}：自定义</h1>{% endblock %}', encoding="utf-8")
    out = tmp_path / "site"
    r = run(workspace, "-o", out)
    assert r.exit_code == 0, r.output
    index = (out / "index.html").read_text(encoding="utf-8")
    acme = (out / "a/acme.html").read_text(encoding="utf-8")
    bolt = (out / "a/bolt.html").read_text(encoding="utf-8")
    assert "某某安全咨询" in index and "某某安全咨询" in acme and "某某安全咨询" in bolt
    assert "宁夏测试机械有限公司：自定义" in acme and "自定义" not in bolt


def test_a_template_cannot_leave_the_sandbox(workspace, tmp_path):
    (workspace / "templates/html").mkdir(parents=True)
    (workspace / "templates/html/workspace.html").write_text(
        "{{ L.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    out = tmp_path / "site"
    r = run(workspace, "-o", out)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "workspace.html" in r.output and "沙箱" in r.output
    assert not out.exists()


def test_a_broken_template_is_named_with_its_line(workspace, tmp_path):
    (workspace / "acme/templates/html").mkdir(parents=True)
    (workspace / "acme/templates/html/archive.html").write_text("<p>\n{{ nothing_here }}\n", encoding="utf-8")
    r = run(workspace, "-o", tmp_path / "site", "--lang", "en")
    assert r.exit_code == 2
    assert "acme/templates/html/archive.html:2" in r.output and "nothing_here" in r.output


def test_a_missing_include_is_named_where_it_is_written(workspace, tmp_path):
    (workspace / "acme/templates/html").mkdir(parents=True)
    (workspace / "acme/templates/html/person.html").write_text('<p>\n\n{% include "nosuch.html" %}\n', encoding="utf-8")
    r = run(workspace, "-o", tmp_path / "site", "--lang", "en")
    assert r.exit_code == 2 and "acme/templates/html/person.html:3: no template nosuch.html" in r.output


def test_a_template_symlinked_out_of_the_archive_is_not_used(workspace, tmp_path):
    outside = tmp_path / "evil.html"
    outside.write_text("EVIL {{ 1 }}", encoding="utf-8")
    (workspace / "acme/templates/html").mkdir(parents=True)
    (workspace / "acme/templates/html/archive.html").symlink_to(outside)
    r = run(workspace, "-o", tmp_path / "site")
    assert r.exit_code == 2 and "templates/html/archive.html 指向模板目录之外" in r.output  # said, not ignored
    assert not (tmp_path / "site/a/acme.html").exists() and (tmp_path / "site/a/bolt.html").is_file()
    assert "EVIL" not in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))


def test_the_same_site_from_one_process_or_several(tmp_path):
    """Workers render and write their archives' pages straight into the site being made:
    the same files, the same bytes, the same listing as one process and as build_site."""
    from safetrain.api import check_paths
    from safetrain.reports.html.site import build_site, render_site

    one, two = tmp_path / "one", tmp_path / "two"
    SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"
    assert run(SAMPLE, "-o", one, "-j", "1").exit_code == 0
    assert run(SAMPLE, "-o", two, "-j", "2").exit_code == 0
    assert snapshot(one) == snapshot(two)
    built = render_site(build_site(list(check_paths([SAMPLE], AS_OF)), "zh"))
    assert {k: v for k, v in snapshot(one).items() if k != ".safetrain-site"} == built
    assert (one / ".safetrain-site").read_text(encoding="utf-8").splitlines()[1:] == sorted(built)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "two"]  # no temporary folder left


def test_the_folder_is_refused_before_any_archive_is_checked(workspace, tmp_path, monkeypatch):
    from safetrain import api

    checked = []
    real = api.check_path
    monkeypatch.setattr(api, "check_path", lambda *a, **k: checked.append(a) or real(*a, **k))
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    r = run(workspace, "-o", out, "-j", "1")
    assert r.exit_code == 2 and "不是空目录" in r.output
    assert checked == []


def test_a_page_that_cannot_be_written_is_one_line(tmp_path):
    from safetrain.errors import SafetrainError
    from safetrain.reports.html.writer import put

    (tmp_path / "a").write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(SafetrainError) as err:
        put(tmp_path, "a/b/index.html", b"<p>")
    assert "无法写入" in err.value.zh and "a/b/index.html" in err.value.en


def test_a_failed_swap_leaves_the_previous_site_and_the_user_ssnapshot(tmp_path, monkeypatch):
    from safetrain.reports.html import writer

    out = tmp_path / "site"
    writer.write_site({"index.html": b"old", "a/x/index.html": b"old x"}, out)
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    real = os.rename

    def rename(src, dst):
        if str(dst) == str(out) and ".site.new-" in str(src):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(writer.os, "rename", rename)
    with pytest.raises(OSError):
        writer.write_site({"index.html": b"new"}, out)
    assert (out / "index.html").read_bytes() == b"old" and (out / "a/x/index.html").read_bytes() == b"old x"
    assert (out / "CNAME").read_text(encoding="utf-8") == "example.org\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging or old folder left


def test_a_full_disk_at_the_first_file_leaves_no_hidden_folder(workspace, tmp_path, monkeypatch):
    """The hidden folder was made, its writer's mark could not be written (a full disk): the folder,
    made before the context manager that removes it existed, was left behind (.site.new-XXXXXXXX)."""
    real = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name == ".safetrain-writer":
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    r = run(workspace, "-o", tmp_path / "site")
    assert r.exit_code == 2 and f"错误：无法写入 {tmp_path / 'site'}：磁盘空间不足" in r.output, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]


def test_an_archive_that_fails_halfway_leaves_no_page_behind(workspace, tmp_path, monkeypatch):
    """Its pages written before the failure are not in the site: nothing outside the site's list."""
    from safetrain.reports.html import site as html_site
    from safetrain.reports.html import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)  # bolt's person list on pages: its archive page, then people/bolt/2.html
    (workspace / "bolt/people/E2.toml").write_text(person("王五"), encoding="utf-8")
    real = html_site.Renderer.render

    def render(self, page):
        if page.path.startswith("people/bolt/"):
            raise RuntimeError("a bug in the middle of bolt")
        return real(self, page)

    monkeypatch.setattr(html_site.Renderer, "render", render)
    out = tmp_path / "site"
    r = run(workspace, "-o", out, "-j", "1")
    assert r.exit_code == 2 and "bolt" in r.output  # reported, the others made
    listed = set((out / ".safetrain-site").read_text(encoding="utf-8").splitlines()[1:])
    assert set(snapshot(out)) - {".safetrain-site"} == listed
    assert "a/acme.html" in listed and not (out / "a/bolt.html").exists() and not (out / "people").exists()


@pytest.mark.parametrize("before", ["none", "site"])
def test_a_file_put_in_the_folder_while_the_site_is_made_is_kept(tmp_path, before):
    """The folder is looked at again when the site is moved in: a file the user put there
    meanwhile (minutes, on a large workspace) is theirs, carried over like the others."""
    from safetrain.reports.html import writer

    out = tmp_path / "site"
    if before == "site":
        writer.write_site({"index.html": b"old"}, out)
    with writer.SiteFolder(out) as site:
        writer.put(site.folder, "index.html", b"new")
        out.mkdir(exist_ok=True)
        (out / "during.txt").write_text("mine", encoding="utf-8")  # while the archives are checked
        site.finish(["index.html"])
    assert (out / "index.html").read_bytes() == b"new"
    assert (out / "during.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_what_a_killed_run_left_beside_the_site_is_swept(workspace, tmp_path):
    """A run killed while writing leaves .site.new-XXXXXXXX (and at the swap .site.old-XXXXXXXX);
    the next run removes them once a minute old, unless a live process of this machine writes it."""
    import socket
    import time

    stale, alive, old = (tmp_path / ".site.new-deadbeef", tmp_path / ".site.new-aliveone", tmp_path / ".site.old-leftover")
    kept = tmp_path / ".site.new-keptuser"  # a failed swap left the user's files in it: never swept
    for folder, pid in ((stale, 2 ** 22 + 12345), (alive, os.getpid()), (old, None), (kept, None)):
        (folder / "a").mkdir(parents=True)
        if pid is not None:
            (folder / ".safetrain-writer").write_text(f"{socket.gethostname()} {pid}\n", encoding="utf-8")
        if folder is kept:
            (folder / ".safetrain-kept").write_text("", encoding="utf-8")
        an_hour_ago = time.time() - 3600
        os.utime(folder, (an_hour_ago, an_hour_ago))
    assert run(workspace, "-o", tmp_path / "site").exit_code == 0
    assert not stale.exists() and not old.exists() and alive.exists() and kept.exists()
    assert not (tmp_path / "site" / ".safetrain-writer").exists()


def test_an_archive_whose_safetrain_toml_is_unusable_is_left_out_of_the_site_and_the_export(workspace, tmp_path):
    """Its enterprise and rule set are unknown: not shown under the national defaults (said, with
    the file's first problem); the other archives are shown and exported."""
    (workspace / "bolt" / "safetrain.toml").write_text('format = 1\nruleset = "national"\n[enterprise\n', encoding="utf-8")
    r = run(workspace, "-o", tmp_path / "site")
    assert r.exit_code == 2 and "bolt/safetrain.toml 有错误：TOML 语法错误" in r.output, r.output
    assert (tmp_path / "site/a/acme.html").is_file() and not (tmp_path / "site/a/bolt.html").exists()
    r = CliRunner().invoke(main, ["export", "sqlite", str(tmp_path / "x.db"), str(workspace), "--as-of", str(AS_OF)])
    assert r.exit_code == 2 and "bolt/safetrain.toml 有错误" in r.output, r.output
    import sqlite3

    assert [a for (a,) in sqlite3.connect(tmp_path / "x.db").execute("SELECT archive FROM enterprises")] == ["acme"]


def test_an_override_of_person_html_or_of_archive_html_still_prints_each_person(workspace, tmp_path):
    """person.html is one person's file (`p`): overriding it changes every person's file; a page
    (archive.html, people.html) that loops over persons and includes person.html prints each person once."""
    html = workspace / "acme" / "templates" / "html"
    html.mkdir(parents=True)
    (html / "person.html").write_text('<p class="mine">{{ p.person.name }}</p>\n', encoding="utf-8")
    assert run(workspace, "-o", tmp_path / "a").exit_code == 0
    page = (tmp_path / "a/a/acme.html").read_text(encoding="utf-8")
    assert page.count('<p class="mine">') == 1 and '<p class="mine">张三</p>' in page
    (html / "archive.html").write_text('{% for p in persons %}{% include "person.html" %}{% endfor %}', encoding="utf-8")
    assert run(workspace, "-o", tmp_path / "b").exit_code == 0
    assert (tmp_path / "b/a/acme.html").read_text(encoding="utf-8").count('<p class="mine">') == 1


def test_the_views_leave_out_an_archive_whose_safetrain_toml_is_unusable(workspace, tmp_path):
    """status, matrix, expiring and pair showed its people under the national defaults, exit 0."""
    (workspace / "bolt" / "safetrain.toml").write_text('format = 1\nruleset = "national"\n[enterprise\n', encoding="utf-8")
    for args in (["status", str(workspace)], ["expiring", str(workspace)], ["matrix", "-a", str(workspace)],
                 ["pair", "-a", str(workspace / "bolt")]):
        r = CliRunner().invoke(main, [*args, "--as-of", str(AS_OF)])
        assert r.exit_code == 2 and "bolt/safetrain.toml 有错误" in r.output, (args, r.output)
        assert "此档案未处理" in r.output and "李四" not in r.output, (args, r.output)  # bolt's people not shown
        if args[0] in ("status", "matrix"):
            assert "acme" in r.output or "张三" in r.output, (args, r.output)  # the other archive is


def test_a_template_included_from_a_link_out_is_said_in_the_language_asked(workspace, tmp_path):
    """An override that includes a template linked out of the folder: the loader's own message, in
    English with --lang en (not the Chinese one wrapped as an internal SafetrainError)."""
    outside = tmp_path / "evil.html"
    outside.write_text("EVIL", encoding="utf-8")
    (workspace / "acme/templates/html").mkdir(parents=True)
    (workspace / "acme/templates/html/archive.html").write_text('{% include "evil.html" %}', encoding="utf-8")
    (workspace / "acme/templates/html/evil.html").symlink_to(outside)
    r = run(workspace, "-o", tmp_path / "site", "--lang", "en")
    assert r.exit_code == 2 and "EVIL" not in r.output and "SafetrainError" not in r.output
    assert "template templates/html/evil.html points outside the templates folder (a link)" in r.output
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in r.output.replace(str(workspace), "").replace(str(tmp_path), ""))


@pytest.mark.parametrize("first", ["line1\n", '{% from "_macros.html" import findings_table %}\n'])
def test_an_error_in_an_overridden_person_file_names_its_own_line(workspace, tmp_path, first):
    """The person files of a page are made from person.html (persons.html): an error names the
    line of person.html the user wrote, whatever the page's loop and hoisted imports add."""
    (workspace / "acme/templates/html").mkdir(parents=True)
    (workspace / "acme/templates/html/person.html").write_text(f"{first}line2\n{{{{ 1/0 }}}}\nline4\n", encoding="utf-8")
    r = run(workspace, "-o", tmp_path / "site", "--lang", "en")
    assert r.exit_code == 2 and "person.html:3" in r.output and "ZeroDivisionError" in r.output, r.output


def test_an_archive_that_could_not_be_read_is_named_on_the_workspace_page(workspace, tmp_path):
    """A dashboard published by CI says which client is missing from it, and why (its folder's
    name, the reason without the machine's folders), not only the command's standard error."""
    (workspace / "acme" / "safetrain.toml").write_text(
        (workspace / "acme" / "safetrain.toml").read_text("utf-8").replace("format = 1", "format = 9"), encoding="utf-8")
    r = run(workspace, "-o", tmp_path / "site")
    assert r.exit_code == 2
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert 'class="left-out"' in home and "<code>acme</code>" in home and "档案格式版本 9" in home
    assert str(workspace) not in home
    assert run(workspace / "bolt", "-o", tmp_path / "clean").exit_code == 0
    assert 'class="left-out"' not in (tmp_path / "clean" / "index.html").read_text("utf-8")


def test_an_archive_s_stylesheet_styles_a_site_of_that_archive_and_is_said_unused_in_a_larger_one(workspace, tmp_path):
    (workspace / "acme/templates/html").mkdir(parents=True)
    (workspace / "acme/templates/html/site.css").write_text("body { color: red } /* acme's */\n", encoding="utf-8")
    r = run(workspace / "acme", "-o", tmp_path / "one")
    assert r.exit_code == 0 and "acme's" in (tmp_path / "one/site.css").read_text(encoding="utf-8")
    r = run(workspace, "-o", tmp_path / "all", "--lang", "en")
    assert r.exit_code == 0 and "acme's" not in (tmp_path / "all/site.css").read_text(encoding="utf-8")
    assert "acme/templates/html/site.css is not used" in r.output
    r = run(workspace, "-o", workspace / "acme" / "people" / "site", "--lang", "en")  # refused: nothing else said
    assert r.exit_code != 0 and "not used" not in r.output


def test_an_archive_html_of_the_old_layout_is_said_to_print_no_person_files(workspace, tmp_path):
    (workspace / "acme/templates/html").mkdir(parents=True)
    (workspace / "acme/templates/html/archive.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ archive }}</h1>{# persons: later #}{% endblock %}\n',
        encoding="utf-8")
    r = run(workspace, "-o", tmp_path / "site", "--lang", "en")
    assert r.exit_code == 0 and "acme/templates/html/archive.html prints no person files" in r.output
    (workspace / "acme/templates/html/archive.html").write_text(
        '{% extends "base.html" %}{% block main %}{% include "persons.html" %}{% endblock %}\n', encoding="utf-8")
    assert "prints no person files" not in run(workspace, "-o", tmp_path / "site", "--lang", "en").output


def test_a_run_killed_between_the_swap_s_renames_leaves_the_previous_site_to_the_next(workspace, tmp_path):
    """Killed after the previous site was set aside and before the new one took its place: the
    next run puts the previous site back first (it used to remove it a minute later)."""
    from safetrain.reports.html import writer

    out = tmp_path / "site"
    assert run(workspace, "-o", out).exit_code == 0
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    before = snapshot(out)
    aside = tmp_path / ".site.old-abcd1234"
    aside.mkdir()
    (out).rename(aside / "site")  # the state a kill -9 between the two renames leaves
    with writer.SiteFolder(out):  # what the next run does first
        assert snapshot(out) == before
    assert snapshot(out) == before  # left without finishing: the previous site, whole


def test_the_site_is_chinese_unless_lang_says_otherwise_whatever_the_locale(workspace, tmp_path):
    """A site built in CI and on an English laptop is the same (the locale chooses the messages)."""
    english = CliRunner(env={"SAFETRAIN_LANG": None, "LC_ALL": "en_US.UTF-8"})
    r = english.invoke(main, ["report", "html", str(workspace), "-o", str(tmp_path / "a"), "--as-of", "2024-06-30"])
    assert r.exit_code == 0 and '<html lang="zh-CN">' in (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    r = english.invoke(main, ["report", "html", str(workspace), "-o", str(tmp_path / "b"), "--as-of", "2024-06-30",
                              "--lang", "en"])
    assert r.exit_code == 0 and '<html lang="en">' in (tmp_path / "b" / "index.html").read_text(encoding="utf-8")
    r = english.invoke(main, ["report", "html", str(workspace / "nowhere"), "-o", str(tmp_path / "c")])
    assert r.exit_code == 2 and r.output.startswith("error:")  # the message in the locale's language
    for n, args in enumerate((["--lang", "en", "report", "html"], ["report", "--lang", "en", "html"])):
        # --lang one level up: the messages were English, the site Chinese
        r = CliRunner().invoke(main, [*args, str(workspace), "-o", str(tmp_path / f"up{n}"), "--as-of", "2024-06-30"])
        assert r.exit_code == 0 and '<html lang="en">' in (tmp_path / f"up{n}" / "index.html").read_text(encoding="utf-8")


def test_a_run_killed_while_carrying_the_user_s_files_gives_them_back(workspace, tmp_path):
    """Killed after the user's file was moved into the site being made and the previous site set
    aside: the next run (a minute on) puts the previous site back and the user's file with it."""
    import os
    import shutil
    import time

    from safetrain.reports.html import writer

    out = tmp_path / "site"
    assert run(workspace, "-o", out).exit_code == 0
    (out / "notes").mkdir()
    (out / "notes" / "mine.txt").write_text("mine\n", encoding="utf-8")
    new, aside = tmp_path / ".site.new-abcd1234", tmp_path / ".site.old-efgh5678"
    shutil.copytree(out, new)  # the site being made: pages, its list, the user's file moved in, kept
    (new / ".safetrain-kept").write_text("", encoding="utf-8")
    aside.mkdir()
    (out / "notes" / "mine.txt").unlink()
    (out / "notes").rmdir()
    out.rename(aside / "site")  # and the previous site set aside: then the kill
    past = time.time() - 120
    for folder in (new, aside):
        os.utime(folder, (past, past))
    with writer.SiteFolder(out):
        pass
    assert (out / "notes" / "mine.txt").read_text(encoding="utf-8") == "mine\n" and (out / "index.html").is_file()
    assert not (new / ".safetrain-kept").exists() and not (new / "notes").exists()


def test_a_rebuilt_site_links_its_unchanged_files_and_writes_the_changed_ones(workspace, tmp_path):
    """The same bytes as a site made afresh; an unchanged page is the previous one's file (linked:
    one inode), a changed page a new file; the previous site's names are gone after the swap."""
    out, fresh = tmp_path / "site", tmp_path / "fresh"
    assert run(workspace, "-o", out).exit_code == 0
    inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    (workspace / "bolt" / "people" / "E2.toml").write_text(person("王五"), encoding="utf-8")  # bolt changes
    assert run(workspace, "-o", out).exit_code == 0 and run(workspace, "-o", fresh).exit_code == 0
    assert snapshot(out) == snapshot(fresh)
    now = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    assert now["a/acme.html"] == inodes["a/acme.html"] and now["rules/national/C001.html"] == inodes["rules/national/C001.html"]
    assert now["a/bolt.html"] != inodes["a/bolt.html"] and now["index.html"] != inodes["index.html"]
    assert all(p.stat().st_nlink == 1 for p in out.rglob("*.html"))  # the previous site's names: gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "site", "ws"]


def test_where_no_link_can_be_made_the_page_is_written(tmp_path, monkeypatch):
    import errno

    from safetrain.reports.html import writer

    before, new = tmp_path / "site", tmp_path / ".site.new-abcd1234"
    (before / "a").mkdir(parents=True)
    (before / "a" / "x.html").write_bytes(b"<p>same</p>")
    new.mkdir()

    def no_link(*args, **kw):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(writer.os, "link", no_link)
    writer.put(new, "a/x.html", b"<p>same</p>", before)
    assert (new / "a" / "x.html").read_bytes() == b"<p>same</p>"
    assert (new / "a" / "x.html").stat().st_ino != (before / "a" / "x.html").stat().st_ino


def test_a_page_done_again_is_a_new_file_not_written_into_the_previous_site(workspace, tmp_path):
    """A page linked from the previous site and then made again (an archive redone after a worker
    died) is written as a new file: the published page it shared an inode with is untouched."""
    from safetrain.reports.html import writer

    out = tmp_path / "site"
    assert run(workspace, "-o", out).exit_code == 0
    page = out / "a" / "acme.html"
    before = page.read_bytes()
    new = tmp_path / ".site.new-abcd1234"
    new.mkdir()
    writer.put(new, "a/acme.html", before, out)  # linked: unchanged
    assert (new / "a" / "acme.html").stat().st_ino == page.stat().st_ino
    writer.put(new, "a/acme.html", b"<p>other</p>", out)  # done again, other bytes
    assert page.read_bytes() == before and (new / "a" / "acme.html").read_bytes() == b"<p>other</p>"


def test_a_kept_folder_with_an_empty_user_folder_left_is_given_back_and_let_go(workspace, tmp_path):
    import os
    import shutil
    import time

    from safetrain.reports.html import writer

    out = tmp_path / "site"
    assert run(workspace, "-o", out).exit_code == 0
    (out / "mine" / "sub").mkdir(parents=True)
    (out / "mine" / "f1").write_text("1", encoding="utf-8")
    new = tmp_path / ".site.new-abcd1234"
    shutil.copytree(out, new)
    (new / ".safetrain-kept").write_text("", encoding="utf-8")
    shutil.rmtree(new / "mine" / "sub")
    (new / "mine" / "f1").unlink()  # killed after moving f1 back... and sub made empty in both
    (new / "mine" / "sub").mkdir()
    past = time.time() - 120
    os.utime(new, (past, past))
    with writer.SiteFolder(out):
        pass
    assert (out / "mine" / "f1").is_file() and not (new / ".safetrain-kept").exists()


def test_a_site_folder_the_user_emptied_of_its_pages_does_not_stop_the_next_run(workspace, tmp_path):
    out = tmp_path / "site"
    assert run(workspace, "-o", out).exit_code == 0
    for page in (out / "rules").rglob("*.html"):
        page.unlink()
    r = run(workspace, "-o", out)
    assert r.exit_code == 0, r.output
    assert (out / "rules" / "national" / "C001.html").is_file()


MY_RULES = ('extends = "national"\nname = "{name}"\n[figures.apprenticeship_min_months]\nvalue = {months}\n'
            'citation = "企业规定"\n[figures.pre_job_hours]\nvalue = 24\ncitation = "培训规定 第十三条"\n'
            '[[figures.pre_job_hours.tiers]]\nindustries = ["coal_mine", "catering", '
            '"construction", "manufacturing"]\nvalue = 80\ncitation = "企业规定"\n')


def test_each_rule_set_has_its_folder_whatever_else_the_site_holds(make_archive, tmp_path):
    """A built-in rule set's pages are at rules/<name>; an archive's own rule set file at
    rules/<name>-<digest>, also when it takes a built-in's name or another file's: two rule sets
    are never one folder, and an archive's links do not change as archives are added or taken out
    of the workspace (the folder was once numbered in the order the rule sets were met)."""
    ws = tmp_path / "ws"
    make_archive({"people/E1.toml": person()}, root=ws / "a-plain")
    make_archive({"people/E1.toml": person(), "rules/my.toml": MY_RULES.format(name="national", months=3)},
                 root=ws / "b-mine", ruleset="rules/my.toml")
    make_archive({"people/E1.toml": person(), "rules/my.toml": MY_RULES.format(name="national", months=4)},
                 root=ws / "c-other", ruleset="rules/my.toml")
    make_archive({"people/E1.toml": person(), "rules/my.toml": MY_RULES.format(name="national", months=3)},
                 root=ws / "d-same", ruleset="rules/my.toml")
    assert run(ws, "-o", tmp_path / "all").exit_code == 0
    site = tmp_path / "all"
    folders = sorted(p.name for p in (site / "rules").iterdir())
    assert len(folders) == 3 and folders[0] == "national", folders
    mine, other = (next(f for f in folders if f != "national" and f"rules/{f}/index.html" in
                        (site / f"a/{a}.html").read_text(encoding="utf-8")) for a in ("b-mine", "c-other"))
    assert mine != other and mine.startswith("national-") and len(mine) == len("national-") + 8
    assert f"rules/{mine}/index.html" in (site / "a/d-same.html").read_text(encoding="utf-8")  # the same rules: one folder
    for folder, months in ((mine, 3), (other, 4)):  # each folder the pages of its own rule set
        assert f"apprenticeship_min_months</code></th><td>{months}</td><td>企业规定</td>" in \
            (site / f"rules/{folder}/M004.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert all(f'href="rules/{f}/index.html"' in home for f in folders)
    # c-other alone: its page and its rule pages are where they were
    shutil.rmtree(ws / "a-plain"), shutil.rmtree(ws / "b-mine"), shutil.rmtree(ws / "d-same")
    assert run(ws, "-o", tmp_path / "one").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "one/rules").iterdir()) == [other]
    assert (tmp_path / "one/a/c-other.html").read_bytes() == (site / "a/c-other.html").read_bytes()


def test_a_rule_set_s_folder_is_the_same_in_every_process(tmp_path):
    """The digest is of the rule set's contents with its sets in order: a frozenset of industries
    is iterated in another order under another hash seed, and every worker and every run must
    name the same folder."""
    import subprocess
    import sys

    (tmp_path / "my.toml").write_text(MY_RULES.format(name="my", months=3), encoding="utf-8")
    code = ("import sys; from safetrain.archive.reading.rulesets import ruleset_tables; from safetrain.api import _built; "
            "from safetrain.archive.reading.files import LocalFiles; "
            "from safetrain.reports.html.site import rule_folder; "
            f"print(rule_folder(_built(*ruleset_tables('my.toml', LocalFiles({str(tmp_path)!r})))[0]))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip() for seed in range(8)}
    assert len(seen) == 1 and next(iter(seen)).startswith("rules/my-"), seen


def test_a_rule_set_goes_through_pickle_whole():
    """A worker hands its archive's rule set back to the process making the rule pages."""
    import pickle
    from types import MappingProxyType

    from safetrain.api import ruleset_at

    rs, _ = ruleset_at(None, "ningxia-2023")
    back = pickle.loads(pickle.dumps(rs))
    assert back == rs and back is not rs
    assert isinstance(back.rules, MappingProxyType) and all(isinstance(v, MappingProxyType) for v in back.rules.values())
    assert isinstance(back.figures, MappingProxyType) and isinstance(back.groups, MappingProxyType)


def test_the_rule_folders_worked_out_are_not_kept_for_ever(tmp_path):
    """An archive's own rule set file is a new RuleSet at each check: a workspace of many such
    archives does not keep each one alive in the memo of their folders."""
    from safetrain.api import _built
    from safetrain.archive.reading.files import LocalFiles
    from safetrain.archive.reading.rulesets import ruleset_tables
    from safetrain.reports.html import site

    (tmp_path / "my.toml").write_text(MY_RULES.format(name="my", months=3), encoding="utf-8")
    folders = {site.rule_folder(_built(*ruleset_tables("my.toml", LocalFiles(tmp_path)))[0]) for _ in range(150)}
    assert len(folders) == 1 and len(site._FOLDERS) <= 64


def test_a_template_named_only_in_a_comment_is_not_loaded(workspace, tmp_path):
    """The workspace page's includes are compiled before the last archive: a name in a comment or
    a raw block is no include (one linked out of the folder stopped the whole site)."""
    html = workspace / "templates" / "html"
    html.mkdir(parents=True)
    (tmp_path / "outside.html").write_text("EVIL", encoding="utf-8")
    (html / "evil.html").symlink_to(tmp_path / "outside.html")
    (html / "workspace.html").write_text('{% extends "base.html" %}{# was: {% include "evil.html" %} #}'
                                         '{% block main %}<p>hi {% raw %}{% include "evil.html" %}{% endraw %}</p>'
                                         '{% endblock %}', encoding="utf-8")
    r = run(workspace, "-o", tmp_path / "site")
    assert r.exit_code == 0, r.output
    assert '<p>hi {% include "evil.html" %}</p>' in (tmp_path / "site/index.html").read_text(encoding="utf-8")


def test_the_archives_left_out_are_named_the_same_from_every_folder(workspace, tmp_path, monkeypatch):
    """The page is a document: the same bytes whichever folder the run starts from (the reason
    was written relative to the current folder, and the name was the last folder only)."""
    (workspace / "nested" / "acme").mkdir(parents=True)
    (workspace / "nested" / "acme" / "safetrain.toml").write_text("format = 1 [[[\n", encoding="utf-8")
    pages = []
    for n, here in enumerate((workspace, workspace / "bolt" / "people", tmp_path, Path("/"))):
        here.mkdir(parents=True, exist_ok=True)
        monkeypatch.chdir(here)
        assert run(workspace, "-o", tmp_path / f"site{n}").exit_code == 2
        pages.append((tmp_path / f"site{n}" / "index.html").read_bytes())
    assert len(set(pages)) == 1
    home = pages[0].decode("utf-8")
    assert "<code>nested/acme</code>" in home and "nested/acme/safetrain.toml" in home
    assert str(tmp_path) not in home and "../" not in home


def test_no_archive_readable_says_the_site_was_left_as_it_was(workspace, tmp_path):
    out = tmp_path / "site"
    assert run(workspace, "-o", out).exit_code == 0
    before = snapshot(out)
    for name in ("acme", "bolt"):
        config = workspace / name / "safetrain.toml"
        config.write_text(config.read_text("utf-8").replace("format = 1", "format = 2"), "utf-8")
    r = run(workspace, "-o", out, "--lang", "en")
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 3 and all("format" in line for line in lines[:2]), r.output  # each archive's reason
    assert lines[2] == f"note: every archive was left out (see above), so no site was made; {out} is left as it was"
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["site", "ws"]


def test_a_sigterm_ends_the_run_as_ctrl_c_does_and_leaves_nothing_beside_the_site(workspace, tmp_path):
    """`kill` (a CI job cancelled) left the hidden folder of the site being made, for a run a
    minute later to sweep; Ctrl-C removed it. SIGTERM now ends the run the same way: exit 143,
    the previous site whole, no folder beside it."""
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "site"
    assert run(workspace, "-o", out).exit_code == 0
    before = snapshot(out)
    code = ("import sys, time\nfrom safetrain.reports.html import site\nreal = site.written_part\n"
            "def slow(*args, **kwargs):\n    time.sleep(60)\n    return real(*args, **kwargs)\n"
            "site.written_part = slow\nfrom safetrain.cli import main\n"
            f"sys.argv = ['safetrain', 'report', 'html', {str(workspace)!r}, '-o', {str(out)!r}, '-j', '1', "
            "'--as-of', '2024-06-30', '--no-cache']\nmain()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.startswith(".site.new-") for p in tmp_path.iterdir()):
            assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        time.sleep(0.3)  # into the slow archive
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "ws"]
    assert snapshot(out) == before
