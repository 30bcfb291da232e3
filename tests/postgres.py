"""A real, throwaway PostgreSQL server for the tests (a pytest plugin, registered by conftest.py).

`pg_server` starts one cluster per test session: initdb into a temporary folder and pg_ctl start,
listening only on a Unix socket in that folder (so it never collides with another server on the
machine). When run as root (CI, containers) the cluster runs as the `postgres` user, because the
server refuses root. `pg_url` hands each test an empty schema of its own on that server.

Set CAPEX_TEST_POSTGRES=postgresql://... to use a server you already run instead (each test still
gets its own schema). Without server binaries (Debian: apt-get install postgresql) the PostgreSQL
tests are skipped with that reason; `.ci/run` installs them, so CI always runs them.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

_schemas = itertools.count(1)


def server_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: Debian keeps them out of PATH, under /usr/lib/postgresql/N/bin."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name),
                        reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    return None


class PgServer:
    """A running cluster: its base URL (database `capex`) and how to stop and restart it."""

    def __init__(self, bindir: Path, root: Path, user: str | None) -> None:
        self.bindir, self.root, self.user = bindir, root, user
        self.data = root / "data"
        self.url = f"postgresql://postgres@/capex?host={quote(str(root), safe='')}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def _check(self, result: subprocess.CompletedProcess[str], what: str) -> None:
        if result.returncode != 0:
            raise RuntimeError(f"{what} failed: {result.stdout}{result.stderr}")

    def init(self) -> None:
        self._check(self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                              "--no-sync", "--locale=C"), "initdb")

    def start(self) -> None:
        # fsync off: a test cluster need not survive a power cut, and it makes the tests several times faster
        options = f"-c listen_addresses='' -k {self.root} -c fsync=off -c synchronous_commit=off " \
                  "-c full_page_writes=off -c max_connections=200"
        self._check(self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                              "-t", "60", "-o", options, "start"), "pg_ctl start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(self.url.replace("/capex?", "/postgres?"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE capex")


def start_server() -> tuple[PgServer | None, str]:
    """A new cluster, started (None and the reason when it cannot be); the caller stops it."""
    bindir = server_binaries()
    if bindir is None:
        return None, "no PostgreSQL server binaries (install Debian's postgresql package to run these tests)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "psycopg is not installed"
    user: str | None = None
    root = Path(tempfile.mkdtemp(prefix="capex-pg-"))
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            return None, "running as root and there is no `postgres` user to run the server as"
        os.chown(root, pw.pw_uid, pw.pw_gid)
        user = "postgres"
    root.chmod(0o755)
    server = PgServer(bindir, root, user)
    try:
        server.init()
        server.start()
        server.create_database()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        server.stop("immediate")
        return None, f"could not start a PostgreSQL server: {exc}"
    return server, ""


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's own PostgreSQL server (skips, saying why, when none can be started)."""
    if os.environ.get("CAPEX_TEST_POSTGRES"):
        pytest.skip("CAPEX_TEST_POSTGRES is set: tests that restart the server need their own")
    server, reason = start_server()
    if server is None:
        if os.environ.get("CAPEX_REQUIRE_POSTGRES"):  # .ci/run: a skipped backend would pass unseen
            pytest.fail(f"CAPEX_REQUIRE_POSTGRES is set but {reason}")
        pytest.skip(reason)
    try:
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_base_url(request: pytest.FixtureRequest) -> str:
    external = os.environ.get("CAPEX_TEST_POSTGRES")
    if external:
        return external
    server: PgServer = request.getfixturevalue("pg_server")
    return server.url


def schema_url(base_url: str, schema: str) -> str:
    """The URL with search_path set to one schema, so each test sees an empty database of its own."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-csearch_path={schema}', safe='')}"


@pytest.fixture
def pg_url(pg_base_url: str) -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a fresh schema, dropped after the test."""
    import psycopg

    schema = f"t{os.getpid()}_{next(_schemas)}"
    with psycopg.connect(pg_base_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield schema_url(pg_base_url, schema)
    try:
        with psycopg.connect(pg_base_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    except psycopg.Error:
        pass  # the server was stopped by the test; the whole cluster goes at the end of the session


@pytest.fixture(params=["sqlite", "postgresql"])
def db_location(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """A database on each backend: a SQLite file, then a PostgreSQL schema (the same tests on both)."""
    if request.param == "sqlite":
        return tmp_path / "db.sqlite3"
    return str(request.getfixturevalue("pg_url"))
