"""The coded values of the archive format and their labels.

Every code the format knows, with its Chinese label (printed in reports,
accepted by importers) and an English label. ARCHIVE-FORMAT.md is the source.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

Labels = Mapping[str, tuple[str, str]]  # code -> (zh, en)


def _table(*rows: tuple[str, str, str]) -> Labels:
    return MappingProxyType({code: (zh, en) for code, zh, en in rows})


INDUSTRY = _table(
    ("coal_mine", "煤矿", "coal mine"),
    ("non_coal_mine", "非煤矿山", "non-coal mine"),
    ("hazardous_chemicals", "危险化学品", "hazardous chemicals"),
    ("fireworks", "烟花爆竹", "fireworks"),
    ("metal_smelting", "金属冶炼", "metal smelting"),
    ("construction", "建筑施工", "construction"),
    ("road_transport", "道路运输", "road transport"),
    ("dangerous_goods", "其他危险物品生产经营储存", "other dangerous goods"),
    ("gas", "燃气", "gas"),
    ("manufacturing", "加工制造业", "manufacturing"),
    ("catering", "餐饮", "catering"),
    ("hotel", "宾馆饭店", "hotel"),
    ("tourism", "旅游景区", "tourist site"),
    ("commercial_complex", "大型商业综合体", "commercial complex"),
    ("retail", "商贸零售", "retail"),
    ("other", "其他", "other"),
)

EMPLOYMENT = _table(
    ("formal", "正式工", "permanent"),
    ("contract", "合同工", "contract"),
    ("temporary", "临时工", "temporary"),
    ("dispatched", "劳务派遣工", "agency (dispatched)"),
    ("rotating", "轮换工", "rotating"),
    ("agreement", "协议工", "agreement"),
    ("intern", "实习学生", "intern"),
    ("part_time", "非全日制用工", "part-time"),
)

ROLE = _table(
    ("principal", "主要负责人", "principal"),
    ("safety_manager", "安全生产管理人员", "safety manager"),
    ("special_operator", "特种作业人员", "special operator"),
)

# Ordered from lowest to highest: the order matters for mentor eligibility.
SKILL_LEVEL = _table(
    ("junior", "初级工", "junior"),
    ("intermediate", "中级工", "intermediate"),
    ("senior", "高级工", "senior"),
    ("technician", "技师", "technician"),
    ("senior_technician", "高级技师", "senior technician"),
)
SKILL_RANK = MappingProxyType({code: rank for rank, code in enumerate(SKILL_LEVEL)})

CHANGE_KIND = _table(
    ("transfer", "调岗", "transfer"),
    ("return", "复岗", "return to the post"),
)

CERTIFICATE_KIND = _table(
    ("special_operation", "特种作业操作证", "special operation certificate"),
    ("manager", "主要负责人/安全管理人员考核合格证", "manager safety certificate"),
    ("other", "其他", "other certificate"),
)

SESSION_TYPE = _table(
    ("pre_job", "岗前培训", "pre-job training"),
    ("refresher", "年度再培训", "annual refresher"),
    ("all_staff", "全员培训", "all-staff training"),
    ("management", "主要负责人/安全管理人员培训", "manager training"),
    ("special_operation", "特种作业培训/复审", "special operation training"),
    ("transfer", "调岗/复岗培训", "transfer/return training"),
    ("new_tech", "四新培训", "new technology training"),
    ("other", "其他", "other"),
)

LEVEL = _table(
    ("company", "公司(厂矿)级", "company level"),
    ("workshop", "车间(部门)级", "workshop level"),
    ("team", "班组(岗位)级", "team level"),
)

TOPIC = _table(
    ("rules", "规章制度和操作规程", "rules and procedures"),
    ("knowledge", "安全生产知识", "safety knowledge"),
    ("skills", "本岗位安全操作技能", "job safety skills"),
    ("emergency", "事故应急处理措施", "emergency response"),
    ("gas", "燃气使用安全", "gas safety"),
    ("fire", "防火", "fire prevention"),
    ("other", "其他", "other"),
)

METHOD = _table(
    ("lecture", "讲授", "lecture"),
    ("practical", "实操", "practical"),
    ("case", "案例", "case study"),
    ("experiential", "体验式", "experiential"),
    ("interactive", "互动式", "interactive"),
    ("online", "线上", "online"),
)

ASSESSMENT = _table(
    ("written", "笔试", "written test"),
    ("practical", "实操考核", "practical test"),
    ("oral", "口试", "oral test"),
    ("none", "无考核", "no assessment"),
)

DRILL_SCALE = _table(
    ("small", "小练", "small drill"),
    ("large", "大练", "large drill"),
    ("assessment", "检验", "half-yearly evaluation"),
)

DRILL_TYPE = _table(  # 预案办法 第三十三条: which plan the drill exercises
    ("comprehensive", "综合应急预案演练", "comprehensive plan drill"),
    ("special", "专项应急预案演练", "special plan drill"),
    ("on_site", "现场处置方案演练", "on-site procedure drill"),
)

INTRODUCTION_KIND = _table(  # 四新
    ("process", "新工艺", "new process"),
    ("technology", "新技术", "new technology"),
    ("material", "新材料", "new material"),
    ("equipment", "新设备", "new equipment"),
)

SCENARIO = _table(
    ("fire", "火灾", "fire"),
    ("gas_leak", "燃气泄漏", "gas leak"),
    ("explosion", "爆炸", "explosion"),
    ("flood", "透水/水灾", "flood"),
    ("collapse", "坍塌", "collapse"),
    ("chemical_leak", "危化品泄漏", "chemical leak"),
    ("traffic", "交通事故", "traffic accident"),
    ("evacuation", "疏散", "evacuation"),
    ("other", "其他", "other"),
)

#: Every code table by the name reports and importers use.
TABLES: Mapping[str, Labels] = MappingProxyType(
    {
        "industry": INDUSTRY,
        "employment": EMPLOYMENT,
        "role": ROLE,
        "skill_level": SKILL_LEVEL,
        "change_kind": CHANGE_KIND,
        "certificate_kind": CERTIFICATE_KIND,
        "session_type": SESSION_TYPE,
        "level": LEVEL,
        "topic": TOPIC,
        "method": METHOD,
        "assessment": ASSESSMENT,
        "drill_scale": DRILL_SCALE,
        "drill_type": DRILL_TYPE,
        "introduction_kind": INTRODUCTION_KIND,
        "scenario": SCENARIO,
    }
)


#: Other words people write for a code (rosters, hand-typed files): accepted by importers and
#: options, and named in A002's message; a file always holds the code itself.
ALIASES: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "employment": MappingProxyType({
        "正式": "formal", "正式员工": "formal", "在编": "formal", "合同制": "contract", "合同制员工": "contract",
        "劳动合同工": "contract", "临时": "temporary", "临时用工": "temporary",
        "劳务派遣": "dispatched", "派遣": "dispatched", "派遣工": "dispatched", "劳务派遣人员": "dispatched",
        "劳务工": "dispatched", "轮换": "rotating", "协议": "agreement",
        "实习生": "intern", "实习": "intern", "实习学生": "intern", "学徒实习生": "intern",
        "非全日制": "part_time", "小时工": "part_time", "钟点工": "part_time", "兼职": "part_time",
        "兼职人员": "part_time", "非全日制用工": "part_time",
    }),
    "role": MappingProxyType({
        "安全管理人员": "safety_manager", "专职安全管理人员": "safety_manager", "安全员": "safety_manager",
        "专职安全员": "safety_manager", "兼职安全员": "safety_manager", "负责人": "principal",
        "法定代表人": "principal", "特种作业": "special_operator", "特种作业人员": "special_operator",
        "特种工": "special_operator",
    }),
    "skill_level": MappingProxyType({"初级": "junior", "中级": "intermediate", "高级": "senior",
                                     "五级": "junior", "四级": "intermediate", "三级": "senior",
                                     "二级": "technician", "一级": "senior_technician"}),
    "change_kind": MappingProxyType({"调岗": "transfer", "转岗": "transfer", "复岗": "return", "返岗": "return"}),
})
_ALIASES_OF = {id(TABLES[name]): words for name, words in ALIASES.items()}


def label(table: Labels, code: str | None, lang: str = "zh") -> str:
    """The label of `code` in `lang` ("zh" or "en"); the code itself if unknown."""
    if code is None:
        return ""
    pair = table.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


def _typed(text: str) -> str:
    """A label as a Chinese keyboard may type it: full-width brackets and spaces made plain."""
    return text.replace("（", "(").replace("）", ")").replace("\u3000", "").replace(" ", "")


def _short_labels(table: Labels) -> dict[str, str]:
    """Each Chinese label without its bracketed part (公司(厂矿)级 -> 公司级), where that names one code."""
    import re

    shorts: dict[str, list[str]] = {}
    for code, (zh, _) in table.items():
        short = re.sub(r"\([^()]*\)", "", _typed(zh))
        if short != _typed(zh):
            shorts.setdefault(short, []).append(code)
    return {short: codes[0] for short, codes in shorts.items() if len(codes) == 1}


def code_for(table: Labels, text: str) -> str | None:
    """The code whose code, Chinese label or English label is `text` (importers, options);
    a Chinese label typed with full-width brackets, or without its bracketed part, too."""
    text = text.strip()
    if text in table:
        return text
    for code, (zh, en) in table.items():
        if text == zh or text.lower() == en.lower():
            return code
    typed = _typed(text)
    for code, (zh, _) in table.items():
        if typed == _typed(zh):
            return code
    return _short_labels(table).get(typed) or _ALIASES_OF.get(id(table), {}).get(text)
