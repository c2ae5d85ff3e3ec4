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


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) in the middle of work that writes many files, each whole: what had been
    written by then, in both languages, for the command line to say after 已中断 / interrupted."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.zh, self.en = zh, en


#: why the system refused a file, in Chinese (the English is the system's own words)
_OS_REASONS_ZH = {
    "ENOENT": "文件或目录不存在", "EACCES": "没有权限", "EPERM": "不允许的操作", "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额", "EROFS": "只读文件系统", "EISDIR": "是目录", "ENOTDIR": "不是目录",
    "EEXIST": "已存在", "ENAMETOOLONG": "文件名过长", "ENOTEMPTY": "目录不为空", "EBUSY": "正被占用",
    "EMFILE": "打开的文件过多", "ELOOP": "符号链接层数过多", "EIO": "读写错误", "EXDEV": "不能跨文件系统移动",
    "EINVAL": "参数无效", "ETXTBSY": "文件正被使用", "EFBIG": "文件过大（超出系统对文件大小的限制）",
}


def os_reason(exc: OSError) -> tuple[str, str]:
    """(Chinese, English) of why the system refused: a Chinese message never carries the
    system's English words ("No such file or directory"), the English one keeps them."""
    import errno

    en = exc.strerror or str(exc) or type(exc).__name__
    name = errno.errorcode.get(exc.errno or -1, "")
    return getattr(exc, "reason_zh", None) or _OS_REASONS_ZH.get(name, en), en
