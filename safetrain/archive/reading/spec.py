"""The shape of each file kind, as data.

One description serves two readers: `validate` checks a parsed TOML table
against it (A002 findings), and `jsonschema` turns it into the JSON Schemas
editors use. Key order here is the canonical order of ARCHIVE-FORMAT.md,
which `safetrain fmt` also follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from . import codes
from .codes import Labels

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


@dataclass(frozen=True)
class Field:
    """One key of a table.

    kind: str, int, number, bool, date, datetime, code, codes, strings, ids,
    dates, table, tables, attachments, waivers, path, id.
    """

    kind: str
    zh: str
    en: str
    required: bool = False
    codes: Labels | None = None
    table: "Table | None" = None  # for kind table / tables
    minimum: float | None = None
    exclusive_minimum: bool = False
    maximum: float | None = None


@dataclass(frozen=True)
class Table:
    name: str
    fields: Mapping[str, Field]
    zh: str = ""
    en: str = ""
    open: bool = False  # accepts any key (none so far)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(k for k, f in self.fields.items() if f.required)


NOTE = Field("str", "备注（自由文本，打印在文档中，不参与规则判断）", "free-text note, printed, judged by no rule")
ATTACHMENTS = Field(
    "attachments",
    "附件：档案内的文件路径，或 { path = \"...\", sha256 = \"...\" }",
    "attached files: paths inside the archive, or { path, sha256 }",
)

WAIVER = Table(
    "waiver",
    {
        "rule": Field("str", "豁免的规则代码，如 Y001", "the code of the waived rule, e.g. Y001", required=True),
        "reason": Field("str", "豁免理由（检查人员可读）", "a reason an inspector can read", required=True),
        "until": Field("date", "豁免截止日期（可选）", "optional last day of the waiver"),
    },
)
WAIVERS = Field("waivers", "规则豁免", "rule waivers", table=WAIVER)

ENTERPRISE = Table(
    "enterprise",
    {
        "name": Field("str", "企业名称", "enterprise name", required=True),
        "credit_code": Field("str", "统一社会信用代码（18位，GB 32100）", "unified social credit code (18 characters, GB 32100)", required=True),
        "industry": Field("code", "行业", "industry", required=True, codes=codes.INDUSTRY),
        "crowded_place": Field("bool", "人员密集场所", "crowded place (hotel, restaurant, scenic area, shopping complex)", required=True),
        "uses_gas": Field("bool", "使用燃气", "uses gas", required=True),
        "region": Field("str", "所在地区", "region", required=True),
        "address": Field("str", "地址", "address"),
        "records_since": Field("date", "档案完整起始日期：期间类检查从此日开始", "first day the archive is complete for; period checks start here"),
        "note": NOTE,
    },
)

SETTINGS = Table(
    "settings",
    {
        "pass_mark": Field("number", "未规定合格分数线的培训的合格分（缺省60）", "pass mark for sessions that give none (60 when absent)", minimum=0),
        "mask_id_numbers": Field("bool", "终端输出和导出时遮蔽身份证号（缺省 true）", "mask ID numbers in terminal output and exports (true when absent)"),
    },
)

CONFIG = Table(
    "safetrain",
    {
        "format": Field("int", "档案格式版本（1）", "archive format version (1)", minimum=1),
        "ruleset": Field("str", "规则集：内置名称或档案内规则集文件路径", "rule set: a built-in name or a path to a rule set file inside the archive", required=True),
        "waivers": WAIVERS,
        "enterprise": Field("table", "企业登记信息", "the enterprise register", required=True, table=ENTERPRISE),
        "settings": Field("table", "档案设置", "archive settings", table=SETTINGS),
    },
    "safetrain.toml：企业登记信息与档案设置（一企一册）",
    "safetrain.toml: the enterprise register and the archive's settings",
)

CHANGE = Table(
    "change",
    {
        "date": Field("date", "到新岗位/复岗第一天", "first day on the new or returned post", required=True),
        "kind": Field("code", "变动类型", "kind of change", required=True, codes=codes.CHANGE_KIND),
        "department": Field("str", "变动后的部门（缺省不变）", "department after the change (absent = unchanged)"),
        "post": Field("str", "变动后的岗位（缺省不变）", "post after the change (absent = unchanged)"),
        "note": NOTE,
    },
)

CERTIFICATE = Table(
    "certificate",
    {
        "kind": Field("code", "证书种类", "certificate kind", required=True, codes=codes.CERTIFICATE_KIND),
        "category": Field("str", "作业类别/操作项目", "operation category"),
        "number": Field("str", "证书编号", "certificate number", required=True),
        "issued": Field("date", "发证日期", "issued on", required=True),
        "expires": Field("date", "有效期至", "expires on", required=True),
        "reviews": Field("dates", "通过复审的日期", "dates of reviews passed"),
        "attachments": ATTACHMENTS,
        "note": NOTE,
    },
)

VIOLATION = Table(
    "violation",
    {
        "date": Field("date", "违章日期", "date of the violation", required=True),
        "note": Field("str", "违章情况", "what happened"),
    },
)

PERSON = Table(
    "person",
    {
        "name": Field("str", "姓名", "name", required=True),
        "id_number": Field("str", "居民身份证号（18位，GB 11643）", "resident ID number (18 characters, GB 11643)"),
        "employment": Field("code", "用工形式", "form of employment", required=True, codes=codes.EMPLOYMENT),
        "department": Field("str", "车间/部门", "department", required=True),
        "team": Field("str", "班组", "team"),
        "post": Field("str", "岗位/工种", "post or trade", required=True),
        "roles": Field("codes", "人员类别", "roles", codes=codes.ROLE),
        "hired": Field("date", "入职日期", "hired on", required=True),
        "on_post": Field("date", "上岗日期（缺省为入职日期）", "first day on the post (default: hired)"),
        "left": Field("date", "离职日期（缺省为在职）", "left on (absent: still employed)"),
        "post_since": Field("date", "本岗位/工种起始日期（师傅资历）", "on this post or trade since (mentor experience)"),
        "skill_level": Field("code", "技能等级", "skill level", codes=codes.SKILL_LEVEL),
        "waivers": WAIVERS,
        "attachments": ATTACHMENTS,
        "note": NOTE,
        "changes": Field("tables", "调岗或复岗记录", "transfers and returns", table=CHANGE),
        "certificates": Field("tables", "证书", "certificates", table=CERTIFICATE),
        "violations": Field("tables", "违章记录", "violations", table=VIOLATION),
    },
    "people/<工号>.toml：一人一档",
    "people/<pid>.toml: one file per person",
)

ATTENDEE = Table(
    "attendee",
    {
        "person": Field("id", "人员编号（工号）", "person id", required=True),
        "score": Field("number", "考核成绩", "score", minimum=0),
        "passed": Field("bool", "考核合格（无分数时）", "passed (when there is no score)"),
        "hours": Field("number", "实际计入的学时（部分参加时）", "学时 credited (partial attendance)", minimum=0),
        "note": NOTE,
    },
)

SESSION = Table(
    "session",
    {
        "title": Field("str", "培训名称", "title", required=True),
        "type": Field("code", "培训类型", "type", required=True, codes=codes.SESSION_TYPE),
        "level": Field("code", "培训级别（岗前与调岗培训）", "level (pre-job and transfer training)", codes=codes.LEVEL),
        "start": Field("datetime", "开始时间", "start", required=True),
        "end": Field("datetime", "结束时间", "end", required=True),
        "hours": Field("number", "学时（每学时45分钟）", "学时 credited to each attendee who passed", required=True, minimum=0, exclusive_minimum=True),
        "topics": Field("codes", "培训内容类别", "topics", codes=codes.TOPIC),
        "content": Field("str", "培训内容", "what was taught"),
        "methods": Field("codes", "培训方式", "methods", codes=codes.METHOD),
        "instructor": Field("str", "授课人", "instructor", required=True),
        "location": Field("str", "培训地点", "location"),
        "provider": Field("str", "培训单位：internal 或委托培训机构名称", "\"internal\" or the training institution's name", required=True),
        "contract": Field("path", "委托培训服务合同（档案内路径）", "training service contract (path inside the archive)"),
        "assessment": Field("code", "考核方式", "assessment", codes=codes.ASSESSMENT),
        "pass_mark": Field("number", "合格分数线", "pass mark", minimum=0),
        "attachments": ATTACHMENTS,
        "attendees": Field("tables", "参加人员", "attendees", required=True, table=ATTENDEE),
        "waivers": WAIVERS,
        "note": NOTE,
    },
    "sessions/**/<编号>.toml：一期一档",
    "sessions/**/<sid>.toml: one file per training session",
)

DRILL = Table(
    "drill",
    {
        "title": Field("str", "演练名称", "title", required=True),
        "date": Field("date", "演练日期", "date", required=True),
        "scale": Field("code", "演练规模", "scale", required=True, codes=codes.DRILL_SCALE),
        "scenario": Field("code", "演练情景", "scenario", codes=codes.SCENARIO),
        "location": Field("str", "演练地点", "location"),
        "participants": Field("ids", "参演人员", "participants"),
        "evaluation": Field("str", "演练评估", "evaluation"),
        "attachments": ATTACHMENTS,
        "waivers": WAIVERS,
        "note": NOTE,
    },
    "drills/**/<编号>.toml：应急演练记录",
    "drills/**/<did>.toml: one file per emergency drill",
)

MENTORSHIP = Table(
    "mentorship",
    {
        "mentor": Field("id", "师傅（人员编号）", "mentor (person id)", required=True),
        "post": Field("str", "岗位/工种", "post", required=True),
        "start": Field("date", "开始日期", "start", required=True),
        "end": Field("date", "计划结束日期", "planned end"),
        "signed_off": Field("date", "师傅签署实习合格证明的日期", "date the mentor signed the apprentice off"),
        "attachments": ATTACHMENTS,
        "waivers": WAIVERS,
        "note": NOTE,
    },
    "mentorships/<徒弟工号>.toml：师带徒",
    "mentorships/<apprentice pid>.toml: one file per apprenticeship",
)

#: file kind -> table spec
KINDS: Mapping[str, Table] = {
    "config": CONFIG,
    "person": PERSON,
    "session": SESSION,
    "drill": DRILL,
    "mentorship": MENTORSHIP,
}

#: file kind -> folder under the archive root (config is the root file)
FOLDERS: Mapping[str, str] = {
    "person": "people",
    "session": "sessions",
    "drill": "drills",
    "mentorship": "mentorships",
}
RECURSIVE = frozenset({"session", "drill"})  # sessions/**/ and drills/**/
