"""The one failure type: raised only when the program cannot continue (no
archive at a path, an unreadable rule set, a newer format, an edit that would
break a record, an option that makes no sense). Problems in the data are
findings, never exceptions.

The command line prints every SafetrainError the same way, on one line in
the chosen language (`错误：…` / `error: …`), and exits with `exit_code`.
"""


class SafetrainError(Exception):
    """A bilingual "cannot continue" error."""

    def __init__(self, zh: str, en: str | None = None, *, exit_code: int = 2):
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh
        self.exit_code = exit_code

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def __reduce__(self):  # crosses from a worker process whole: both languages, the exit code
        return (type(self), (self.zh, self.en), dict(self.__dict__))

    def line(self, lang: str = "zh") -> str:
        """The message as the command line prints it (control characters escaped: a path
        with a NUL in it must not reach the terminal as one)."""
        from .controls import shown

        return ("error: " if lang == "en" else "错误：") + shown(self.message(lang))


class InternalError(SafetrainError):
    """A bug, told on one line: what went wrong, and how to see where
    (SAFETRAIN_DEBUG=1 shows the traceback)."""

    @classmethod
    def of(cls, exc: BaseException, archive: str | None = None) -> "InternalError":
        """The bug `exc`; `archive` names the archive it happened in (a workspace goes on without it)."""
        where_zh, where_en = (f"；档案：{archive}", f"; archive: {archive}") if archive else ("", "")
        return cls(f"内部错误：{type(exc).__name__}: {exc}（设置 SAFETRAIN_DEBUG=1 可显示详细信息；请报告此问题）{where_zh}",
                   f"internal error: {type(exc).__name__}: {exc} (SAFETRAIN_DEBUG=1 shows the traceback; "
                   f"please report it){where_en}")

    def line(self, lang: str = "zh") -> str:
        from .controls import shown

        return shown(self.message(lang))
