"""The law as code: rules with codes, a rule set of figures, and `check`.

Importing this package registers every rule: each module of the package is
imported once, in name order, and the registry is read-only afterwards. It
then matches the table of codes and their status (catalog.py) both ways.
"""

from __future__ import annotations

import importlib
import pkgutil

from . import catalog
from .engine import check, selected
from .registry import RULES, Rule
from .ruleset import RuleSet, build_ruleset

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
catalog.verify(RULES)  # every code of the table but the removed ones has its rule

__all__ = ["RULES", "Rule", "RuleSet", "build_ruleset", "check", "selected"]
