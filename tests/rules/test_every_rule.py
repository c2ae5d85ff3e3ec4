"""Every registered rule has a failing and a passing archive (the project's rule).

One table, `CASES`, holds for each rule code a pair of minimal archives kept in
memory: `fail`, which trips the rule, and `fixed`, the same archive after the
one change a user would make to clear the finding (the comment on each case
says which). The two differ in one file and share safetrain.toml (unless the
fix is in it) and the as_of date, so the rule judges the fixed archive under
the same rule set and settings: its silence there is the fix, not the rule
being off or the file being left out.

Each archive is checked with every rule of its rule set (no `select`); the
tests look only at the findings of the case's own code. The detailed
behaviour of each rule is in the family's own test module next to this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest

from helpers import (AS_OF, CREDIT_CODE, ID_NUMBERS, certificate, config, drill, found, introduction, mentorship,
                     person, plan, session)
from safetrain.api import check_files
from safetrain.rules import RULES

PDF = b"%PDF-1.4\n%%EOF\n"
AFTER_CAMPAIGN = date(2024, 1, 1)  # the 2023 campaign window (ningxia-2023) is over


@dataclass(frozen=True)
class Case:
    fail: dict[str, str | bytes]   # relpath -> file text: trips the rule
    fixed: dict[str, str | bytes]  # the same archive after the fix
    expect: tuple[tuple[str, str | None], ...]  # (subject, period) of each finding of the code in `fail`
    as_of: date = AS_OF


def case(base: dict, fail: dict, fixed: dict, *expect: tuple[str, str | None], as_of: date = AS_OF) -> Case:
    """`base` with the failing file(s), and `base` with the fixed one(s); None leaves a file out."""
    def build(change: dict) -> dict:
        return {k: v for k, v in {**base, **change}.items() if v is not None}
    return Case(build(fail), build(fixed), expect, as_of)


# -- records the cases share ------------------------------------------------------
def day_session(pid: str, day: str, kind: str = "pre_job", level: str | None = None, hours: str = "8",
                start: str = "08:30", end: str = "17:30", last_day: str | None = None, **keys) -> str:
    """A session of `kind` with one passed attendee, from `day` `start` to (`last_day` or `day`) `end`."""
    return session(f'{{ person = "{pid}", score = 90 }}', type=f'"{kind}"', level=f'"{level}"' if level else None,
                   start=f"{day}T{start}:00", end=f"{last_day or day}T{end}:00", hours=hours, **keys)


def all_staff(pid: str, day: str = "2023-09-01", topics: str = '["rules", "knowledge", "skills", "emergency"]',
              level: str | None = None) -> str:
    return day_session(pid, day, kind="all_staff", level=level, topics=topics)


BAD_ID = '"640104199003070011"'  # a 身份证号 with a wrong check character (4 is right)
WAIVE_A006 = '[{ rule = "A006", reason = "待核实", until = %s }]'
OPERATOR = '["special_operator"]'
MANAGER = '["safety_manager"]'
MENTOR = person("李师傅", hired="2010-03-01", post_since="2012-01-01", skill_level='"senior"')  # qualified
APPRENTICE = person("王徒弟", hired="2023-07-20")
COAL = config(industry="coal_mine")
CAMPAIGN = config(ruleset="ningxia-2023")  # manufacturing: the K003 rotation applies
CADENCE = config(industry="catering", ruleset="ningxia-2023")  # the monthly/quarterly/half-year drill cadence
DRILLER = person(hired="2020-01-01")  # E1, who takes part in the drills
GAS = CADENCE.replace("uses_gas = false", "uses_gas = true")
RETURN = '\n[[changes]]\ndate = 2024-03-01\nkind = "return"\naway_since = 2023-09-01\n'
TRANSFER = '\n[[changes]]\ndate = 2024-03-01\nkind = "transfer"\npost = "钳工"\n'


def monthly_drills(scales: dict[str, str], first: str = "2023-07", last: str = "2024-06") -> dict[str, str]:
    """A drill on the 10th of every month from `first` to `last` (YYYY-MM): small, unless `scales` says."""
    out, (y, m) = {}, map(int, first.split("-"))
    while f"{y}-{m:02d}" <= last:
        month = f"{y}-{m:02d}"
        out[f"drills/{month}.toml"] = drill(f"{month}-10", scales.get(month, "small"))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# every period of 2023-07 … 2024-06 drilled: a large drill each quarter, an assessment each half-year
FULL_CADENCE = {"2023-08": "large", "2023-09": "assessment", "2023-11": "large", "2024-02": "large",
                "2024-03": "assessment", "2024-05": "large"}


CASES: dict[str, Case] = {
    # -- A: archive integrity -----------------------------------------------------
    # A001: the date is written with two-digit month and day, as TOML wants
    "A001": case({}, {"people/E1.toml": person(hired="2023-7-3")},
                 {"people/E1.toml": person(hired="2023-07-03")}, ("E1", None)),
    # A002: `employment` takes one of the codes (formal), not a word of one's own
    "A002": case({}, {"people/E1.toml": person(employment='"fulltime"')},
                 {"people/E1.toml": person(employment='"formal"')}, ("E1", None)),
    # A003: the attendee's person file is added
    "A003": case({"people/E1.toml": person(),
                  "sessions/S1.toml": session('{ person = "E1", score = 90 },\n  { person = "E2", score = 90 }')},
                 {}, {"people/E2.toml": person("李梅")}, ("S1", None)),
    # A004: the attendee written twice is listed once
    "A004": case({"people/E1.toml": person()},
                 {"sessions/S1.toml": session('{ person = "E1", score = 90 },\n  { person = "E1", score = 90 }')},
                 {"sessions/S1.toml": session('{ person = "E1", score = 90 }')}, ("S1", None)),
    # A005: the second person's 身份证号 is corrected to their own
    "A005": case({"people/E1.toml": person(id_number=f'"{ID_NUMBERS[1]}"')},
                 {"people/E2.toml": person("李梅", id_number=f'"{ID_NUMBERS[1]}"')},
                 {"people/E2.toml": person("李梅", id_number=f'"{ID_NUMBERS[2]}"')}, ("E1", None), ("E2", None)),
    # A006: the mistyped check character of the 身份证号 is corrected
    "A006": case({}, {"people/E1.toml": person(id_number=BAD_ID)},
                 {"people/E1.toml": person(id_number='"640104199003070014"')}, ("E1", None)),
    # A007: the mistyped check character of the 统一社会信用代码 is corrected
    "A007": case({}, {"safetrain.toml": config(credit_code="91350100M000100Y44")},
                 {"safetrain.toml": config(credit_code=CREDIT_CODE)}, ("enterprise", None)),
    # A008: the sign-in sheet the session points to is put in the archive
    "A008": case({"people/E1.toml": person(), "sessions/S1.toml": session(attachments='["attachments/sign.pdf"]')},
                 {}, {"attachments/sign.pdf": PDF}, ("S1", None)),
    # A009: the session's end is written after its start
    "A009": case({"people/E1.toml": person()}, {"sessions/S1.toml": session(end="2023-07-01T08:00:00")},
                 {"sessions/S1.toml": session(end="2023-07-01T17:30:00")}, ("S1", None)),
    # A010: the waiver (of the A006 still being checked) is renewed past as_of
    "A010": case({}, {"people/E1.toml": person(id_number=BAD_ID, waivers=WAIVE_A006 % "2024-03-31")},
                 {"people/E1.toml": person(id_number=BAD_ID, waivers=WAIVE_A006 % "2024-12-31")}, ("E1", None)),
    # A011: the waiver that silences nothing is removed
    "A011": case({}, {"people/E1.toml": person(waivers='[{ rule = "Y001", reason = "2023年病假" }]')},
                 {"people/E1.toml": person(waivers="[]")}, ("E1", None)),

    # -- R: records -----------------------------------------------------------------
    # R001: the session records what was taught
    "R001": case({"people/E1.toml": person()}, {"sessions/S1.toml": session(content=None)},
                 {"sessions/S1.toml": session()}, ("S1", None)),
    # R002: the attendee's score is recorded
    "R002": case({"people/E1.toml": person()}, {"sessions/S1.toml": session('{ person = "E1" }')},
                 {"sessions/S1.toml": session('{ person = "E1", score = 90 }')}, ("S1", None)),
    # R003: the external provider's contract (already scanned into contracts/) is named
    "R003": case({"people/E1.toml": person(), "contracts/2023-001.pdf": PDF},
                 {"sessions/S1.toml": session(provider='"宁夏安培中心"')},
                 {"sessions/S1.toml": session(provider='"宁夏安培中心"', contract='"contracts/2023-001.pdf"')},
                 ("S1", None)),
    # R004: the session's attendees are recorded
    "R004": case({"people/E1.toml": person()}, {"sessions/S1.toml": session(attendees="")},
                 {"sessions/S1.toml": session()}, ("S1", None)),
    # R005: the approved 2024 training plan is filed
    "R005": case({"people/E1.toml": person()}, {}, {"plans/2024.toml": plan(2024)}, ("enterprise", "2024")),

    # -- P: before the post ------------------------------------------------------------
    # P001: the pre-job course ends on the on_post day, not the day after
    "P001": case({"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-05")},
                 {"sessions/S1.toml": day_session("E1", "2023-07-04", level="company", hours="16",
                                                  last_day="2023-07-06")},
                 {"sessions/S1.toml": day_session("E1", "2023-07-03", level="company", hours="16",
                                                  last_day="2023-07-05")}, ("E1", None)),
    # P002: the team-level session runs the full day (8 学时, 24 in all), not half of it
    "P002": case({"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"),
                  "sessions/S1.toml": day_session("E1", "2023-07-03", level="company"),
                  "sessions/S2.toml": day_session("E1", "2023-07-04", level="workshop")},
                 {"sessions/S3.toml": day_session("E1", "2023-07-05", level="team", hours="4", end="12:00")},
                 {"sessions/S3.toml": day_session("E1", "2023-07-05", level="team")}, ("E1", None)),
    # P003: the team-level session is given and recorded (company and workshop level were)
    "P003": case({"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-06"),
                  "sessions/S1.toml": day_session("E1", "2023-07-03", level="company"),
                  "sessions/S2.toml": day_session("E1", "2023-07-04", level="workshop")},
                 {}, {"sessions/S3.toml": day_session("E1", "2023-07-05", level="team")}, ("E1", None)),
    # P004: the team-level session comes after the workshop one, not before the company one
    "P004": case({"people/E1.toml": person(hired="2023-07-03", on_post="2023-07-07"),
                  "sessions/S1.toml": day_session("E1", "2023-07-04", level="company"),
                  "sessions/S2.toml": day_session("E1", "2023-07-05", level="workshop")},
                 {"sessions/S3.toml": day_session("E1", "2023-07-03", level="team")},
                 {"sessions/S3.toml": day_session("E1", "2023-07-06", level="team")}, ("E1", None)),
    # P005: the team-level transfer training is given before the transfer (workshop level was)
    "P005": case({"people/E1.toml": person(hired="2020-03-01", extra=TRANSFER),
                  "sessions/T1.toml": day_session("E1", "2024-02-27", kind="transfer", level="workshop", hours="4",
                                                  end="12:00")},
                 {}, {"sessions/T2.toml": day_session("E1", "2024-02-28", kind="transfer", level="team", hours="4",
                                                      end="12:00")},
                 ("E1", "2024-03-01")),
    # P006: the 四新 training is held before the new machine is used, not two days after
    "P006": case({"people/E1.toml": person(hired="2020-03-01"), "introductions/I1.toml": introduction("2024-05-20")},
                 {"sessions/N1.toml": day_session("E1", "2024-05-22", kind="new_tech", hours="4", end="12:00")},
                 {"sessions/N1.toml": day_session("E1", "2024-05-17", kind="new_tech", hours="4", end="12:00")},
                 ("E1", "2024-05-20")),

    # -- Y: yearly re-training ---------------------------------------------------------
    # Y001: a second 4-学时 refresher brings 2023 to the 8 学时 of the year
    "Y001": case({"safetrain.toml": config(records_since="2023-01-01"), "people/E1.toml": person(hired="2022-05-01"),
                  "sessions/S1.toml": day_session("E1", "2023-03-01", kind="refresher", hours="4", end="12:00")},
                 {}, {"sessions/S2.toml": day_session("E1", "2023-10-10", kind="refresher", hours="4", end="12:00")},
                 ("E1", "2023")),
    # Y002: a second management session brings the manager's 2023 to 12 学时
    "Y002": case({"safetrain.toml": config(records_since="2023-01-01"),
                  "people/E1.toml": person(hired="2022-05-01", roles=MANAGER),
                  "sessions/S1.toml": day_session("E1", "2023-03-01", kind="management")},
                 {}, {"sessions/S2.toml": day_session("E1", "2023-10-10", kind="management", hours="4", end="12:00")},
                 ("E1", "2023")),
    # Y003: the second 16-学时 management course is taken within six months of on_post
    "Y003": case({"people/E1.toml": person(hired="2023-08-01", on_post="2023-09-01", roles=MANAGER),
                  "sessions/S1.toml": day_session("E1", "2023-08-20", kind="management", hours="16",
                                                  last_day="2023-08-21")},
                 {}, {"sessions/S2.toml": day_session("E1", "2024-02-19", kind="management", hours="16",
                                                      last_day="2024-02-20")},
                 ("E1", None)),

    # -- K: the 2023 campaign (ningxia-2023) ---------------------------------------------
    # K001: the worker's campaign session is recorded
    "K001": case({"safetrain.toml": CAMPAIGN, "people/E1.toml": person(hired="2020-01-01")},
                 {}, {"sessions/S1.toml": all_staff("E1")}, ("E1", None), as_of=AFTER_CAMPAIGN),
    # K002: the campaign session covers knowledge, skills and emergency as well as rules
    "K002": case({"safetrain.toml": CAMPAIGN, "people/E1.toml": person(hired="2020-01-01")},
                 {"sessions/S1.toml": all_staff("E1", topics='["rules", "fire"]')},
                 {"sessions/S1.toml": all_staff("E1", topics='["rules", "knowledge", "skills", "emergency", "fire"]')},
                 ("E1", None), as_of=AFTER_CAMPAIGN),
    # K003: the team-level round of the rotation is given (company and workshop were)
    "K003": case({"safetrain.toml": CAMPAIGN, "people/E1.toml": person(hired="2020-01-01"),
                  "sessions/S1.toml": all_staff("E1", "2023-09-01", level="company"),
                  "sessions/S2.toml": all_staff("E1", "2023-10-09", level="workshop")},
                 {}, {"sessions/S3.toml": all_staff("E1", "2023-11-06", level="team")},
                 ("E1", None), as_of=AFTER_CAMPAIGN),
    # K004: where gas is used, the campaign session covers gas safety
    "K004": case({"safetrain.toml": GAS, "people/E1.toml": person(hired="2020-01-01")},
                 {"sessions/S1.toml": all_staff("E1")},
                 {"sessions/S1.toml": all_staff("E1", topics='["rules", "knowledge", "skills", "emergency", "gas"]')},
                 ("E1", None), as_of=AFTER_CAMPAIGN),

    # -- C: certificates -------------------------------------------------------------------
    # C001: the special operator's certificate is recorded
    "C001": case({}, {"people/E1.toml": person(roles=OPERATOR)},
                 {"people/E1.toml": person(roles=OPERATOR, extra=certificate(reviews="2024-02-20"))}, ("E1", None)),
    # C002: the renewed certificate is recorded beside the expired one
    "C002": case({}, {"people/E1.toml": person(roles=OPERATOR, extra=certificate(
                     "OLD", issued="2018-03-01", expires="2024-02-28", reviews="2021-02-01"))},
                 {"people/E1.toml": person(roles=OPERATOR, extra=certificate(
                     "OLD", issued="2018-03-01", expires="2024-02-28", reviews="2021-02-01")
                     + certificate("NEW", issued="2024-02-20", expires="2030-02-19"))}, ("E1", None)),
    # C003: the review passed before the due date (2023-03-01) is recorded
    "C003": case({}, {"people/E1.toml": person(roles=OPERATOR, extra=certificate(issued="2020-03-01",
                                                                                   expires="2026-02-28"))},
                 {"people/E1.toml": person(roles=OPERATOR, extra=certificate(issued="2020-03-01", expires="2026-02-28",
                                                                             reviews="2023-02-20"))}, ("E1", None)),
    # C004: the review falling due on 2024-08-20 (within 60 days) is taken early and recorded
    "C004": case({}, {"people/E1.toml": person(roles=OPERATOR, extra=certificate(issued="2021-08-20",
                                                                                   expires="2027-08-19"))},
                 {"people/E1.toml": person(roles=OPERATOR, extra=certificate(issued="2021-08-20", expires="2027-08-19",
                                                                             reviews="2024-06-01"))}, ("E1", None)),
    # C005: the coal mine's safety manager passes the assessment and the certificate is recorded
    "C005": case({"safetrain.toml": COAL},
                 {"people/E1.toml": person(hired="2023-08-01", on_post="2023-09-01", roles=MANAGER)},
                 {"people/E1.toml": person(hired="2023-08-01", on_post="2023-09-01", roles=MANAGER, extra=certificate(
                     "M1", kind="manager", category="", issued="2023-12-01", expires="2026-11-30"))}, ("E1", None)),
    # C006: the special operator back after six months away passes a practical exam before returning
    "C006": case({"people/E1.toml": person(hired="2015-03-01", roles=OPERATOR, extra=certificate(
                     issued="2022-03-01", expires="2028-02-29") + RETURN)},
                 {}, {"sessions/X1.toml": day_session("E1", "2024-02-20", kind="special_operation", hours="4",
                                                      end="12:00", assessment='"practical"')},
                 ("E1", "2024-03-01")),

    # -- D: emergency drills -------------------------------------------------------------
    # D001: October's drill is held and recorded
    "D001": case({"safetrain.toml": CADENCE, "people/E1.toml": DRILLER, **monthly_drills(FULL_CADENCE)},
                 {"drills/2023-10.toml": None}, {"drills/2023-10.toml": drill("2023-10-10")},
                 ("enterprise", "2023-10")),
    # D002: the fourth quarter's November drill is a large one
    "D002": case({"safetrain.toml": CADENCE, "people/E1.toml": DRILLER, **monthly_drills(FULL_CADENCE)},
                 {"drills/2023-11.toml": drill("2023-11-10", "small")},
                 {"drills/2023-11.toml": drill("2023-11-10", "large")}, ("enterprise", "2023-Q4")),
    # D003: the first half of 2024 has its assessment drill (March)
    "D003": case({"safetrain.toml": CADENCE, "people/E1.toml": DRILLER, **monthly_drills(FULL_CADENCE)},
                 {"drills/2024-03.toml": drill("2024-03-10", "large")},
                 {"drills/2024-03.toml": drill("2024-03-10", "assessment")}, ("enterprise", "2024-H1"),
                 as_of=date(2024, 7, 1)),
    # D004: the second half of 2023 has its drill
    "D004": case({"people/E1.toml": DRILLER}, {}, {"drills/D1.toml": drill("2023-08-20")}, ("enterprise", "2023-H2")),
    # D005: the assessment drill's evaluation is recorded
    "D005": case({"people/E1.toml": person()}, {"drills/A1.toml": drill("2023-09-20", "assessment", evaluation=None)},
                 {"drills/A1.toml": drill("2023-09-20", "assessment")}, ("A1", None)),
    # D006: 2024's drill exercises the comprehensive plan, not only an on-site one
    "D006": case({"safetrain.toml": config(records_since="2024-01-01"), "people/E1.toml": person(hired="2020-01-01")},
                 {"drills/D1.toml": drill("2024-09-10", type='"on_site"')},
                 {"drills/D1.toml": drill("2024-09-10", type='"comprehensive"')}, ("enterprise", "2024"),
                 as_of=date(2025, 1, 1)),

    # -- M: mentor and apprentice (coal mine) ----------------------------------------------
    # M001: the new worker's mentorship is recorded
    "M001": case({"safetrain.toml": COAL, "people/M1.toml": MENTOR, "people/A1.toml": APPRENTICE},
                 {}, {"mentorships/A1.toml": mentorship()}, ("A1", None)),
    # M002: a qualified mentor (senior, on the post since 2012) is chosen instead of a junior of two years
    "M002": case({"safetrain.toml": COAL, "people/M1.toml": MENTOR, "people/A1.toml": APPRENTICE,
                  "people/M2.toml": person("赵青年", hired="2021-07-01", post_since="2021-07-01",
                                           skill_level='"junior"')},
                 {"mentorships/A1.toml": mentorship(mentor="M2")},
                 {"mentorships/A1.toml": mentorship(mentor="M1")}, ("A1", None)),
    # M003: the third apprentice starts once the first has finished
    "M003": case({"safetrain.toml": COAL, "people/M1.toml": MENTOR, "people/A1.toml": APPRENTICE,
                  "people/A2.toml": person("李徒弟", hired="2023-07-20"),
                  "people/A3.toml": person("赵徒弟", hired="2023-07-20"),
                  "mentorships/A1.toml": mentorship(start="2023-07-20", end="2023-11-20"),
                  "mentorships/A2.toml": mentorship(start="2023-08-01", end="2023-12-01")},
                 {"mentorships/A3.toml": mentorship(start="2023-08-15", end="2023-12-15")},
                 {"mentorships/A3.toml": mentorship(start="2023-11-21", end="2024-03-21")}, ("M1", None)),
    # M004: the apprentice is signed off after the two months, not after six weeks
    "M004": case({"safetrain.toml": COAL, "people/M1.toml": MENTOR, "people/A1.toml": APPRENTICE},
                 {"mentorships/A1.toml": mentorship(start="2023-07-20", signed_off="2023-09-01")},
                 {"mentorships/A1.toml": mentorship(start="2023-07-20", signed_off="2023-09-25")}, ("A1", None)),
    # M005: the mentorship names the post the mentor works (车工)
    "M005": case({"safetrain.toml": COAL, "people/M1.toml": MENTOR, "people/A1.toml": APPRENTICE},
                 {"mentorships/A1.toml": mentorship(post="钳工")},
                 {"mentorships/A1.toml": mentorship(post="车工")}, ("A1", None)),

    # -- F: signs of fake training ----------------------------------------------------------
    # F001: the second session is held after the first, not during it
    "F001": case({"people/E1.toml": person(hired="2023-06-01"),
                  "sessions/S1.toml": day_session("E1", "2023-07-10", kind="refresher", hours="4", end="12:00")},
                 {"sessions/S2.toml": day_session("E1", "2023-07-10", kind="all_staff", hours="2", start="10:00",
                                                  end="12:00")},
                 {"sessions/S2.toml": day_session("E1", "2023-07-10", kind="all_staff", hours="2", start="14:00",
                                                  end="16:00")}, ("E1", None)),
    # F002: the session credits the 4 学时 its three and a half hours hold, not 5
    "F002": case({"people/E1.toml": person(hired="2023-06-01")},
                 {"sessions/S1.toml": day_session("E1", "2023-07-10", kind="refresher", hours="5", end="12:00")},
                 {"sessions/S1.toml": day_session("E1", "2023-07-10", kind="refresher", hours="4", end="12:00")},
                 ("S1", None)),
    # F003: the session's date is corrected to one after the hire (it was typed a week early)
    "F003": case({"people/E1.toml": person(hired="2023-07-10")},
                 {"sessions/S1.toml": day_session("E1", "2023-07-05", kind="refresher", hours="4", end="12:00")},
                 {"sessions/S1.toml": day_session("E1", "2023-07-12", kind="refresher", hours="4", end="12:00")},
                 ("E1", None)),
    # F004: the instructor (李四) is no longer listed among those who attended
    "F004": case({"people/E1.toml": person(hired="2023-06-01"), "people/E2.toml": person("李四", hired="2023-06-01")},
                 {"sessions/S1.toml": session('{ person = "E1", score = 90 },\n  { person = "E2", score = 98 }',
                                              type='"refresher"', level=None, start="2023-07-10T08:30:00",
                                              end="2023-07-10T12:00:00", hours="4")},
                 {"sessions/S1.toml": session('{ person = "E1", score = 90 }', type='"refresher"', level=None,
                                              start="2023-07-10T08:30:00", end="2023-07-10T12:00:00", hours="4")},
                 ("S1", None)),
}

CODES = sorted(RULES)


def of(code: str, got: list[tuple[str, str, str | None]]) -> list[tuple[str, str | None]]:
    return [(subject, period) for c, subject, period in got if c == code]


def test_the_table_covers_every_rule():
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("code", CODES)
def test_failing_archive_has_the_finding(code, memory_archive):
    c = CASES[code]
    assert of(code, found(memory_archive(c.fail), c.as_of)) == list(c.expect)


@pytest.mark.parametrize("code", CODES)
def test_passing_archive_has_not(code, memory_archive):
    c = CASES[code]
    result = check_files(memory_archive(c.fixed), c.as_of)
    got = [(f.code, f.subject, f.period) for f in result.findings]
    assert of(code, got) == []
    # the rule was on, and every file of the fixed archive was read and judged (none left out by A001/A002)
    assert result.ruleset.enabled(code)
    assert [f for f in got if f[0] in ("A001", "A002")] == []


@pytest.mark.parametrize("code", CODES)
def test_the_pair_differs_by_one_file(code):
    """One change: a single file edited, added or removed; the rest (safetrain.toml included) the same."""
    c = CASES[code]
    changed = {path for path in c.fail.keys() | c.fixed.keys() if c.fail.get(path) != c.fixed.get(path)}
    assert len(changed) == 1, changed


@pytest.mark.parametrize("code", CODES)
def test_english_message_holds_no_chinese_but_the_archives(code, memory_archive):
    """An English message says in English what it adds to the data: the Chinese in it is names, posts,
    titles the archive wrote (D001 ended in "(一月一小练)", Y001 counted "16 学时")."""
    c = CASES[code]
    data = "\n".join(v for v in c.fail.values() if isinstance(v, str))
    for f in check_files(memory_archive(c.fail), c.as_of).findings:
        if f.code == code:
            foreign = [w for w in re.findall(r"[\u4e00-\u9fff]+", f.message_en) if w not in data]
            assert not foreign, f.message_en
