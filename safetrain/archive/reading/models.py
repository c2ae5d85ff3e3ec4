"""The archive as typed, immutable values, and the one declaration of each
record's shape.

Every key of the format is a field declared with `key(...)` (fields.py): its
type, labels, whether it is required, its codes. The spec tables (spec.py),
the builder (build.py), JSON Schemas, `fmt`'s key order, the options of
`safetrain new` and the export's columns are all derived from these classes;
the order of the keys here is the order of ARCHIVE-FORMAT.md. Fields without
`key(...)` are what the loader adds: the record's id and file, an item's
position in its list.

Rules and reports only ever see these. Each record carries `file`, its path
relative to the archive root with `/`, so a finding can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping

from . import codes
from .fields import key

if TYPE_CHECKING:
    from .files import FileStore

MANAGER_ROLES = frozenset({"principal", "safety_manager"})

_NOTE = ("str", "备注（自由文本，打印在文档中，不参与规则判断）", "free-text note, printed, judged by no rule")
_ATTACHMENTS = ("attachments", "附件：档案内的文件路径，或 { path = \"...\", sha256 = \"...\" }",
                "attached files: paths inside the archive, or { path, sha256 }")


def _sorted(values) -> tuple:
    return tuple(sorted(values))


@dataclass(frozen=True, slots=True, kw_only=True)
class Waiver:
    rule: str = key("str", "豁免的规则代码，如 Y001", "the code of the waived rule, e.g. Y001", required=True)
    reason: str = key("str", "豁免理由（检查人员可读）", "a reason an inspector can read", required=True)
    until: date | None = key("date", "豁免截止日期（可选）", "optional last day of the waiver")
    note: str | None = key(*_NOTE)  # "Every record may carry note": a waiver's entry too
    index: int = 0  # position in the file's `waivers` list, for line look-up


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """An attachment is a path, or a table { path, sha256 }."""

    path: str = key("path", "档案内的文件路径", "path inside the archive", required=True)
    sha256: str | None = key("str", "文件的 SHA-256 值（校验用）", "the file's SHA-256 (verified by check)")
    note: str | None = key(*_NOTE)


def _waivers():
    return key("waivers", "规则豁免", "rule waivers", model=Waiver)


def _attachments():
    return key(*_ATTACHMENTS, model=Attachment)


@dataclass(frozen=True, slots=True, kw_only=True)
class Enterprise:
    name: str = key("str", "企业名称", "enterprise name", required=True)
    credit_code: str = key("str", "统一社会信用代码（18位，GB 32100）",
                           "unified social credit code (18 characters, GB 32100)", required=True)
    industry: str = key("code", "行业", "industry", required=True, codes=codes.INDUSTRY)
    crowded_place: bool = key("bool", "人员密集场所", "crowded place (hotel, restaurant, scenic area, shopping complex)",
                              required=True)
    uses_gas: bool = key("bool", "使用燃气", "uses gas", required=True)
    region: str = key("str", "所在地区", "region", required=True)
    address: str | None = key("str", "地址", "address")
    records_since: date | None = key("date", "档案完整起始日期：期间类检查从此日开始",
                                     "first day the archive is complete for; period checks start here")
    note: str | None = key(*_NOTE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    pass_mark: float = key("number", "未规定合格分数线的培训的合格分（缺省60）",
                           "pass mark for sessions that give none (60 when absent)", minimum=0, default=60)
    mask_id_numbers: bool = key("bool", "终端输出和导出时遮蔽身份证号（缺省 true）",
                                "mask ID numbers in terminal output and exports (true when absent)", default=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """safetrain.toml: the enterprise register and the archive's settings."""

    format: int = key("int", "档案格式版本（1）", "archive format version (1)", minimum=1, default=1)
    ruleset: str = key("str", "规则集：内置名称或档案内规则集文件路径",
                       "rule set: a built-in name or a path to a rule set file inside the archive", required=True)
    waivers: tuple[Waiver, ...] = _waivers()
    note: str | None = key(*_NOTE)  # "Every record may carry note": the register too (a key before its tables)
    enterprise: Enterprise = key("table", "企业登记信息", "the enterprise register", required=True, model=Enterprise)
    settings: Settings = key("table", "档案设置", "archive settings", model=Settings, default_factory=Settings)
    file: str = "safetrain.toml"


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    date: date = key("date", "到新岗位/复岗第一天", "first day on the new or returned post", required=True)
    kind: str = key("code", "变动类型", "kind of change", required=True, codes=codes.CHANGE_KIND)
    away_since: date | None = key("date", "离岗第一天（仅复岗；缺省视为离岗一年以上）",
                                  "first day away (return only; absent = away a year or more)")
    department: str | None = key("str", "变动后的部门（缺省不变）", "department after the change (absent = unchanged)",
                                 one_line=True, repeats=True)
    post: str | None = key("str", "变动后的岗位（缺省不变）", "post after the change (absent = unchanged)", one_line=True,
                             repeats=True)
    note: str | None = key(*_NOTE)
    index: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Certificate:
    kind: str = key("code", "证书种类", "certificate kind", required=True, codes=codes.CERTIFICATE_KIND)
    category: str = key("str", "作业类别/操作项目", "operation category", default="", repeats=True)
    number: str = key("str", "证书编号", "certificate number", required=True)
    issued: date = key("date", "发证日期", "issued on", required=True)
    expires: date = key("date", "有效期至", "expires on", required=True, open_end=True)  # 9999-12-31: no expiry
    reviews: tuple[date, ...] = key("dates", "通过复审的日期", "dates of reviews passed", convert=_sorted)
    review_every_years: int | None = key("int", "复审间隔年数（特种作业操作证；发证机关延长复审周期时为6，缺省按规则集）",
                                         "review interval in years (special operation; 6 where the authority "
                                         "extended the cycle; absent = the rule set's)", minimum=1, maximum=50)
    attachments: tuple[Attachment, ...] = _attachments()
    note: str | None = key(*_NOTE)
    index: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    date: date = key("date", "违章日期", "date of the violation", required=True)
    note: str | None = key("str", "违章情况", "what happened")
    index: int = 0


@dataclass(frozen=True, slots=True)
class Post:
    department: str
    post: str
    team: str | None
    since: date  # first day on this post (hire or change date)


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """people/<pid>.toml: one file per person."""

    id: str
    file: str
    name: str = key("str", "姓名", "name", required=True, one_line=True)
    id_number: str | None = key("str", "居民身份证号（18位，GB 11643）", "resident ID number (18 characters, GB 11643)")
    employment: str = key("code", "用工形式", "form of employment", required=True, codes=codes.EMPLOYMENT)
    department: str = key("str", "车间/部门", "department", required=True, one_line=True, repeats=True)
    team: str | None = key("str", "班组", "team", one_line=True, repeats=True)
    post: str = key("str", "岗位/工种", "post or trade", required=True, one_line=True, repeats=True)
    roles: frozenset[str] = key("codes", "人员类别", "roles", codes=codes.ROLE, convert=frozenset,
                                default=frozenset())
    hired: date = key("date", "入职日期", "hired on", required=True)
    on_post: date = key("date", "上岗日期（缺省为入职日期）", "first day on the post (default: hired)", fill="hired",
                        default=None)  # always set by the builder
    left: date | None = key("date", "离职日期（缺省为在职）", "left on (absent: still employed)")
    post_since: date | None = key("date", "本岗位/工种起始日期（师傅资历）", "on this post or trade since (mentor experience)")
    skill_level: str | None = key("code", "技能等级", "skill level", codes=codes.SKILL_LEVEL)
    underground: bool = key("bool", "井下作业人员（矿山）", "works underground (mines)", default=False)
    waivers: tuple[Waiver, ...] = _waivers()
    attachments: tuple[Attachment, ...] = _attachments()
    note: str | None = key(*_NOTE)
    changes: tuple[Change, ...] = key("tables", "调岗或复岗记录", "transfers and returns", model=Change)
    certificates: tuple[Certificate, ...] = key("tables", "证书", "certificates", model=Certificate)
    violations: tuple[Violation, ...] = key("tables", "违章记录", "violations", model=Violation)

    def __post_init__(self):
        if self.on_post is None:  # built by hand: on_post defaults to hired, as in a file
            object.__setattr__(self, "on_post", self.hired)

    @property
    def is_manager(self) -> bool:
        """A principal or safety manager: judged by Y002/Y003/C005, not P/Y001."""
        return not self.roles.isdisjoint(MANAGER_ROLES)

    def employed_on(self, day: date) -> bool:
        return self.hired <= day and (self.left is None or day <= self.left)

    def post_since_on(self, day: date) -> date | None:
        """Since when the person has held the post they hold on `day`: the date of the change
        that put them on it (a change naming another post), else `post_since` (the hiring
        post's, which may be before the hiring; None when not recorded). What a document
        prints as 现岗位起始: `post_since` alone goes stale with a transfer."""
        since, post = self.post_since, self.post
        for change in sorted(self.changes, key=lambda c: c.date):
            if change.date > day:
                break
            if change.post and change.post != post:
                since, post = change.date, change.post
        return since

    def post_on(self, day: date) -> Post:
        """The post on `day`: the latest change on or before it, else the hiring post."""
        current = Post(self.department, self.post, self.team, self.hired)
        if not self.changes:
            return current
        for change in sorted(self.changes, key=lambda c: c.date):
            if change.date > day:
                break
            current = Post(
                change.department or current.department,
                change.post or current.post,
                current.team if not change.department else None,
                change.date,
            )
        return current


@dataclass(frozen=True, slots=True, kw_only=True)
class Attendance:
    person: str = key("id", "人员编号（工号）", "person id", required=True)
    score: float | None = key("number", "考核成绩", "score", minimum=0)
    passed: bool | None = key("bool", "考核合格（无分数时）", "passed (when there is no score)")
    hours: float | None = key("number", "实际计入的学时（部分参加时）", "training hours credited (partial attendance)", minimum=0)
    note: str | None = key(*_NOTE)
    index: int = 0


#: the session types whose `level` is required ("required for pre_job and transfer, allowed for every type")
LEVEL_REQUIRED = ("pre_job", "transfer")


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    """sessions/**/<sid>.toml: one file per training session."""

    id: str
    file: str
    title: str = key("str", "培训名称", "title", required=True)
    type: str = key("code", "培训类型", "type", required=True, codes=codes.SESSION_TYPE)
    level: str | None = key("code", "培训级别（岗前与调岗培训必填，其他类型可填）",
                            "level (required for pre-job and transfer training, allowed for every type)",
                            codes=codes.LEVEL)
    start: datetime = key("datetime", "开始时间", "start", required=True)
    end: datetime = key("datetime", "结束时间", "end", required=True)
    hours: float = key("number", "学时（每学时45分钟）", "training hours (学时, 45 minutes each) credited to each attendee who passed", required=True,
                       minimum=0, exclusive_minimum=True)
    topics: tuple[str, ...] = key("codes", "培训内容类别", "topics", codes=codes.TOPIC)
    content: str | None = key("str", "培训内容", "what was taught")
    methods: tuple[str, ...] = key("codes", "培训方式", "methods", codes=codes.METHOD)
    instructor: str = key("str", "授课人", "instructor", required=True, repeats=True)
    location: str | None = key("str", "培训地点", "location", repeats=True)
    provider: str = key("str", "培训单位：internal 或委托培训机构名称", "\"internal\" or the training institution's name",
                        required=True, repeats=True)
    contract: str | None = key("path", "委托培训服务合同（档案内路径）", "training service contract (path inside the archive)")
    assessment: str | None = key("code", "考核方式", "assessment", codes=codes.ASSESSMENT)
    pass_mark: float = key("number", "合格分数线", "pass mark", minimum=0, default=60)  # else the archive's
    attachments: tuple[Attachment, ...] = _attachments()
    attendees: tuple[Attendance, ...] = key("tables", "参加人员", "attendees", required=True, model=Attendance)
    waivers: tuple[Waiver, ...] = _waivers()
    note: str | None = key(*_NOTE)

    @property
    def is_internal(self) -> bool:
        return self.provider.strip().lower() == "internal"

    def counted_attendees(self) -> tuple[Attendance, ...]:
        """The attendees whose entries count for hours and coverage: a person listed twice
        (A004) counts once, by the first entry (the second must not credit the session's 学时
        again and hide a shortfall)."""
        attendees = self.attendees
        if len({a.person for a in attendees}) == len(attendees):
            return attendees
        seen: set[str] = set()
        return tuple(a for a in attendees if not (a.person in seen or seen.add(a.person)))

    def entries(self) -> Iterator[tuple[Attendance, bool, float]]:
        """Each entry as the file lists it: (the entry, passed, the 学时 it credits); a person's
        second entry (A004) credits nothing, as counted_attendees counts them."""
        counted = self.counted_attendees()
        once = counted is self.attendees  # nearly every session: nobody listed twice
        first = None if once else set(map(id, counted))
        for a in self.attendees:
            ok = self.passed(a)
            yield a, ok, self.credited_hours(a, ok) if once or id(a) in first else 0.0

    def head_count(self) -> tuple[int, int]:
        """(people attending, people who passed): each person once (counted_attendees)."""
        counted = self.counted_attendees()
        return len(counted), sum(map(self.passed, counted))

    def passed(self, attendance: Attendance) -> bool:
        """ARCHIVE-FORMAT: passed = true, or score >= pass mark, or no assessment."""
        if attendance.passed is True or self.assessment == "none":
            return True
        return attendance.score is not None and attendance.score >= self.pass_mark

    def credited_hours(self, attendance: Attendance, passed: bool | None = None) -> float:
        """学时 credited to one attendee: none unless passed; partial hours if given. `passed`:
        what `self.passed(attendance)` said, where the caller asked it already."""
        if not (self.passed(attendance) if passed is None else passed):
            return 0.0
        return self.hours if attendance.hours is None else attendance.hours


@dataclass(frozen=True, slots=True, kw_only=True)
class Drill:
    """drills/**/<did>.toml: one file per emergency drill."""

    id: str
    file: str
    title: str = key("str", "演练名称", "title", required=True)
    date: date = key("date", "演练日期", "date", required=True)
    scale: str = key("code", "演练规模", "scale", required=True, codes=codes.DRILL_SCALE)
    type: str = key("code", "演练类型（缺省为现场处置方案演练）", "kind of plan drilled (default: on-site procedure)",
                    codes=codes.DRILL_TYPE, default="on_site")
    scenario: str | None = key("code", "演练情景", "scenario", codes=codes.SCENARIO)
    location: str | None = key("str", "演练地点", "location")
    participants: tuple[str, ...] = key("ids", "参演人员", "participants")
    evaluation: str | None = key("str", "演练评估", "evaluation")
    attachments: tuple[Attachment, ...] = _attachments()
    waivers: tuple[Waiver, ...] = _waivers()
    note: str | None = key(*_NOTE)

    def counted_participants(self) -> tuple[str, ...]:
        """Its participants, each once: a person listed twice (A004) took part once."""
        return tuple(dict.fromkeys(self.participants))


@dataclass(frozen=True, slots=True, kw_only=True)
class Mentorship:
    """mentorships/<apprentice pid>.toml: one file per apprenticeship."""

    id: str  # the apprentice's id (the file stem)
    file: str
    mentor: str = key("id", "师傅（人员编号）", "mentor (person id)", required=True)
    post: str = key("str", "岗位/工种", "post", required=True, one_line=True, repeats=True)
    start: date = key("date", "开始日期", "start", required=True)
    end: date | None = key("date", "计划结束日期", "planned end")
    signed_off: date | None = key("date", "师傅签署实习合格证明的日期", "date the mentor signed the apprentice off")
    attachments: tuple[Attachment, ...] = _attachments()
    waivers: tuple[Waiver, ...] = _waivers()
    note: str | None = key(*_NOTE)

    @property
    def apprentice(self) -> str:
        return self.id

    def runs_until(self, as_of: date) -> date:
        """RULES.md family M: start to signed_off, else end, else as_of."""
        return self.signed_off or self.end or as_of


@dataclass(frozen=True, slots=True, kw_only=True)
class Introduction:
    """introductions/<iid>.toml: a new process, technology, material or equipment ("四新")."""

    id: str
    file: str
    title: str = key("str", "名称", "title", required=True)
    kind: str = key("code", "四新类别", "kind", required=True, codes=codes.INTRODUCTION_KIND)
    date: date = key("date", "投入生产使用的第一天", "first day it is used in production", required=True)
    departments: tuple[str, ...] = key("strings", "使用它的部门（车间）", "departments that work with it", one_line=True)
    posts: tuple[str, ...] = key("strings", "使用它的岗位（工种）", "posts that work with it", one_line=True)
    attachments: tuple[Attachment, ...] = _attachments()
    waivers: tuple[Waiver, ...] = _waivers()
    note: str | None = key(*_NOTE)

    def affects(self, person: Person) -> bool:
        """ARCHIVE-FORMAT: a person is affected when their department or post on `date` is listed."""
        post = person.post_on(self.date)
        return post.department in self.departments or post.post in self.posts


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanItem:
    title: str = key("str", "培训项目", "planned training", required=True)
    type: str = key("code", "培训类型", "session type", required=True, codes=codes.SESSION_TYPE)
    month: int = key("int", "计划月份（1–12）", "planned month, 1-12", required=True, minimum=1, maximum=12)
    audience: str | None = key("str", "培训对象", "who is trained")
    hours: float | None = key("number", "计划学时（每人）", "planned training hours per person", minimum=0, exclusive_minimum=True)
    note: str | None = key(*_NOTE)
    index: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """plans/<year>.toml: the year's safety-training plan (年度安全培训计划)."""

    id: str  # the year, as the file stem
    file: str
    year: int = key("int", "计划年度（与文件名相同）", "the plan's year (the file's name)", required=True, minimum=1)
    approved: date = key("date", "主要负责人批准日期", "date the principal approved it", required=True)
    approved_by: str | None = key("id", "批准人（人员编号，主要负责人）", "approver (person id of a principal)")
    budget: float | None = key("number", "安全培训经费（元）", "safety-training budget, yuan", minimum=0)
    attachments: tuple[Attachment, ...] = _attachments()
    waivers: tuple[Waiver, ...] = _waivers()
    note: str | None = key(*_NOTE)
    items: tuple[PlanItem, ...] = key("tables", "计划培训项目", "planned trainings", required=True, model=PlanItem)


@dataclass(frozen=True)
class Archive:
    """One enterprise's archive ("一企一册"), as loaded.

    `config` is None when safetrain.toml itself could not be read or
    validated; only the rules that need no enterprise facts then run.
    `excluded` holds, per kind, the ids whose files had A001/A002 findings:
    they are left out of every other rule, and references to them are not
    reported as unknown. A second session or drill file of an id already used
    (two `sessions/**/x.toml`: A004) is still judged (only A001/A002 leave a file
    out): it is kept under `duplicate_key(id, file)`, which no id can equal;
    `named(kind)` leaves such records out where an id must name one record.
    """

    name: str  # the archive's folder as given on the command line
    config: Config | None
    people: Mapping[str, Person]
    sessions: Mapping[str, Session]
    drills: Mapping[str, Drill]
    mentorships: Mapping[str, Mentorship]
    excluded: Mapping[str, frozenset[str]] = field(default_factory=dict)
    root: Path | None = None  # the archive's folder on disk; None for one held in memory
    files: "FileStore | None" = None  # what rules may ask about the files records point to (files.py)
    introductions: Mapping[str, Introduction] = field(default_factory=dict)  # format v2: 四新
    plans: Mapping[str, Plan] = field(default_factory=dict)  # by year, as the file stem ("2024")
    #: the kinds a folder of which could not be read (A001): any id of them may be there, unread
    unread: frozenset[str] = frozenset()

    @property
    def masks_id_numbers(self) -> bool:
        """ARCHIVE-FORMAT settings.mask_id_numbers: whether outputs mask 身份证号 (true when absent,
        and when safetrain.toml cannot be used)."""
        return self.config.settings.mask_id_numbers if self.config is not None else True

    def known_person(self, pid: str) -> bool:
        """A person file of that id exists, or may (people/ could not be read: never "no file")."""
        return pid in self.people or pid in self.excluded.get("person", ()) or "person" in self.unread

    def named(self, kind: str) -> dict[str, "Person | Session | Drill | Mentorship | Introduction | Plan"]:
        """`records(kind)` without the duplicates of an id (A004): each id names one record, the first."""
        return {key: r for key, r in self.records(kind).items() if key == r.id}

    def records(self, kind: str) -> Mapping[str, "Person | Session | Drill | Mentorship | Introduction | Plan"]:
        """The records of a kind of spec.RECORD_KINDS kept in a folder (person, session, drill,
        mentorship, introduction, plan), by id."""
        return {"person": self.people, "session": self.sessions, "drill": self.drills,
                "mentorship": self.mentorships, "introduction": self.introductions, "plan": self.plans}[kind]


def duplicate_key(record_id: str, file: str) -> str:
    """Where Archive keeps a second record of an id (A004): a key with a space, which no id has."""
    return f"{record_id} {file}"


def begins(record) -> date | None:
    """The day a record starts to exist in the archive's story: a person's hire, a session's
    start, a drill's or an introduction's date, a mentorship's start, the day a plan was
    approved (before it there was no approved plan: R005 and status say so). What "as it
    stood on as_of" leaves out."""
    if isinstance(record, Plan):
        return record.approved
    if isinstance(record, Person):
        return record.hired
    if isinstance(record, Session):
        return record.start.date()
    if isinstance(record, (Drill, Introduction)):
        return record.date
    if isinstance(record, Mentorship):
        return record.start
    return None
