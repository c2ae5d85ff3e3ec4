"""Random damage to the sample archives, and every reading command run on the result.

`tests/test_fuzz.py` runs a few dozen examples in the suite (a few seconds, a fixed
seed, so CI never flakes); run this file for a longer, random search:

    .venv/bin/python tests/fuzzing.py                  # 500 examples
    .venv/bin/python tests/fuzzing.py --examples 5000  # longer; prints the first failure, minimised

A mutation changes the value of a key (types, dates at and past the bounds, control
characters, NUL, huge strings and numbers), deletes, repeats or truncates lines,
repeats a record under another folder (a duplicate id), or garbles a file's bytes.
Then check, status, matrix, expiring (text and calendar), every document kind,
the ledger and the SQLite export run on it: a SafetrainError ("cannot continue",
one line) is a fine answer; any other exception is an internal error and fails.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("yinchuan-bbq", "hongshan-coal")
_DATE_LINE = re.compile(r"^([A-Za-z_]+) = (\d{4}-\d\d-\d\d)", re.M)
_KEY_LINE = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*) = (?!""")(?!\[\s*$)(.*)$', re.M)


def sample_files(name: str) -> dict[str, bytes]:
    """relpath -> bytes of one sample archive's TOML files and the files they point to."""
    base = ROOT / "sample_archive" / name
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (every control character escaped, as TOML requires)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


BOUNDS = ["0001-01-01", "1899-12-31", "1900-01-01", "2100-12-31", "2101-01-01", "9999-01-01", "9999-12-31"]
HOSTILE_TEXT = ["\u000b", "\u0000", "\u001b[2J", "<w:p>&amp;", "{{ x }}", "=HYPERLINK(\"x\")", "\u202e", "😀",
                "640104199003070011", "T6401041990", "../../etc/passwd", "a" * 5000, "", " "]

dates = st.one_of(st.sampled_from(BOUNDS), st.sampled_from(BOUNDS),  # the bounds twice as often as any other day
                  st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat))
values = st.one_of(
    dates,
    dates.map(lambda d: d + "T08:30:00"),
    st.sampled_from(["2023-07-01T08:30:00Z", "08:30:00", "2023-02-30", '"2023-07-01"']),
    st.integers(-(2 ** 63), 2 ** 63 - 1).map(str),
    st.sampled_from(["inf", "-inf", "nan", "1e308", "-0.0", "0.5", "-1", "0", "true", "false"]),
    st.sampled_from(HOSTILE_TEXT).map(toml_string),
    st.text(st.characters(codec="utf-8"), max_size=40).map(toml_string),
    st.sampled_from(['"x" * 10', "[]", '[1, "a"]', "[2023-07-01, 0001-01-01]", "{ a = 1 }", '{ path = "a\\u0000b" }',
                     '[{ person = "NOPE", score = 1e9 }]', '["..", "/etc/passwd", "C:\\\\x"]', '"' + "长" * 20000 + '"']),
)


def alike(current: str):
    """Values of the type `current` holds: a date for a date, text for text."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", current):
        return dates
    if re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]+", current):
        return dates.map(lambda d: d + "T08:30:00")
    if current.startswith('"'):
        return st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(st.characters(codec="utf-8"), max_size=40)).map(toml_string)
    if re.fullmatch(r"-?[\d.]+", current):
        return st.one_of(st.integers(-(2 ** 63), 2 ** 63 - 1).map(str),
                         st.sampled_from(["inf", "nan", "1e308", "-0.0", "0.5", "-1", "0", "1e-9"]))
    return values


@st.composite
def damaged(draw, files: dict[str, bytes]) -> tuple[dict[str, bytes], list[str]]:
    """`files` with one to six mutations; also what was done, for the failure message."""
    files = dict(files)
    done = []
    tomls = sorted(rel for rel in files if rel.endswith(".toml"))
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 3)) == 0:  # a date anywhere in the archive, set to a bound
            spots = [(rel, m) for rel in tomls for m in _DATE_LINE.finditer(files[rel].decode("utf-8", "replace"))]
            if spots:
                rel, m = draw(st.sampled_from(spots))
                text, new = files[rel].decode("utf-8", "replace"), draw(st.sampled_from(BOUNDS))
                files[rel] = (text[:m.start(2)] + new + text[m.start(2) + 10:]).encode("utf-8")
                done.append(f"{rel}: {m.group(1)} = {new}")
                continue
        rel = draw(st.sampled_from(tomls))
        text = files[rel].decode("utf-8", "replace")
        lines = text.split("\n")
        kind = draw(st.sampled_from(["value", "value", "value", "delete", "repeat", "insert", "truncate", "bytes",
                                     "copy"]))
        if kind == "value":
            keys = [m for m in _KEY_LINE.finditer(text)]
            if not keys:
                continue
            m = draw(st.sampled_from(keys))
            new = draw(st.one_of(alike(m.group(2)), values))  # as often of the same type as of any
            text = text[:m.start(2)] + new + text[m.end(2):]
            done.append(f"{rel}: {m.group(1)} = {new[:60]}")
        elif kind == "delete" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            done.append(f"{rel}: line {i + 1} deleted")
            del lines[i]
            text = "\n".join(lines)
        elif kind == "repeat" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            done.append(f"{rel}: line {i + 1} repeated")
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif kind == "insert":
            key = draw(st.sampled_from(["name", "hired", "expires", "start", "x_note", "format", "ruleset", "left",
                                        "records_since", "attachments", "contract", "id_number", "waivers"]))
            new = draw(values)
            text = f"{key} = {new}\n" + text
            done.append(f"{rel}: {key} = {new[:60]} inserted at the top")
        elif kind == "truncate":
            cut = draw(st.integers(0, len(text)))
            text = text[:cut]
            done.append(f"{rel}: cut at {cut}")
        elif kind == "bytes":
            files[rel] = draw(st.binary(max_size=200))
            done.append(f"{rel}: replaced by random bytes")
            continue
        elif kind == "copy" and "/" in rel:
            folder, name = rel.split("/", 1)
            target = f"{folder}/dup/{name.rsplit('/', 1)[-1]}"
            files[target] = files[rel]
            done.append(f"{rel} copied to {target}")
            continue
        files[rel] = text.encode("utf-8", "surrogatepass")
    return files, done


as_of_dates = st.one_of(st.sampled_from([date(2024, 6, 30), date(1900, 1, 1), date(2100, 12, 31)]),
                        st.dates(date(1900, 1, 1), date(2100, 12, 31)))


_compiled: dict = {}


def _template(kind: str):
    """The built-in template of `kind`, compiled once per process (what `render` does per worker)."""
    from safetrain.archive.reading.templates import builtin_template
    from safetrain.reports.wordtpl import CompiledTemplate

    if kind not in _compiled:
        path = builtin_template(f"{kind}.docx")
        _compiled[kind] = CompiledTemplate(path.read_bytes(), str(path))
    return _compiled[kind]


def exercise(files: dict[str, bytes], as_of: date, within: int | None = None) -> None:
    """Every reading command on the archive `files`: SafetrainError is an answer, anything else a bug."""
    from safetrain.api import check_files
    from safetrain.errors import SafetrainError
    from safetrain.export.sqlite import write_database
    from safetrain.reports.expiring import expiring_document, expiring_ics, expiring_text
    from safetrain.reports.findings import FORMATS
    from safetrain.reports.kinds import DOCUMENT_KINDS
    from safetrain.reports.ledger import ledger_bytes
    from safetrain.reports.matrix import matrix_document, matrix_text
    from safetrain.reports.render import contexts, select_ids
    from safetrain.reports.status import status_document, status_text

    try:
        result = check_files(files, as_of)
    except SafetrainError:
        return
    except Exception as exc:
        raise AssertionError(f"check: internal error {type(exc).__name__}: {exc}") from exc
    steps = {
        "check": lambda: [FORMATS[f]([result], "zh") for f in FORMATS],
        "status": lambda: status_text(json.loads(json.dumps(status_document([result]))), "en"),
        "matrix": lambda: matrix_text(matrix_document(result), "zh"),
        "expiring": lambda: (expiring_text(expiring_document([result], within), "en"),
                             expiring_ics(expiring_document([result], within))),
        "ledger": lambda: ledger_bytes(result),
    }
    with tempfile.TemporaryDirectory() as tmp:
        steps["export"] = lambda: write_database(Path(tmp) / "x.db", [result])
        for kind, k in DOCUMENT_KINDS.items():
            def render(kind=kind, k=k):
                ids = [None] if k.record_kind is None else select_ids(result, k, [], True)[:2]
                for _, title, ctx in contexts(result, k, ids):
                    _template(kind).render(ctx, title, result.as_of)
            steps[f"render {kind}"] = render
        for name, step in steps.items():
            try:
                step()
            except SafetrainError:
                pass
            except Exception as exc:  # an internal error: the bug this search is for
                raise AssertionError(f"{name}: internal error {type(exc).__name__}: {exc}") from exc


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    from hypothesis import HealthCheck, given, settings

    sys.path.insert(0, str(ROOT / "tests"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=500)
    args = parser.parse_args(argv)
    archives = {name: sample_files(name) for name in SAMPLES}

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), print_blob=True)
    @given(st.sampled_from(SAMPLES).flatmap(lambda name: damaged(archives[name])), as_of_dates,
           st.one_of(st.none(), st.integers(0, 36500)))
    def search(damage, as_of, within):
        files, done = damage
        try:
            exercise(files, as_of, within)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n  as of {as_of}, within {within}; " + "; ".join(done)) from exc

    search()
    print(f"{args.examples} examples: no internal error")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
