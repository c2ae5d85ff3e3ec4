"""Reading the translated rule pages shipped in the package.

A rule's English page is its docstring; `safetrain/rules/pages/<lang>.toml`
holds the page in another language: one table per rule code with the
sections `what`, `why`, `example` and `fix`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping


@cache
def rule_pages(lang: str) -> Mapping[str, Mapping[str, str]]:
    """code -> section -> text for `lang`; empty when no page file exists for it."""
    ref = resources.files("safetrain.rules") / "pages" / f"{lang}.toml"
    if not ref.is_file():
        return MappingProxyType({})
    data = tomllib.loads(ref.read_text("utf-8"))
    return MappingProxyType({code: MappingProxyType({k: v.strip() for k, v in page.items()})
                             for code, page in data.items()})
