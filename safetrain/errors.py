"""The one exception family: raised only when the program cannot continue
(no archive at a path, an unreadable rule set, a newer format). Problems in
the data are findings, never exceptions."""


class SafetrainError(Exception):
    """A bilingual "cannot continue" error; the CLI prints it on one line, exit 2."""

    def __init__(self, zh: str, en: str | None = None):
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class UsageError(SafetrainError):
    """The command was asked for something impossible (exit 2)."""
