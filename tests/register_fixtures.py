"""A throwaway PostgreSQL server for the register tests, and a register location
parametrized over both backends (SQLite file, PostgreSQL database)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        pytest.fail(f"PostgreSQL's {name} is missing: apt-get install postgresql")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL cluster on a unix socket in a temporary folder (as user `postgres`
    when the tests run as root); yields the URL of its `postgres` database."""
    base = Path(tempfile.mkdtemp(prefix="notice-gen-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        os.chown(base, pwd.getpwnam("postgres").pw_uid, -1)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = base / "data", _free_port()
    options = (
        f"-k {base} -p {port} -c listen_addresses='' -c fsync=off "
        "-c full_page_writes=off -c synchronous_commit=off"
    )
    steps = [
        [_binary("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
         "--locale=C", "--no-sync"],
        [_binary("pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o", options,
         "start"],
    ]  # fmt: skip
    for step in steps:
        result = subprocess.run(prefix + step, capture_output=True, text=True)
        if result.returncode:
            log = base / "log"
            pytest.fail(f"{step[0]}: {result.stderr}{log.read_text() if log.exists() else ''}")
    try:
        yield f"postgresql://postgres@/postgres?host={base}&port={port}"
    finally:
        stop = [_binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(prefix + stop, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty register lives: a SQLite file or a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "so-van-ban-di.sqlite")
    url: str = request.getfixturevalue("postgres_server")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS counters, numbers, desk_users")
    return url
