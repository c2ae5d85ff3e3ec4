"""What the pairing tells people: each pair with its reasons, each apprentice
left unpaired with why (in Chinese and English)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..archive.reading.models import Person
from ..dates import whole_months
from ..rules.mentorship import duration_text
from .problem import OTHER_DEPARTMENT, SAME_TEAM, Apprentice, Options, PairingProblem, Refusal, most_at_once
from .solver import Choice


_NAMED = 5  # mentors named in one reason


@dataclass(frozen=True)
class Pair:
    apprentice: Person
    mentor: Person
    post: str
    start: date
    end: date  # planned: start + the apprenticeship minimum (M004)
    cost: int  # PairingProblem.cost of the place taken
    relation: int
    department: str  # the mentor's department on the start day
    team: str | None  # the mentor's team on the start day
    months_on_post: int  # the mentor's, on the start day
    load_after: int  # the most of the mentor's mentorships at once during the span, this one included
    capacity: int
    slot: int = 1  # the mentor's place this pair takes (1: the mentor's first apprentice of the plan)
    gap: int = 0  # whole months the mentor has on the post fewer than the most experienced mentor

    def cost_words(self, lang: str = "zh") -> str:
        """The cost, said in words: what each of its parts is (PairingProblem.cost)."""
        en = lang == "en"
        where = {SAME_TEAM: ("同班组", "same team"), OTHER_DEPARTMENT: ("不同部门", "another department")}.get(
            self.relation, ("同部门", "same department"))[en]
        if en:
            place = f"the mentor's apprentice no. {self.slot} of at most {self.capacity}"
            months = "the most experienced mentor" if not self.gap else f"{self.gap} months less on the post than the most experienced"
            return f"{self.cost}: {where}; {place}; {months}"
        place = f"师傅带的第 {self.slot} 名徒弟（最多 {self.capacity} 名）"
        months = "工龄最长的师傅" if not self.gap else f"本岗位工龄比最长者少 {self.gap} 个月"
        return f"{self.cost}：{where}；{place}；{months}"

    def reasons(self, lang: str = "zh") -> list[str]:
        en = lang == "en"
        if self.relation == SAME_TEAM:
            where = f"same team ({self.department} {self.team})" if en else f"同一班组（{self.department}{self.team}）"
        elif self.relation == OTHER_DEPARTMENT:
            where = f"another department (mentor in {self.department})" if en else f"不同部门（师傅在{self.department}）"
        else:
            where = f"same department ({self.department})" if en else f"同一部门（{self.department}）"
        years = duration_text(self.months_on_post, lang)
        if en:
            return [where, f"mentor on the post {years}", f"load after pairing {self.load_after}/{self.capacity}"]
        return [where, f"师傅本岗位工龄{years}", f"配对后带徒 {self.load_after}/{self.capacity} 人"]


@dataclass(frozen=True)
class Unpaired:
    apprentice: Person
    code: str  # a Refusal code, or "outmatched"
    zh: str
    en: str

    def reason(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def pairs_of(problem: PairingProblem, chosen: list[Choice]) -> list[Pair]:
    new: dict[int, list[tuple[date, date]]] = {}
    for ch in chosen:
        a = problem.apprentices[ch.option.apprentice]
        new.setdefault(ch.option.mentor, []).append((a.start, a.end))
    out = []
    for ch in chosen:
        o, a = ch.option, problem.apprentices[ch.option.apprentice]
        m = problem.mentors[o.mentor]
        post = m.post_on(a.start)
        spans = (*problem.existing.get(m.id, ()), *new[o.mentor])
        out.append(Pair(a.person, m, a.post.post, a.start, a.end, problem.cost(o, ch.slot), o.relation,
                        post.department, post.team, whole_months(m.post_since, a.start) if m.post_since else 0,
                        most_at_once(spans, a.start, a.end), problem.capacity, ch.slot, problem.gap[o.mentor]))
    return sorted(out, key=lambda p: p.apprentice.id)


def unpaired_of(problem: PairingProblem, chosen: list[Choice]) -> list[Unpaired]:
    import numpy as np

    paired = {ch.option.apprentice for ch in chosen}
    offered: dict[int, list[Person]] = {}
    opts = Options.of(problem.options)
    left = ~np.isin(opts.apprentice, np.fromiter(paired, dtype=np.int64, count=len(paired)))
    for i, m in zip(opts.apprentice[left].tolist(), opts.mentor[left].tolist()):  # the options of those left
        offered.setdefault(i, []).append(problem.mentors[m])
    out = []
    for i, a in enumerate(problem.apprentices):
        if i in paired:
            continue
        if i in problem.refused:
            zh, en = refusal_text(a, problem.refused[i], problem.capacity)
            out.append(Unpaired(a.person, problem.refused[i].code, zh, en))
        else:
            ids = [m.id for m in offered.get(i, ())]
            more_zh = f"等 {len(ids)} 人" if len(ids) > _NAMED else ""
            more_en = f" and {len(ids) - _NAMED} more" if len(ids) > _NAMED else ""
            out.append(Unpaired(a.person, "outmatched",
                                f"符合条件且有空位的师傅（{'、'.join(ids[:_NAMED])}{more_zh}）的名额已配给其他徒弟",
                                f"the free places of the eligible mentors ({', '.join(ids[:_NAMED])}{more_en}) "
                                "went to other apprentices"))
    return out


def refusal_text(a: Apprentice, r: Refusal, capacity: int) -> tuple[str, str]:
    p, post = a.person, a.post.post
    if r.code == "not_employed":
        return f"开始日 {a.start} 不在职", f"not employed on the start date {a.start}"
    if r.code == "has_mentorship":
        return (f"已有师带徒记录 mentorships/{p.id}.toml（不覆盖）",
                f"already has mentorships/{p.id}.toml (never overwritten)")
    if r.code == "no_candidate":
        return (f"开始日 {a.start} 没有其他人在「{post}」岗位，本岗位无可选师傅",
                f"no mentor on this post: nobody else works as {post} on the start date {a.start}")
    if r.code == "none_eligible":
        zh = "、".join(f"{m.id} {m.name}（{'；'.join(x.zh for x in rs)}）" for m, rs in r.nearest)
        en = ", ".join(f"{m.id} {m.name} ({'; '.join(x.en for x in rs)})" for m, rs in r.nearest)
        return (f"本岗位（{post}）没有符合条件的师傅；最接近的：{zh}",
                f"no mentor on this post ({post}) is eligible; the nearest: {en}")
    zh = "、".join(f"{m.id} {m.name}（{load}/{capacity}）" for m, load in r.full[:_NAMED])
    en = ", ".join(f"{m.id} {m.name} ({load}/{capacity})" for m, load in r.full[:_NAMED])
    if len(r.full) > _NAMED:
        zh, en = zh + f" 等 {len(r.full)} 人", en + f" and {len(r.full) - _NAMED} more"
    return (f"本岗位符合条件的师傅在带徒期间都已带满：{zh}",
            f"all eligible mentors are full during the apprenticeship: {en}")
