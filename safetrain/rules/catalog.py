"""Every rule code ever published, with its status: one table, as ruff keeps
`code_to_rule`, so that a change in the law adds or retires a code in plain sight.

- stable: a rule of the catalog (RULES.md); its meaning is settled.
- preview: registered and run, but new: what it reports may still change.
- removed: no longer checked (the law changed, or the rule was merged into
  another). The code is never reused. Naming it in `check --select` is an
  error, in `--ignore` a note, in a waiver an A002.

The registry refuses a rule whose code is not here (or is removed), and
importing `safetrain.rules` fails when a code here, other than a removed one,
has no rule. To add a rule: a line here (preview or stable) and its @rule.
To retire one: delete its @rule and mark its line removed.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Collection, Mapping

STABLE, PREVIEW, REMOVED = "stable", "preview", "removed"
STATUSES = (STABLE, PREVIEW, REMOVED)

#: status as `safetrain rules` shows it
STATUS_LABEL = {STABLE: ("稳定", "stable"), PREVIEW: ("预览", "preview"), REMOVED: ("已移除", "removed")}

_S = STABLE

#: code -> status, family by family in the order of RULES.md
CODE_STATUS: Mapping[str, str] = MappingProxyType({
    # A: archive integrity
    "A001": _S, "A002": _S, "A003": _S, "A004": _S, "A005": _S, "A006": _S, "A007": _S, "A008": _S,
    "A009": _S, "A010": _S, "A011": _S,
    # R: records
    "R001": _S, "R002": _S, "R003": _S, "R004": _S, "R005": _S,
    # P: before the post
    "P001": _S, "P002": _S, "P003": _S, "P004": _S, "P005": _S, "P006": _S,
    # Y: yearly re-training
    "Y001": _S, "Y002": _S, "Y003": _S,
    # K: the 2023 campaign
    "K001": _S, "K002": _S, "K003": _S, "K004": _S,
    # C: certificates
    "C001": _S, "C002": _S, "C003": _S, "C004": _S, "C005": _S, "C006": _S,
    # D: emergency drills
    "D001": _S, "D002": _S, "D003": _S, "D004": _S, "D005": _S, "D006": _S,
    # M: mentor and apprentice
    "M001": _S, "M002": _S, "M003": _S, "M004": _S, "M005": _S,
    # F: integrity of the training records
    "F001": _S, "F002": _S, "F003": _S, "F004": _S,
})


def status_of(code: str) -> str | None:
    """The code's status, or None for a code never published."""
    return CODE_STATUS.get(code)


def removed_codes() -> frozenset[str]:
    return frozenset(code for code, status in CODE_STATUS.items() if status == REMOVED)


def registrable(code: str) -> None:
    """Refuse to register a rule whose code is not in the table, or is removed."""
    status = status_of(code)
    if status is None:
        raise ValueError(f"rule {code} is not in rules/catalog.py CODE_STATUS: add it there (preview or stable)")
    if status == REMOVED:
        raise ValueError(f"rule {code} is marked removed in rules/catalog.py: a removed code is never reused")


def verify(registered: Collection[str]) -> None:
    """Every code of the table but the removed ones has a registered rule, and
    every status is one of STATUSES."""
    bad = sorted(code for code, status in CODE_STATUS.items() if status not in STATUSES)
    if bad:
        raise ValueError(f"rules/catalog.py: unknown status for {', '.join(bad)}")
    missing = sorted(code for code, status in CODE_STATUS.items() if status != REMOVED and code not in registered)
    if missing:
        raise ValueError(f"rules/catalog.py lists {', '.join(missing)} but no rule is registered under "
                         "that code: register it, or mark it removed")
