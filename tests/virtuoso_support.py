"""Virtuoso open source (Debian's virtuoso-opensource) as a remote store for the tests:
a fresh database in a temporary folder, both ports (SQL and HTTP) bound to 127.0.0.1 on
free ports, no zero-config announcement (the [Zero Config] section is left out), a loader
user holding SPARQL_UPDATE, stopped and removed afterwards."""

from __future__ import annotations

import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from webservers import stop

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
VAD = "/usr/share/virtuoso-opensource-7/vad"
VSP = "/var/lib/virtuoso-opensource-7/vsp"


def virtuoso_installed() -> bool:
    return Path(VIRTUOSO).exists() and Path(ISQL).exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Virtuoso:
    base: str  # http://127.0.0.1:<port>
    user: str
    password: str
    folder: Path

    @property
    def endpoint(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store Protocol URL that takes digest authentication."""
        return f"{self.base}/sparql-graph-crud-auth"

    def netrc(self) -> Path:
        """A netrc file with the loader's credentials (mode 0600, as netrc requires)."""
        path = self.folder / "netrc"
        path.write_text(f"machine 127.0.0.1 login {self.user} password {self.password}\n")
        path.chmod(0o600)
        return path


def _ini(folder: Path, sql_port: int, http_port: int) -> str:
    return f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {VAD}
VADInstallDir = {VAD}/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {VSP}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledDavVSP = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


#: a free port can be taken by another process between the probe and Virtuoso's bind
#: (any outgoing connection may get it as its local port): then a new pair is tried
START_ATTEMPTS = 3


class PortTaken(RuntimeError):
    """Virtuoso could not listen on a port the probe had found free."""


def _start(folder: Path) -> tuple[subprocess.Popen[bytes], int, str]:
    """Start Virtuoso on a fresh database in ``folder``: (process, SQL port, HTTP base)."""
    sql_port, http_port = _free_port(), _free_port()
    (folder / "virtuoso.ini").write_text(_ini(folder, sql_port, http_port))
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 120  # a fresh database: about 10 s on an idle machine
    while True:
        try:
            with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2):
                return process, sql_port, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process, grace=30)
                log = folder / "virtuoso.log"
                text = log.read_text() if log.exists() else ""
                kind = PortTaken if re.search(r"Failed .*listen", text) else RuntimeError
                raise kind("Virtuoso did not start: " + text) from None
            time.sleep(0.25)


@contextmanager
def running_virtuoso() -> Iterator[Virtuoso]:
    for attempt in range(START_ATTEMPTS):
        folder = Path(tempfile.mkdtemp(prefix="ekip-virtuoso-"))
        try:
            process, sql_port, base = _start(folder)
            break
        except PortTaken:
            shutil.rmtree(folder, ignore_errors=True)
            if attempt == START_ATTEMPTS - 1:
                raise
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    try:
        password = secrets.token_hex(8)
        statements = (
            f"DB.DBA.USER_CREATE('ekip_loader', '{password}'); "
            'GRANT SPARQL_UPDATE TO "ekip_loader"; '
            # nobody else on the machine can use the well-known dba password meanwhile
            f"USER_CHANGE_PASSWORD('dba', 'dba', '{secrets.token_hex(8)}');"
        )
        subprocess.run(
            [ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statements}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield Virtuoso(base, "ekip_loader", password, folder)
    finally:
        stop(process, grace=30)
        shutil.rmtree(folder, ignore_errors=True)
