"""safetrain schema: JSON Schemas from the spec; the sample archive uses them."""

import json
import tomllib
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner

from safetrain.archive.reading.jsonschema import SCHEMA_FILES, schema_texts
from safetrain.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _jsonable(value):
    """TOML values as taplo hands them to a schema validator (dates as strings)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def test_writes_a_schema_per_file_kind(tmp_path):
    r = CliRunner().invoke(main, ["schema", "-o", str(tmp_path / "schemas"), "--taplo"])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert names == sorted(SCHEMA_FILES.values())
    person = json.loads((tmp_path / "schemas" / "person.schema.json").read_text())
    assert person["required"] == ["name", "employment", "department", "post", "hired"]
    assert person["properties"]["employment"]["enum"][:2] == ["formal", "contract"]
    assert person["properties"]["hired"] == {"type": "string", "format": "date", "description": "入职日期 / hired on"}
    assert person["additionalProperties"] is False and "^x_" in person["patternProperties"]
    assert 'schema.path = "schemas/person.schema.json"' in (tmp_path / ".taplo.toml").read_text()


def test_schemas_validate_a_good_file_and_reject_a_typo():
    import jsonschema
    schema = json.loads(schema_texts()["person.schema.json"])
    good = {"name": "张三", "employment": "formal", "department": "a", "post": "b", "hired": "2023-07-01",
            "roles": ["special_operator"], "x_note": 1,
            "certificates": [{"kind": "manager", "number": "1", "issued": "2023-01-01", "expires": "2026-01-01"}]}
    jsonschema.validate(good, schema)
    bad = dict(good, departmnt="x")
    assert list(jsonschema.Draft7Validator(schema).iter_errors(bad))


def test_sample_archive_schemas_are_current_and_every_file_points_to_them():
    folder = ROOT / "sample_archive" / "schemas"
    if not folder.is_dir():
        import pytest
        pytest.skip("sample archive not built yet")
    from safetrain.api import waivable_codes

    for name, text in schema_texts(rule_codes=waivable_codes()).items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"regenerate: safetrain schema -o {folder}"
    for path in (ROOT / "sample_archive").rglob("*.toml"):
        if path.name == ".taplo.toml" or "schemas" in path.parts:
            continue
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("#:schema "), path
        target = (path.parent / first.split(" ", 1)[1]).resolve()
        assert target.is_file() and target.parent == folder.resolve(), path
        tomllib.loads(path.read_text(encoding="utf-8"))


def test_schema_lang_gives_one_language_and_names_the_format_page(tmp_path):
    import json

    from safetrain.cli import main
    from click.testing import CliRunner

    both = json.loads(CliRunner().invoke(main, ["schema", "--print", "person"]).output)
    zh = json.loads(CliRunner().invoke(main, ["schema", "--print", "person", "--lang", "zh"]).output)
    en = json.loads(CliRunner().invoke(main, ["schema", "--print", "person", "--lang", "en"]).output)
    assert both["properties"]["hired"]["description"] == "入职日期 / hired on"
    assert zh["properties"]["hired"]["description"] == "入职日期"
    assert en["properties"]["hired"]["description"] == "hired on"
    assert en["properties"]["employment"]["enumDescriptions"][0] == "permanent"
    assert zh["properties"]["employment"]["enumDescriptions"][0] == "正式工"
    assert all("docs/format.md" in s["description"] for s in (both, zh, en))


def test_schemas_and_check_agree_on_names_lists_and_paths(make_archive, tmp_path):
    """What an editor's schema says of a file is what check says: a blank or two-line name is an
    A002 and a schema error; a role named twice and an attachment path that goes up and comes
    back inside the archive pass both."""
    import jsonschema

    from helpers import findings, person, session

    person_schema = jsonschema.Draft7Validator(json.loads(schema_texts()["person.schema.json"]))
    session_schema = jsonschema.Draft7Validator(json.loads(schema_texts()["session.schema.json"]))
    cases = [("people/E1.toml", person("  "), person_schema, False),
             ("people/E1.toml", person("张\\n三"), person_schema, False),
             ("people/E1.toml", person(roles='["principal", "principal"]'), person_schema, True),
             ("sessions/S1.toml", session(attachments='["people/../safetrain.toml"]'), session_schema, True)]
    for i, (rel, text, validator, fine) in enumerate(cases):
        root = make_archive({rel: text, **({} if rel.startswith("people") else {"people/E1.toml": person()})},
                            root=tmp_path / f"case{i}")
        a002 = [f for f in findings(root, select=["A002", "A008"]) if f.file == rel]
        schema_ok = not list(validator.iter_errors(_jsonable(tomllib.loads(text))))
        assert (not a002) == fine == schema_ok, (text, a002, schema_ok)


def test_schemas_say_what_the_loader_says_of_waivers_introductions_certificates_and_hashes(make_archive, tmp_path):
    """An audit against the loader found the schemas looser than check: any string as a waived
    rule, a blank reason, an introduction naming no department or post, `review_every_years` on a
    manager's certificate, any text as a sha256. Each is now a schema error where check says A002,
    and the files check takes pass the schema."""
    import jsonschema

    from helpers import certificate, findings, introduction, person, session
    from safetrain.api import waivable_codes

    texts = {name: jsonschema.Draft7Validator(json.loads(text))
             for name, text in schema_texts(rule_codes=waivable_codes()).items()}
    sha = "a" * 64
    cases = [
        ("people/E1.toml", person(extra='\n[[waivers]]\nrule = "Z999"\nreason = "试用"\n'), False),
        ("people/E1.toml", person(extra='\n[[waivers]]\nrule = "P001"\nreason = "  "\n'), False),
        ("people/E1.toml", person(extra='\n[[waivers]]\nrule = "P001"\nreason = "外派学习，已补训"\n'), True),
        ("people/E1.toml", person(extra=certificate("M1", "manager", "安全生产管理人员") + "review_every_years = 6\n"), False),
        ("people/E1.toml", person(extra=certificate() + "review_every_years = 6\n"), True),
        ("introductions/I1.toml", introduction(departments="[]"), False),
        ("introductions/I1.toml", introduction(departments="[]", posts='["车工"]'), True),
        ("introductions/I1.toml", introduction(departments=None, posts="[]"), False),
        ("sessions/S1.toml", session(attachments='[{ path = "c.pdf", sha256 = "xyz" }]'), False),
        ("sessions/S1.toml", session(attachments=f'[{{ path = "c.pdf", sha256 = "{sha.upper()}" }}]'), True),
    ]
    kinds = {"people": "person.schema.json", "introductions": "introduction.schema.json",
             "sessions": "session.schema.json"}
    for i, (rel, text, fine) in enumerate(cases):
        files = {rel: text, "c.pdf": b"%PDF", **({} if rel.startswith("people") else {"people/E1.toml": person()})}
        root = make_archive(files, root=tmp_path / f"case{i}")
        a002 = [f for f in findings(root, select=["A002"]) if f.file == rel]
        schema_ok = not list(texts[kinds[rel.split("/")[0]]].iter_errors(_jsonable(tomllib.loads(text))))
        assert (not a002) == fine == schema_ok, (text, a002, schema_ok)
    config = json.loads(schema_texts()["safetrain.schema.json"])
    assert config["properties"]["format"]["maximum"] == 1  # a newer format is refused whole
    assert "enum" not in json.loads(schema_texts()["person.schema.json"])["properties"]["waivers"]["items"][
        "properties"]["rule"]  # no codes given: any code (archive/ knows no rules)
