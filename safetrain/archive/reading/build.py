"""Turning validated TOML tables into models (stage two of the loader).

Only called on tables `validate` accepted, so types are known to be right.
"""

from __future__ import annotations

from .models import (
    Attachment, Attendance, Certificate, Change, Config, Drill, Enterprise,
    Mentorship, Person, Session, Settings, Violation, Waiver,
)


def waivers(raw: dict) -> tuple[Waiver, ...]:
    return tuple(
        Waiver(w["rule"], w["reason"], w.get("until"), i) for i, w in enumerate(raw.get("waivers", ()))
    )


def attachments(raw: dict) -> tuple[Attachment, ...]:
    out = []
    for item in raw.get("attachments", ()):
        if isinstance(item, str):
            out.append(Attachment(item))
        else:
            out.append(Attachment(item["path"], item.get("sha256")))
    return tuple(out)


def config(raw: dict, rel: str) -> Config:
    e = raw["enterprise"]
    s = raw.get("settings", {})
    return Config(
        format=raw.get("format", 1),
        ruleset=raw["ruleset"],
        enterprise=Enterprise(
            name=e["name"],
            credit_code=e["credit_code"],
            industry=e["industry"],
            crowded_place=e["crowded_place"],
            uses_gas=e["uses_gas"],
            region=e["region"],
            address=e.get("address"),
            records_since=e.get("records_since"),
            note=e.get("note"),
        ),
        settings=Settings(
            pass_mark=s.get("pass_mark", 60),
            mask_id_numbers=s.get("mask_id_numbers", True),
        ),
        waivers=waivers(raw),
        file=rel,
    )


def person(pid: str, rel: str, raw: dict) -> Person:
    return Person(
        id=pid,
        file=rel,
        name=raw["name"],
        employment=raw["employment"],
        department=raw["department"],
        post=raw["post"],
        hired=raw["hired"],
        on_post=raw.get("on_post", raw["hired"]),
        id_number=raw.get("id_number"),
        team=raw.get("team"),
        roles=frozenset(raw.get("roles", ())),
        left=raw.get("left"),
        post_since=raw.get("post_since"),
        skill_level=raw.get("skill_level"),
        changes=tuple(
            Change(c["date"], c["kind"], c.get("department"), c.get("post"), i, c.get("note"))
            for i, c in enumerate(raw.get("changes", ()))
        ),
        certificates=tuple(
            Certificate(
                kind=c["kind"],
                category=c.get("category", ""),
                number=c["number"],
                issued=c["issued"],
                expires=c["expires"],
                reviews=tuple(sorted(c.get("reviews", ()))),
                index=i,
                attachments=attachments(c),
                note=c.get("note"),
            )
            for i, c in enumerate(raw.get("certificates", ()))
        ),
        violations=tuple(
            Violation(v["date"], v.get("note"), i) for i, v in enumerate(raw.get("violations", ()))
        ),
        waivers=waivers(raw),
        attachments=attachments(raw),
        note=raw.get("note"),
    )


def session(sid: str, rel: str, raw: dict, default_pass_mark: float) -> Session:
    return Session(
        id=sid,
        file=rel,
        title=raw["title"],
        type=raw["type"],
        start=raw["start"],
        end=raw["end"],
        hours=raw["hours"],
        instructor=raw["instructor"],
        provider=raw["provider"],
        attendees=tuple(
            Attendance(a["person"], i, a.get("score"), a.get("passed"), a.get("hours"))
            for i, a in enumerate(raw["attendees"])
        ),
        pass_mark=raw.get("pass_mark", default_pass_mark),
        level=raw.get("level"),
        topics=tuple(raw.get("topics", ())),
        content=raw.get("content"),
        methods=tuple(raw.get("methods", ())),
        location=raw.get("location"),
        contract=raw.get("contract"),
        assessment=raw.get("assessment"),
        attachments=attachments(raw),
        waivers=waivers(raw),
        note=raw.get("note"),
    )


def drill(did: str, rel: str, raw: dict) -> Drill:
    return Drill(
        id=did,
        file=rel,
        title=raw["title"],
        date=raw["date"],
        scale=raw["scale"],
        scenario=raw.get("scenario"),
        participants=tuple(raw.get("participants", ())),
        evaluation=raw.get("evaluation"),
        location=raw.get("location"),
        attachments=attachments(raw),
        waivers=waivers(raw),
        note=raw.get("note"),
    )


def mentorship(pid: str, rel: str, raw: dict) -> Mentorship:
    return Mentorship(
        id=pid,
        file=rel,
        mentor=raw["mentor"],
        post=raw["post"],
        start=raw["start"],
        end=raw.get("end"),
        signed_off=raw.get("signed_off"),
        attachments=attachments(raw),
        waivers=waivers(raw),
        note=raw.get("note"),
    )

