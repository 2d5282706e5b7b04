"""Throwaway PostgreSQL 15 and redis-server on free 127.0.0.1 ports, for the tests (fixtures are
registered in tests/conftest.py: `postgres`, `pg_url`, `redis_url`).

scripts/services.sh installs Debian's packages when they are missing (as root); a test skips,
saying why, only when the binaries still cannot be found. A server that is there but does not
start is an error, not a skip. PostgreSQL refuses to run as root: as root, initdb and postgres run
as the `postgres` user, in a temporary folder that user owns. Data is not kept (fsync off).
Both servers are children of the test process and die with it, even when it is killed.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SERVICES = REPO / "scripts" / "services.sh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binaries() -> dict[str, Path]:
    """{"pg_bin": folder of initdb/postgres, "redis_bin": folder of redis-server}; skip the test
    (with services.sh's reason) when they are not there and cannot be installed."""
    proc = subprocess.run(["bash", str(SERVICES)], capture_output=True, text=True, timeout=900)
    found = dict(line.split("=", 1) for line in proc.stdout.split() if "=" in line)
    if proc.returncode != 0:
        pytest.skip("services unavailable: " + " ".join(proc.stderr.split()))
    return {k: Path(v) for k, v in found.items()}


def _setpriv(cmd: list[str], *, as_postgres: bool = False, deathsig: str = "") -> list[str]:
    """cmd as the `postgres` user when we are root (PostgreSQL refuses root), and/or receiving
    `deathsig` when the test process dies, even by SIGKILL or a timeout, so that no server
    outlives its tests. One setpriv: changing the user clears an earlier parent-death signal."""
    opts = []
    if as_postgres and os.geteuid() == 0:
        opts += ["--reuid", "postgres", "--regid", "postgres", "--init-groups"]
    if deathsig:
        opts += ["--pdeathsig", deathsig]
    return ["setpriv", *opts, "--", *cmd] if opts else cmd


def _workdir(prefix: str) -> Path:
    """A temporary folder marked with our pid; folders left by test processes that were killed
    (their owner is gone) are removed first."""
    for old in Path(tempfile.gettempdir()).glob(prefix + "*"):
        try:
            owner = int((old / "owner").read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)
        except (OSError, ValueError):
            pass
    root = Path(tempfile.mkdtemp(prefix=prefix))
    (root / "owner").write_text(str(os.getpid()))
    return root


@dataclass
class Postgres:
    port: int
    data: Path
    bin: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t") -> str:
        """A fresh, empty database; returns its postgresql:// URL."""
        import psycopg
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def postgres_server(pg_bin: Path):
    import psycopg

    root = _workdir("zwgk-pg-")
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = free_port()
    log = root / "server.log"
    try:
        subprocess.run(_setpriv([str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres",
                                 "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                                as_postgres=True),
                       check=True, capture_output=True, text=True, timeout=120)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {exc.stderr or exc.stdout}") from None
    # The postmaster runs as our child (not daemonised by pg_ctl); SIGQUIT = immediate shutdown.
    server = subprocess.Popen(
        _setpriv([str(pg_bin / "postgres"), "-D", str(data), "-p", str(port), "-k", str(root),
                  "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                  "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                  "-c", "max_connections=100"], as_postgres=True, deathsig="QUIT"),
        stdout=log.open("ab"), stderr=subprocess.STDOUT)
    pg = Postgres(port=port, data=data, bin=pg_bin)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                psycopg.connect(pg.url(), connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL did not start:\n"
                                       + log.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.1)
        yield pg
    finally:
        server.send_signal(signal.SIGINT)          # fast shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def redis_server(redis_bin: Path):
    port = free_port()
    work = _workdir("zwgk-redis-")
    proc = subprocess.Popen(
        _setpriv([str(redis_bin / "redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                  "--save", "", "--appendonly", "no", "--dir", str(work),
                  "--protected-mode", "yes"], deathsig="TERM"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


# ---- fixtures (registered in tests/conftest.py) ----

@pytest.fixture(scope="session")
def service_binaries() -> dict[str, Path]:
    return binaries()


@pytest.fixture(scope="session")
def postgres(service_binaries):
    """A PostgreSQL 15 server for the whole session (one per xdist worker)."""
    with postgres_server(service_binaries["pg_bin"]) as pg:
        yield pg


@pytest.fixture
def pg_url(postgres) -> str:
    """A fresh database on the session's server: postgresql://postgres@127.0.0.1:PORT/NAME."""
    return postgres.create_database()


@pytest.fixture(scope="session")
def redis_url(service_binaries):
    """A redis-server for the whole session: redis://127.0.0.1:PORT/0."""
    with redis_server(service_binaries["redis_bin"]) as url:
        yield url
