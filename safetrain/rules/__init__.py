"""The law as code: rules with codes, a rule set of figures, and `check`.

Importing this package registers every rule (once; the registry is read-only).
"""

from __future__ import annotations

from . import integrity, records  # noqa: F401  (registration)
from .engine import check, selected
from .registry import RULES, Rule
from .ruleset import RuleSet, build_ruleset

__all__ = ["RULES", "Rule", "RuleSet", "build_ruleset", "check", "selected"]
