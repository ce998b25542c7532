"""Real nginx and Apache httpd on loopback for the release tests, each running as an
unprivileged user of its own (never as root), on a free port, from a private work folder.

When the tests run as root, the servers are started through ``setpriv`` as ``nobody``
(nginx) and ``www-data`` (Apache), so they read the published folder as another user would;
otherwise they run as the current user. The whole process runs unprivileged, master included.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
NGINX_USER = "nobody"
APACHE_USER = "www-data"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def public_temp_folder(prefix: str) -> Path:
    """A temporary folder other users may traverse (pytest's are private to their owner),
    for the published folder a web server running as another user must reach."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


def _unprivileged(command: list[str], user: str, work: Path) -> list[str]:
    """``command`` run as ``user`` when we are root (``work`` becomes theirs), else as is."""
    if os.geteuid() != 0:
        return command
    account = pwd.getpwnam(user)
    for path in [work, *work.rglob("*")]:
        os.chown(path, account.pw_uid, account.pw_gid)
    return [
        "setpriv",
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--clear-groups",
        "--",
        *command,
    ]


def process_user(pid: int) -> int:
    """The real user id of a running process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise RuntimeError(f"no Uid line for process {pid}")


def _wait_for(url: str, process: subprocess.Popen, name: str, work: Path) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            httpx.get(url + "/", timeout=1)
            return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                log = work / "error.log"
                output += log.read_text() if log.exists() else ""
                raise RuntimeError(f"{name} did not start: {output}") from None
            time.sleep(0.05)


class Running:
    """A started web server: its base URL and process."""

    def __init__(self, url: str, process: subprocess.Popen, work: Path) -> None:
        self.url = url
        self.process = process
        self.work = work

    def error_log(self) -> str:
        log = self.work / "error.log"
        return log.read_text() if log.exists() else ""


def stop(process: subprocess.Popen, grace: float = 10) -> None:
    """Terminate ``process``; kill it when it has not ended after ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@contextmanager
def run_nginx(root: Path, port: int | None = None) -> Iterator[Running]:
    """nginx serving ``root`` with the release's own configuration files."""
    work = Path(tempfile.mkdtemp(prefix="ekip-nginx-"))
    port = port or free_port()
    temp = "".join(
        f"  {kind}_temp_path {work}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    (work / "nginx.conf").write_text(f"""worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
  {mime}
  include {root}/server/nginx-http.conf;
  access_log off;
{temp}
  server {{
    listen 127.0.0.1:{port};
    root {root};
    include {root}/server/nginx-site.conf;
  }}
}}
""")
    command = [
        NGINX,
        "-e",
        str(work / "error.log"),
        "-p",
        str(work),
        "-c",
        str(work / "nginx.conf"),
    ]
    process = subprocess.Popen(
        _unprivileged(command, NGINX_USER, work), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process, "nginx", work)
        yield Running(url, process, work)
    finally:
        stop(process)
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def run_apache(
    root: Path,
    port: int | None = None,
    allow_override: str = "FileInfo",
    extra: str = "",
) -> Iterator[Running]:
    """Apache httpd 2.4 serving ``root`` through the .htaccess files inside it, with
    ``AllowOverride allow_override`` (FileInfo: what shared hosting typically permits)."""
    work = Path(tempfile.mkdtemp(prefix="ekip-apache-"))
    port = port or free_port()
    loads = "".join(
        f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so\n"
        for name in ("mpm_event", "authz_core", "mime", "rewrite", "headers", "dir", "autoindex")
    )
    (work / "httpd.conf").write_text(f"""ServerRoot {work}
ServerName 127.0.0.1
{loads}Listen 127.0.0.1:{port}
PidFile {work}/httpd.pid
DefaultRuntimeDir {work}
Mutex file:{work} default
ErrorLog {work}/error.log
LogLevel warn
TypesConfig /etc/mime.types
DocumentRoot {root}
<Directory {root}>
  Options FollowSymLinks Indexes
  AllowOverride {allow_override}
  Require all granted
</Directory>
{extra}
""")
    command = [APACHE, "-f", str(work / "httpd.conf"), "-DFOREGROUND"]
    process = subprocess.Popen(
        _unprivileged(command, APACHE_USER, work), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process, "Apache httpd", work)
        yield Running(url, process, work)
    finally:
        stop(process)
        shutil.rmtree(work, ignore_errors=True)


def nginx_installed() -> bool:
    return Path(NGINX).exists()


def apache_installed() -> bool:
    return Path(APACHE).exists()
