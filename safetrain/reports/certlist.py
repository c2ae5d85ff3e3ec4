"""`safetrain cert list`: every certificate of the active people, with its state
as the C rules judge it (rules.certstatus), for the terminal and as JSON."""

from __future__ import annotations

from datetime import date

from ..archive.reading.excluded import broken_record, not_found
from ..api import Result
from ..archive.reading.codes import CERTIFICATE_KIND, label
from ..archive.reading.gbcodes import masked_value
from ..rules.certstatus import STATE_LABELS
from . import fmt
from .terminal import STATE_STYLES, table, text, to_text

_t = fmt.phrases({
    "title": ("{enterprise} · 证书 · 截至 {as_of}", "{enterprise} · certificates · as of {as_of}"),
    "id": ("工号", "ID"), "name": ("姓名", "Name"), "kind": ("证书", "Certificate"), "category": ("作业类别", "Category"),
    "number": ("证号", "Number"), "issued": ("发证", "Issued"), "expires": ("有效期至", "Expires"),
    "reviews": ("复审", "Reviews"), "state": ("状态", "State"), "due": ("到期/应复审", "Due"),
    "none": ("没有证书。", "No certificates."), "count": ("共 {n} 张", "{n} certificate(s)"),
})


def certificate_rows(result: Result, pid: str | None = None) -> dict:
    """{"as_of", "enterprise", "certificates": [...]}: active people's certificates by person and issue date."""
    archive = result.archive
    if pid is not None and pid in archive.excluded.get("person", ()):
        raise broken_record("person", pid, result.findings)
    if pid is not None and pid not in archive.people:
        raise not_found("person", [pid], result.findings)
    config = archive.config
    mask = archive.masks_id_numbers
    enterprise = config.enterprise if config else None
    rows = []
    ctx = result.view_context()
    for p in sorted(archive.people.values(), key=lambda p: p.id):
        if (pid is not None and p.id != pid) or not p.employed_on(result.as_of):
            continue
        states = ctx.certificates(p)
        for st in sorted(states, key=lambda st: (st.certificate.issued, st.certificate.index)):
            c, due = st.certificate, ctx.next_due(st)
            rows.append({"person": masked_value(p.id) if mask else p.id, "name": p.name, "kind": c.kind,
                         "category": masked_value(c.category) if mask else c.category,
                         "number": fmt.certificate_number(c.number, p.id_number, mask),
                         "issued": c.issued.isoformat(), "expires": c.expires.isoformat(),
                         "reviews": [d.isoformat() for d in ctx.reviews_by_then(c)], "state": st.state,
                         "due": due.due.isoformat(), "days_left": due.days_shown,
                         "file": masked_value(p.file) if mask else p.file})
    return {"as_of": result.as_of.isoformat(), "enterprise": enterprise.name if enterprise else "", "certificates": rows}


def certificate_text(doc: dict, lang: str = "zh", *, width: int = 100, color: bool = False) -> str:
    title = text(_t("title", lang, enterprise=doc["enterprise"], as_of=doc["as_of"]), "bold")
    if not doc["certificates"]:
        return to_text(title, text(_t("none", lang)), width=width, color=color)
    t = table(*[(_t(c, lang), {"no_wrap": True}) for c in ("id", "name", "kind")], _t("category", lang),
              *[(_t(c, lang), {"no_wrap": True}) for c in ("number", "issued", "expires", "reviews")],
              (_t("state", lang), {"no_wrap": True}))
    for r in doc["certificates"]:
        state = STATE_LABELS[r["state"]][lang == "en"]
        t.add_row(r["person"], r["name"], label(CERTIFICATE_KIND, r["kind"], lang), r["category"], r["number"],
                  r["issued"], fmt.day(date.fromisoformat(r["expires"]), lang), "、".join(r["reviews"]) if lang != "en" else ", ".join(r["reviews"]),
                  text(state, STATE_STYLES.get(r["state"])))
    return to_text(title, t, text(_t("count", lang, n=len(doc["certificates"]))), width=width, color=color)
