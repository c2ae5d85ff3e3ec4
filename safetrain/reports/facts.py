"""What every document of one archive shares, computed once per render run:
the rules' Context (credited hours, the window), indexes by person, and the
privacy setting. Pure: built from a checked Result, never from files."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property

from ..api import Result
from ..archive.reading.models import Drill, Enterprise, Mentorship, Person
from ..rules.annual import BEFORE_WINDOW, NOT_OVER, PART_YEAR, not_judged, year_hours
from ..rules.ruleset import Figure


#: why a year is not judged, as the ledger and the person file say it
_NOT_JUDGED = {NOT_OVER: "进行中", BEFORE_WINDOW: "建档不满一年", PART_YEAR: "在职不满一年"}


class Facts:
    def __init__(self, result: Result):
        self.result = result
        self.archive = result.archive
        self.as_of: date = result.as_of
        self.ctx = result.view_context()  # what the rules computed once is not computed again

    @property
    def enterprise(self) -> Enterprise | None:
        return self.ctx.enterprise

    @property
    def enterprise_name(self) -> str:
        return self.enterprise.name if self.enterprise else ""

    @property
    def mask(self) -> bool:
        """ARCHIVE-FORMAT settings.mask_id_numbers: true when absent."""
        return self.archive.masks_id_numbers

    def figure(self, name: str) -> Figure:
        return self.ctx.figure(name)

    def by_then(self, day: date | None) -> date | None:
        """`day` if it is on or before the documents' date, else None: a document of the
        archive as it stood on as_of shows nothing dated after it (a later sign-off, review,
        or leaving day had not happened yet)."""
        return day if day is not None and day <= self.as_of else None

    def reviews_by_then(self, cert) -> list[date]:
        """The certificate's reviews on or before the documents' date, oldest first."""
        return self.ctx.reviews_by_then(cert)

    def person(self, pid: str) -> Person | None:
        return self.archive.people.get(pid)

    def name_of(self, pid: str) -> str:
        p = self.archive.people.get(pid)
        return p.name if p else pid

    def department_on(self, pid: str, day: date) -> str:
        p = self.archive.people.get(pid)
        return p.post_on(day).department if p else ""

    # -- yearly hours (the Y rules' view, as reports.summary counts them) -----
    def years_of(self, person: Person) -> range:
        """The calendar years a person's hours are shown for: employed, in the window, up to as_of
        (none for someone hired after as_of: not yet one of the enterprise's people)."""
        if person.hired > self.as_of:
            return range(0)
        first = max(person.hired.year, self.ctx.window_start.year)
        last = min(self.as_of.year, person.left.year if person.left else self.as_of.year)
        return range(first, last + 1)

    def year_hours(self, person: Person, year: int) -> tuple[float, float, str]:
        """(credited hours, requirement, status) of one person in one year.

        未达标 exactly for the years Y001/Y002 judge and find short (rules.annual.not_judged;
        a waiver may still silence the finding); a year they do not judge says why,
        unless its hours are met anyway."""
        got, need = year_hours(self.ctx, person, year)
        why = not_judged(self.ctx, person, year)
        status = "达标" if got >= need else "未达标" if why is None else _NOT_JUDGED[why]
        return got, need, status

    def coverage_by_department(self) -> list[tuple[str, int, int, int, int]]:
        """(department, active people, trained in as_of's year, people whose year's hours are
        judged, of them meeting the hours), by department: the last two are status's
        (summary.hours_by_department), so the register and the ledger say what it says.

        Trained: passed at least one session of any type that ended between
        1 January and as_of; the department is the person's on as_of."""
        from .summary import hours_by_department

        year = self.as_of.year
        first = date(year, 1, 1)
        trained = {a.person for s in self.archive.sessions.values() if first <= s.end.date() <= self.as_of
                   for a in s.counted_attendees() if s.passed(a)}
        active = [p for p in self.archive.people.values() if p.employed_on(self.as_of)]
        rows: dict[str, list[int]] = {}
        for p in active:  # counts: in any order (the rows are sorted below)
            row = rows.setdefault(p.post_on(self.as_of).department, [0, 0])
            row[0] += 1
            row[1] += p.id in trained
        hours = hours_by_department(self.ctx, active, year)
        return [(dept, active_n, trained_n, *(hours[dept][:2] if dept in hours else (0, 0)))
                for dept, (active_n, trained_n) in sorted(rows.items())]

    @cached_property
    def drills_of(self) -> dict[str, list[Drill]]:
        """person id -> drills on or before as_of they took part in, by date."""
        out: dict[str, list[Drill]] = defaultdict(list)
        for d in sorted(self.archive.drills.values(), key=lambda d: (d.date, d.id)):
            if d.date <= self.as_of:
                for pid in d.counted_participants():
                    out[pid].append(d)
        return out

    @cached_property
    def apprenticeships_as_mentor(self) -> dict[str, list[Mentorship]]:
        out: dict[str, list[Mentorship]] = defaultdict(list)
        for m in sorted(self.archive.mentorships.values(), key=lambda m: (m.start, m.id)):
            out[m.mentor].append(m)
        return out
