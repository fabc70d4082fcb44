"""The benchmark's own database: dropped and created afresh, then migrated."""

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


class BenchError(Exception):
    pass


def prepare(url: str) -> None:
    """Recreate the database named in `url` and point Django at it. Only a database whose name
    says it is for benchmarks is ever dropped."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise BenchError("the benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise BenchError(
            f"refusing to recreate database {name!r}: its name must contain 'bench', "
            "for example postgres://postgres@127.0.0.1:5432/wijkbv_bench"
        )
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = url
    # Production settings: no query log, no debug cursor.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbv.settings")


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def server_facts(url: str) -> dict:
    with psycopg.connect(url) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        settings = dict(
            connection.execute(
                "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                "('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections')"
            ).fetchall()
        )
    return {"postgresql": version, **settings}


def commit_ms(url: str, commits: int = 50) -> float:
    """The median milliseconds of committing one small row here: how fast the server's disk
    makes a commit durable. Written beside figures measured apart, so that runs on different
    machines can be compared. Not a figure of the project."""
    import statistics
    import time

    with psycopg.connect(url) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS bench_commit (n integer)")
        connection.commit()
        taken = []
        for number in range(commits):
            began = time.perf_counter()
            connection.execute("INSERT INTO bench_commit VALUES (%s)", [number])
            connection.commit()
            taken.append((time.perf_counter() - began) * 1000)
        connection.execute("DROP TABLE bench_commit")
        connection.commit()
    return statistics.median(taken)
