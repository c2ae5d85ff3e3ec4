"""The synthetic archive generator: deterministic, the requested size, valid by construction.

Everything is re-checked from the written files, with check-character code of
its own, so a bug in the generator's helpers cannot hide itself.
"""

import datetime as dt
import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMALL = dict(people=200, sessions=40, attendance=1200)


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def read_archive(root: Path) -> dict:
    kinds = {"people": {}, "sessions": {}, "drills": {}, "mentorships": {}, "plans": {}}
    for path in sorted(root.rglob("*.toml")):
        rel = path.relative_to(root)
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
        if rel.parts[0] in kinds:
            assert path.stem not in kinds[rel.parts[0]], f"duplicate id {rel}"
            kinds[rel.parts[0]][path.stem] = data
        else:
            assert str(rel) == "safetrain.toml"
            kinds["root"] = data
    return kinds


def gb11643_ok(number: str) -> bool:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(c) * w for c, w in zip(number[:17], weights))
    check = (12 - total % 11) % 11
    return len(number) == 18 and number[17] == ("X" if check == 10 else str(check))


def gb32100_ok(code: str) -> bool:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [3 ** i % 31 for i in range(17)]
    if len(code) != 18 or any(c not in alphabet for c in code):
        return False
    total = sum(alphabet.index(c) * w for c, w in zip(code, weights))
    return code[17] == alphabet[(31 - total % 31) % 31]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("archive")
    gen.generate(out, seed=7, **SMALL)
    return out, read_archive(out)


def files_of(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_archive(tmp_path, small):
    again = tmp_path / "again"
    gen.generate(again, seed=7, **SMALL)
    assert files_of(small[0]) == files_of(again)
    other = tmp_path / "other"
    gen.generate(other, seed=8, **SMALL)
    assert files_of(other) != files_of(again)


def test_requested_counts(small):
    _, a = small
    assert len(a["people"]) == SMALL["people"]
    assert len(a["sessions"]) == SMALL["sessions"]
    assert sum(len(s["attendees"]) for s in a["sessions"].values()) == SMALL["attendance"]
    assert a["root"]["format"] == 1
    assert a["root"]["enterprise"]["records_since"] == dt.date(2023, 7, 1)
    months = {d["date"].strftime("%Y-%m") for d in a["drills"].values()}
    assert len(months) == 12


def test_check_characters(small):
    _, a = small
    numbers = [p["id_number"] for p in a["people"].values() if "id_number" in p]
    assert numbers and all(gb11643_ok(n) and n.startswith("6401") for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert gb32100_ok(a["root"]["enterprise"]["credit_code"])


def test_known_check_characters():
    assert gen.id_check_char("11010519491231002") == "X"  # GB 11643 annex example
    assert gen.credit_check_char("91350100M000100Y4") == "3"  # 91350100M000100Y43
    assert gb32100_ok("91350100M000100Y43") and not gb32100_ok("91350100M000100Y44")


def test_attendance_is_possible(small):
    _, a = small
    people = a["people"]
    busy: dict[str, list] = {}
    for sid, s in a["sessions"].items():
        ids = [e["person"] for e in s["attendees"]]
        assert len(ids) == len(set(ids)), f"someone twice in {sid}"
        minutes = (s["end"] - s["start"]).total_seconds() / 60
        days = (s["end"].date() - s["start"].date()).days + 1
        assert s["hours"] * 45 <= minutes and s["hours"] <= 8 * days, sid
        for e in s["attendees"]:
            p = people[e["person"]]
            assert p["hired"] <= s["start"].date(), (sid, e)
            assert "left" not in p or s["end"].date() <= p["left"], (sid, e)
            assert s["assessment"] == "none" or "score" in e or e.get("passed") is True
            assert e.get("hours", 0) < s["hours"]
            busy.setdefault(e["person"], []).append((s["start"], s["end"], sid))
    for pid, spans in busy.items():
        spans.sort()
        for (_, end, sid), (start, _, nxt) in zip(spans, spans[1:]):
            assert end <= start, f"{pid} in overlapping {sid} and {nxt}"


def test_new_hires_trained_at_three_levels_before_post(small):
    _, a = small
    done: dict[str, set] = {}
    for s in a["sessions"].values():
        if s["type"] == "pre_job":
            for e in s["attendees"]:
                done.setdefault(e["person"], set()).add((s["level"], s["end"].date()))
    new = {pid: p for pid, p in a["people"].items() if "on_post" in p}
    assert new
    for pid, p in new.items():
        levels = {level for level, end in done.get(pid, ()) if end <= p["on_post"]}
        assert levels == {"company", "workshop", "team"}, pid


def test_catalog_v2_records(small):
    _, a = small
    # a plan for each year of the window, drills of every half-year include a comprehensive or special one
    assert sorted(a["plans"]) == ["2023", "2024"] and all(p["year"] == int(k) for k, p in a["plans"].items())
    principal = next(pid for pid, p in a["people"].items() if "principal" in p.get("roles", ()))
    assert {p["approved_by"] for p in a["plans"].values()} == {principal}
    assert {d["type"] for d in a["drills"].values() if d["scale"] != "small"} <= {"comprehensive", "special"}
    # manufacturing: the 2023 campaign round goes through company, workshop and team level (K003)
    rounds = [s for s in a["sessions"].values() if s["type"] == "all_staff"]
    assert {s.get("level") for s in rounds} == {"company", "workshop", "team"}
    levels: dict[str, set] = {}
    for s in rounds:
        for e in s["attendees"]:
            levels.setdefault(e["person"], set()).add(s["level"])
    assert sum(v == {"company", "workshop", "team"} for v in levels.values()) > 0.8 * SMALL["people"]


def test_a_generated_archive_is_clean_of_the_v2_rules(small):
    from safetrain.api import check_path

    codes = [f.code for f in check_path(small[0], dt.date(2024, 6, 30)).findings]
    assert not set(codes) & {"K004", "R005", "D006", "P006", "C006", "M001", "M004"}, codes
    # natural problems only: a failed level of the round
    assert codes.count("K003") < 0.05 * SMALL["people"]


def test_mines_get_mentorships(tmp_path):
    gen.generate(tmp_path, seed=3, industry="coal_mine", **SMALL)
    a = read_archive(tmp_path)
    assert a["mentorships"]
    assert "hazardous_chemicals" in gen.MENTORSHIP  # 培训规定 第十九条: the five industries
    for apprentice, m in a["mentorships"].items():
        mentor = a["people"][m["mentor"]]
        assert mentor["post"] == m["post"] == a["people"][apprentice]["post"]
        assert m["start"] == a["people"][apprentice]["on_post"]


def test_refuses_a_non_empty_folder_and_never_deletes_a_real_archive(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(gen.GenerateError, match="not empty"):
        gen.generate(tmp_path, **SMALL)
    gen.generate(tmp_path, force=True, **SMALL)
    gen.generate(tmp_path, force=True, seed=2, **SMALL)  # a generated archive may be replaced
    assert (tmp_path / "notes.txt").read_text() == "mine"
    (tmp_path / "safetrain.toml").write_text("format = 1\n")
    with pytest.raises(gen.GenerateError, match="did not generate"):
        gen.generate(tmp_path, force=True, **SMALL)
    assert (tmp_path / "people").is_dir()


def test_impossible_request_is_refused(tmp_path):
    with pytest.raises(gen.GenerateError, match="cannot fit"):
        gen.generate(tmp_path, people=5, sessions=2, attendance=11)
