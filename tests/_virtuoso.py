"""A throw-away Virtuoso Open Source 7 for tests/test_virtuoso.py and benchmarks/virtuoso.py.

It runs Debian's ``virtuoso-t`` (package ``virtuoso-opensource``) in the foreground on 127.0.0.1
with a database folder and a ``virtuoso.ini`` written here: SQL and HTTP ports picked free,
``DirsAllowed`` limited to the folders the bulk loader may read, the SPARQL result cap raised
from Virtuoso's default of 10,000 rows (which truncates answers silently) and checkpoints off.
Every wait is bounded; :meth:`Virtuoso.stop` asks for a shutdown, then terminates, then kills.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT = 90.0
#: The default DBA account of a new database (the tests' database is thrown away afterwards).
DBA = ("dba", "dba")
#: A Graph Store path with HTTP Basic authentication (Virtuoso ships only a Digest one).
BASIC_GSP = "/sparql-graph-crud-basic"


def virtuoso_binaries() -> tuple[str, str] | None:
    """``(virtuoso-t, isql)`` when Virtuoso is installed, else None."""
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql-v")
    return (server, isql) if server and isql else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {dirs}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 1G
ThreadsPerQuery = 2
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
"""


class Virtuoso:
    """One ``virtuoso-t +foreground`` process over a database in ``folder``."""

    def __init__(self, folder: Path, *, dirs_allowed: tuple[Path, ...] = (), buffers: int = 85000):
        found = virtuoso_binaries()
        if found is None:
            raise RuntimeError("virtuoso-t / isql-vt are not installed (apt-get install virtuoso-opensource)")
        self.binary, self.isql_binary = found
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.http_port, self.sql_port = free_port(), free_port()
        self.dirs = tuple(Path(d) for d in dirs_allowed)
        self.ini = self.folder / "virtuoso.ini"
        self.ini.write_text(INI.format(db=self.folder, host=HOST, sql_port=self.sql_port, http_port=self.http_port,
                                       dirs=", ".join(str(d) for d in (self.folder, *self.dirs)),
                                       buffers=buffers, dirty=buffers * 3 // 4))
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    def start(self) -> Virtuoso:
        log = open(self.folder / "stdout.log", "wb")  # noqa: SIM115 - the process owns it
        self.process = subprocess.Popen(
            [self.binary, "+foreground", "+configfile", str(self.ini)], cwd=self.folder,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError(f"virtuoso-t did not answer within {START_TIMEOUT:g} s: {self.log_tail()}")
        # Virtuoso ships its Graph Store only behind Digest (/sparql-graph-crud-auth); this adds the
        # same service behind Basic, defined as the Digest one is (run as dba, exec_as_get).
        self.isql(f"DB.DBA.VHOST_DEFINE(lpath=>'{BASIC_GSP}', ppath=>'/!sparql-graph-crud/', is_dav=>1, "
                  "vsp_user=>'dba', opts=>vector('noinherit', 1, 'exec_as_get', 1), "
                  "auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', realm=>'SPARQL', sec=>'basic');")
        return self

    def log_tail(self, lines: int = 5) -> str:
        try:
            text = (self.folder / "virtuoso.log").read_text(errors="replace")
        except OSError:
            return ""
        return " / ".join(text.strip().splitlines()[-lines:])

    def isql(self, sql: str, timeout: float = 600) -> str:
        """Run SQL through isql as dba; raise with Virtuoso's message when it reports an error."""
        done = subprocess.run([self.isql_binary, f"{HOST}:{self.sql_port}", *DBA, f"exec={sql}"],
                              capture_output=True, text=True, timeout=timeout)
        out = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql: {sql[:80]}: {out.strip()[-400:]}")
        return out

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            subprocess.run([self.isql_binary, f"{HOST}:{self.sql_port}", *DBA, "exec=shutdown;"],
                           capture_output=True, timeout=20)
            self.process.wait(20)
        except (subprocess.TimeoutExpired, OSError):
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def bulk_load(self, folder: Path, pattern: str, graph: str) -> float:
        """Virtuoso's bulk loader: ld_dir + rdf_loader_run + checkpoint; returns the seconds it took."""
        started = time.monotonic()
        self.isql(f"ld_dir('{folder}', '{pattern}', '{graph}');")
        self.isql("rdf_loader_run();")
        self.isql("checkpoint;")
        errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
        if "0 Rows" not in errors:
            raise RuntimeError(f"bulk load reported errors: {errors.strip()[-400:]}")
        return time.monotonic() - started
