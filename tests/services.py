"""Throwaway PostgreSQL 15 and redis-server on free 127.0.0.1 ports, for the tests (fixtures are
registered in tests/conftest.py: `postgres`, `pg_url`, `redis_url`).

scripts/services.sh installs Debian's packages when they are missing (as root); a test skips,
saying why, only when the binaries still cannot be found. A server that is there but does not
start is an error, not a skip. PostgreSQL refuses to run as root: as root, initdb and pg_ctl run
as the `postgres` user, in a temporary folder that user owns. Data is not kept (fsync off).
"""
from __future__ import annotations

import os
import shutil
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
    """{"pg_bin": folder of initdb/pg_ctl, "redis_bin": folder of redis-server}; skip the test
    (with services.sh's reason) when they are not there and cannot be installed."""
    proc = subprocess.run(["bash", str(SERVICES)], capture_output=True, text=True, timeout=900)
    found = dict(line.split("=", 1) for line in proc.stdout.split() if "=" in line)
    if proc.returncode != 0:
        pytest.skip("services unavailable: " + " ".join(proc.stderr.split()))
    return {k: Path(v) for k, v in found.items()}


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


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
    root = Path(tempfile.mkdtemp(prefix="zwgk-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = free_port()
    try:
        run = lambda *cmd: subprocess.run(_as_postgres([str(c) for c in cmd]), check=True,
                                          capture_output=True, text=True, timeout=120)
        run(pg_bin / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-locale", "--no-sync")
        opts = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        run(pg_bin / "pg_ctl", "-D", data, "-o", opts, "-l", root / "server.log", "-w", "-t", "60",
            "start")
    except subprocess.CalledProcessError as exc:
        log = root / "server.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr or exc.stdout}\n{tail}") from None
    try:
        yield Postgres(port=port, data=data, bin=pg_bin)
    finally:
        subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "-w", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def redis_server(redis_bin: Path):
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="zwgk-redis-"))
    proc = subprocess.Popen(
        [str(redis_bin / "redis-server"), "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", str(work), "--protected-mode", "yes"],
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
