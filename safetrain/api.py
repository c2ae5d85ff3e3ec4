"""The library's front door: load and check archives without the CLI.

    from safetrain.api import check_path
    result = check_path("sample_archive/hongshan-coal", as_of=date(2024, 6, 30))
    for f in result.findings: print(f.code, f.message("en"))
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator, Mapping, Sequence

from .archive.reading.discover import discover
from .archive.reading.files import LocalFiles
from .archive.reading.loader import load, load_files, locate
from .archive.reading.models import Archive
from .archive.reading.rulesets import ruleset_tables
from .findings import Finding
from .rules import RULES, RuleSet, build_ruleset, check
from .rules.catalog import removed_codes

DEFAULT_RULESET = "national"


@dataclass(frozen=True)
class Result:
    archive: Archive
    ruleset: RuleSet
    as_of: date
    findings: list[Finding]


def ruleset_for(archive: Archive, name: str | None = None) -> RuleSet:
    """The rule set `archive` names (or `name`); national when safetrain.toml is unusable."""
    name = name or (archive.config.ruleset if archive.config else DEFAULT_RULESET)
    data, chain, origin = ruleset_tables(name, archive.files)
    return build_ruleset(data, chain, origin)


def load_archive(path: str | os.PathLike) -> tuple[Archive, list[Finding]]:
    """The archive at or above `path` and the loader's findings (A001, A002, A004, A008)."""
    return load(path, rule_codes=RULES.keys(), removed_codes=removed_codes())


def check_path(path: str | os.PathLike, as_of: date, **options) -> Result:
    """Load and check one archive on disk."""
    return check_loaded(*load(path, rule_codes=RULES.keys(), removed_codes=removed_codes()), as_of, **options)


def check_files(files: Mapping[str, str | bytes], as_of: date, **options) -> Result:
    """Check an archive held in memory: relpath -> file text, as on disk
    (`{"safetrain.toml": ..., "people/E1.toml": ...}`)."""
    return check_loaded(*load_files(files, rule_codes=RULES.keys(), removed_codes=removed_codes()), as_of, **options)


def check_loaded(archive: Archive, loaded: list[Finding], as_of: date, *, select: Sequence[str] = (),
                 ignore: Sequence[str] = (), ruleset: str | None = None) -> Result:
    """Apply the rule set to a loaded archive; line numbers filled in for the files with findings."""
    rs = ruleset_for(archive, ruleset)
    found = check(archive, rs, as_of, select=select, ignore=ignore, loaded=loaded)
    return Result(archive, rs, as_of, sorted(locate(archive, found), key=Finding.sort_key))


def check_paths(paths: Iterable[str | os.PathLike], as_of: date, **options) -> Iterator[Result]:
    """Check every archive found at `paths` (archives, folders inside one, workspaces)."""
    for root in discover(paths):
        yield check_path(root, as_of, **options)


def ruleset_at(path: str | os.PathLike | None, name: str | None = None):
    """(RuleSet, Enterprise or None) for the archive at or above `path`, without
    loading its records; the named or national rule set when there is none."""
    from .archive.reading.loader import load_config

    root, config = load_config(path) if path is not None else (None, None)
    name = name or (config.ruleset if config else DEFAULT_RULESET)
    data, chain, origin = ruleset_tables(name, LocalFiles(root) if root is not None else None)
    return build_ruleset(data, chain, origin), (config.enterprise if config else None)
