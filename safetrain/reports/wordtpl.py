"""Word templates compiled once, rendered many times.

A template is an ordinary .docx with docxtpl tags. docxtpl re-reads the
package, re-cleans the XML and recompiles the Jinja template for every
document; here that happens once per template (per worker process), and each
document costs one Jinja render, docxtpl's table fix-up and a zip write.
docxtpl's own XML clean-up (`patch_xml`: `{%tr %}` rows, split runs, cell
colspans) and post-processing (`resolve_listing`, `fix_tables`) are reused
as they are, so a template means what it means under docxtpl.

Rendering runs in the sandbox of reports/sandbox.py (autoescape on, so a `&`
or `<` in a name cannot break the document; no Python internals; limits on
time, output and the values a template builds; StrictUndefined, so an unknown
variable is an error, not a blank). A Word template may not include, import
or extend other templates (there are none to reach), nor write raw XML
(`|safe`, `|urlize`, `|xmlattr`, `|tojson`, `{% autoescape false %}`): a
value can never break the document's XML. Control characters are dropped from
every value printed. Every failure a template can cause becomes a
TemplateProblem naming the template file and the paragraph: never a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import SafetrainError, os_reason
from . import ooxml

#: The XML parts docxtpl renders (body, headers, footers, footnotes).
RENDERED = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")
_TAG = re.compile(r"\{[{%#]")
#: docxtpl tags that change how many cells a row has: only then must the table grid be fixed
_CELL_TAGS = re.compile(r"\{%-?\s*(tc\b|colspan\b|hm\b|vm\b)")
_LISTING = re.compile(r"[\t\n\a\f]")  # what docxtpl's resolve_listing turns into tabs, breaks, paragraphs
_XML_DECL = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


class TemplateProblem(SafetrainError):
    """A template that cannot be used (Word or HTML): the message names the file (and the paragraph or line)."""


@dataclass(frozen=True, slots=True)
class Where:
    part: str  # word/document.xml, word/header1.xml, ...
    paragraph: int  # 1-based paragraph number in that part (tables included), 0 when unknown
    text: str  # the paragraph's text, shortened

    def zh(self) -> str:
        return f"{_part_zh(self.part)}第{self.paragraph}段「{self.text}」" if self.paragraph else _part_zh(self.part)

    def en(self) -> str:
        return (f"{_part_en(self.part)} paragraph {self.paragraph} ({self.text!r})" if self.paragraph
                else _part_en(self.part))


def _part_zh(part: str) -> str:
    kind = re.sub(r"\d+", "", part.rsplit("/", 1)[-1].removesuffix(".xml"))
    return {"document": "正文", "header": "页眉", "footer": "页脚", "footnotes": "脚注"}.get(kind, part)


def _part_en(part: str) -> str:
    kind = re.sub(r"\d+", "", part.rsplit("/", 1)[-1].removesuffix(".xml"))
    return {"document": "body", "header": "header", "footer": "footer", "footnotes": "footnotes"}.get(kind, part)


def jinja_env(loader=None):
    """The sandbox every user template renders in (Word here, HTML in reports/html): reports/sandbox.py."""
    from .sandbox import environment

    return environment(loader)


#: what a Word template may not use, with why (the tag or filter as users write it)
_NO_RAW_XML = ("文档中不能写入原始 XML", "it would write raw XML into the document")
_NO_OTHER_TEMPLATES = ("Word 模板不能引用其他模板", "a Word template cannot use other templates")
FORBIDDEN_FILTERS = {"safe": _NO_RAW_XML, "urlize": _NO_RAW_XML, "xmlattr": _NO_RAW_XML, "tojson": _NO_RAW_XML}


def word_env():
    """The sandbox without the filters that write markup as it is (FORBIDDEN_FILTERS)."""
    env = jinja_env()
    for name in FORBIDDEN_FILTERS:
        env.filters.pop(name, None)
    return env


def forbidden(env, source: str) -> tuple[int, str, tuple[str, str]] | None:
    """(line, the tag or filter, (zh, en) why) of the first thing a Word template may not use, or None."""
    from jinja2 import nodes

    tree = env.parse(source)
    tags = {nodes.Extends: "extends", nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from … import"}
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport,
                               nodes.EvalContextModifier, nodes.Filter)):
        if isinstance(node, nodes.Filter):
            if node.name in FORBIDDEN_FILTERS:
                return node.lineno, f"|{node.name}", FORBIDDEN_FILTERS[node.name]
        elif isinstance(node, nodes.EvalContextModifier):
            if any(k.key == "autoescape" for k in node.options):
                return node.lineno, "{% autoescape %}", _NO_RAW_XML
        else:
            return node.lineno, f"{{% {tags[type(node)]} %}}", _NO_OTHER_TEMPLATES
    return None


def _strip(line: str, width: int = 40) -> str:
    text = re.sub(r"<[^>]+>", "", line).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


class CompiledTemplate:
    """One .docx template, parsed and compiled; `render(context)` gives the bytes of one document."""

    def __init__(self, data: bytes, name: str):
        from docxtpl import DocxTemplate
        from jinja2 import TemplateError

        self.name = name
        self.data = data
        self.masks = True  # mask anything shaped like a 身份证号 in the values printed (the archive's settings)
        self.env = word_env()
        try:
            self.entries = ooxml.read_entries(data)
            self._tpl = DocxTemplate(io.BytesIO(data))  # its XML helpers only; never rendered
            self.sources: dict[str, str] = {}
            self.needs_tree: set[str] = set()  # parts that need docxtpl's table and image-id fix-ups
            for part, blob in self.entries:
                if RENDERED.fullmatch(part):
                    src = self._source(blob)
                    if _TAG.search(src):
                        self.sources[part] = src
                        if _CELL_TAGS.search(_text(blob)) or b"docPr" in blob:
                            self.needs_tree.add(part)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:  # lxml: XMLSyntaxError
            raise self.problem(f"不是可用的 Word (.docx) 文件：{exc}", f"not a usable Word (.docx) file: {exc}") from None
        if "word/document.xml" not in dict(self.entries):
            raise self.problem("缺少 word/document.xml，不是 Word 文档", "no word/document.xml: not a Word document")
        self.static = ooxml.ZipPrefix([(n, b) for n, b in self._ordered()
                                       if n not in self.sources and n != ooxml.CORE])
        self.compiled = {}
        for part, src in self.sources.items():
            try:
                bad = forbidden(self.env, src)
                if bad is not None:
                    line, what, (zh, en) = bad
                    where = self.where(part, line)
                    raise self.problem(f"{where.zh()}使用了 {what}：{zh}", f"{where.en()} uses {what}: {en}")
                self.compiled[part] = self.env.from_string(src)
            except TemplateError as exc:
                raise self.problem_at(part, getattr(exc, "lineno", None), exc) from None

    # -- loading --------------------------------------------------------------
    def _source(self, blob: bytes) -> str:
        """The part's XML as docxtpl hands it to Jinja: cleaned tags, one paragraph per line."""
        from lxml import etree

        xml = etree.tostring(etree.fromstring(blob), encoding="unicode")
        xml = self._tpl.patch_xml(xml)
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)

    @classmethod
    def from_file(cls, path: str | Path) -> "CompiledTemplate":
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            zh, en = os_reason(exc)
            raise TemplateProblem(f"模板 {path} 无法读取：{zh}", f"template {path} cannot be read: {en}") from None
        return cls(data, str(path))

    # -- errors ---------------------------------------------------------------
    def problem(self, zh: str, en: str) -> TemplateProblem:
        return TemplateProblem(f"模板 {self.name}：{zh}", f"template {self.name}: {en}")

    def where(self, part: str, lineno: int | None) -> Where:
        """Jinja's line number in a part's source is its paragraph (docxtpl puts each <w:p> on a line)."""
        if not lineno or part not in self.sources:
            return Where(part, 0, "")
        lines = self.sources[part].split("\n")
        return Where(part, max(lineno - 1, 1), _strip(lines[lineno - 1]) if lineno <= len(lines) else "")

    def problem_at(self, part: str, lineno: int | None, exc: Exception) -> TemplateProblem:
        where = self.where(part, lineno)
        (kind_zh, kind_en), (message_zh, message_en) = template_error(exc)
        return self.problem(f"{where.zh()}{kind_zh}：{message_zh}", f"{where.en()}: {kind_en}: {message_en}")

    # -- rendering ------------------------------------------------------------
    def render_parts(self, context: dict) -> dict[str, bytes]:
        from jinja2 import TemplateError

        from .fastoutput import masking

        out = {}
        for part, template in self.compiled.items():
            try:
                with masking(self.masks):
                    xml = template.render(context)
            except TemplateError as exc:
                raise self.problem_at(part, _template_lineno(exc), exc) from None
            out[part] = self._finish(part, xml)
        return out

    def _finish(self, part: str, xml: str) -> bytes:
        """docxtpl's post-processing of a rendered part. Its two costly steps run only
        where they can change something: resolve_listing when a value holds a tab or a
        line break, the table/image-id fix-ups when the template has cell-level tags or
        images (otherwise they give back what they are given)."""
        from lxml import etree

        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # the lines _source made
        if "{_" in xml or "_}" in xml:  # docxtpl's escaped braces (rare): {_{ }_} {_% %_}
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if _LISTING.search(xml):
            xml = self._tpl.resolve_listing(xml)
        if part not in self.needs_tree:
            return _XML_DECL + xml.encode("utf-8")
        tree = self._tpl.fix_tables(xml)
        if part == "word/document.xml":
            self._tpl.docx_ids_index = 1000
            self._tpl.fix_docpr_ids(tree)
        return _XML_DECL + etree.tostring(tree, encoding="UTF-8")

    def render(self, context: dict, title: str, as_of: date) -> bytes:
        """The document's bytes: same context, same template, same bytes. The parts that
        never change are compressed once (self.static); each document adds its own."""
        parts = self.render_parts(context)
        if ooxml.CORE in dict(self.entries):
            parts[ooxml.CORE] = ooxml.core_xml(title, as_of)
        return self.static.plus((name, parts[name]) for name, _ in self._ordered() if name in parts)

    def _ordered(self) -> list[tuple[str, bytes]]:
        entries = dict(self.entries)
        return [(n, entries[n]) for n in ooxml.ordered(entries)]


def template_error(exc: Exception) -> tuple[tuple[str, str], tuple[str, str]]:
    """What went wrong in a user's template, in words: ((zh, en) of the kind, (zh, en) of the
    message: Jinja's own, or the sandbox's for a limit passed). Word and HTML templates alike."""
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import SecurityError

    from .sandbox import TemplateLimit

    if isinstance(exc, TemplateLimit):
        return ("超出限制", "over a limit"), (exc.zh, exc.en)
    if isinstance(exc, TemplateSyntaxError):
        kind = ("语法错误", "syntax error")
    elif isinstance(exc, SecurityError):
        kind = ("不允许的操作（沙箱）", "not allowed (sandbox)")
    else:
        kind = ("渲染失败", "cannot render")
    message = getattr(exc, "message", None) or str(exc)
    return kind, (message, message)


def _text(blob: bytes) -> str:
    """A part's text, runs joined (a tag split over runs reads whole)."""
    return "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", blob.decode("utf-8", "replace")))


def _template_lineno(exc: BaseException) -> int | None:
    """The template line a runtime error happened on (Jinja rewrites tracebacks to template lines)."""
    lineno = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno
