"""A throw-away PostgreSQL server for the tests and benchmarks (stdlib only).

    python3 tests/pgserver.py start DIR    # prints the DSN; the cluster lives in DIR
    python3 tests/pgserver.py stop DIR

`initdb` in a temporary folder, `pg_ctl start` on a free loopback port with
trust authentication (the server listens on 127.0.0.1 and a socket in DIR
only), stopped with `pg_ctl stop -m immediate`. initdb refuses to run as
root, so as root the cluster belongs to the `postgres` user (`runuser`).
`.ci/run` starts one for the whole test run; tests/conftest.py starts its own
when none is given and the binaries exist.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

USER = "postgres"  # the database superuser, and the system user the cluster runs as under root


class Unavailable(Exception):
    """No PostgreSQL server can be started here (the message says why)."""


def bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: $SAFETRAIN_PG_BIN, Debian's versioned folders, pg_config, PATH."""
    candidates = [os.environ.get("SAFETRAIN_PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(done.stdout.strip())
    initdb = shutil.which("initdb")
    candidates.append(str(Path(initdb).parent) if initdb else "")
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        raise Unavailable("running as root without runuser: cannot start PostgreSQL as another user")
    return [runuser, "-u", USER, "--", *cmd]


def _run(cmd: list[str]) -> None:
    done = subprocess.run(_as_owner(cmd), capture_output=True, text=True)
    if done.returncode != 0:
        raise Unavailable(f"{Path(cmd[0]).name} failed: {(done.stderr or done.stdout).strip()[-800:]}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(base: Path, durable: bool = False) -> str:
    """Start a new cluster in `base` (an empty folder) and return its DSN.

    durable=False turns fsync and synchronous commits off: fast, and fine for
    data thrown away at the end. Benchmarks pass durable=True.
    """
    folder = bin_dir()
    if folder is None:
        raise Unavailable("no PostgreSQL server binaries (initdb, pg_ctl) found; install PostgreSQL "
                          "or set SAFETRAIN_PG_BIN to their folder")
    base = Path(base).absolute()
    base.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        try:
            shutil.chown(base, USER)
        except (LookupError, OSError) as exc:
            raise Unavailable(f"running as root and cannot give {base} to the user {USER!r}: {exc}") from None
    data, sock = base / "data", base / "sock"
    _run([str(folder / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8",
          "--locale=C.UTF-8", "--no-sync"])
    _run(["mkdir", "-p", str(sock)])
    settings = ["-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={sock}"]
    if not durable:
        settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    last = None
    for _ in range(3):  # the free port may be taken between choosing it and binding it
        port = _free_port()
        try:
            _run([str(folder / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "60",
                  "-o", " ".join([f"-p {port}", *settings]), "start"])
        except Unavailable as exc:
            last = exc
            continue
        dsn = f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        (base / "dsn").write_text(dsn + "\n", encoding="utf-8")
        return dsn
    raise last


def stop(base: Path) -> None:
    folder = bin_dir()
    data = Path(base).absolute() / "data"
    if folder is None or not (data / "postmaster.pid").exists():
        return
    _run([str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: pgserver.py start|stop DIR", file=sys.stderr)
        return 2
    try:
        if argv[0] == "start":
            print(start(Path(argv[1])))
        else:
            stop(Path(argv[1]))
    except Unavailable as exc:
        print(f"pgserver: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
