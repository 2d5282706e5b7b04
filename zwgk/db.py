"""`zwgk db upgrade`, and the one check every command that takes --db makes first.

A --db value is a SQLite file path or a database URL (postgresql://… uses psycopg 3). A value
that is malformed, names a database that cannot be reached, or holds something that is not a
zwgk store gives one line and exit 2 (cli.UsageError) before anything is crawled or written.
"""
from __future__ import annotations

import os
import re
from pathlib import Path


def _usage(message: str):
    from .cli import UsageError
    return UsageError(message)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    return lines[0] if lines else type(orig).__name__


def _bring_up(db: str, *, must_exist: bool = False, create: bool = True):
    """Validate --db, connect, bring the schema to head: (engine, migrations.Outcome), or
    (None, None) for a SQLite file that is not there yet and create=False (its folder can be
    written: the command makes it when it first stores something). UsageError (one line) when
    any of it fails."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    from snapshot.migrations import SchemaError, ensure_schema
    from snapshot.store import database_url, make_engine

    try:
        parsed = make_url(database_url(db))
    except (ArgumentError, ValueError):
        masked = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", db)     # never echo a password
        raise _usage(f"无效的数据库地址 {masked!r}：应为 SQLite 文件路径或 postgresql://用户@主机:端口/库名") from None
    shown = parsed.render_as_string(hide_password=True) if "://" in db else db
    if db.startswith(("postgresql://", "postgres://")):     # as the user wrote it
        shown = "postgresql://" + shown.split("://", 1)[1]
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if path.is_dir():
            raise _usage(f"数据库路径是一个文件夹：{db}")
        if must_exist and not path.exists():
            raise _usage(f"数据库不存在：{db}")
        if not path.exists():
            folder = path.absolute().parent
            while not folder.exists():
                folder = folder.parent
            if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
                raise _usage(f"无法创建数据库 {db}：{folder} 不可写")
            if not create:
                return None, None
    try:
        engine = make_engine(db, migrate=False)
    except (NoSuchModuleError, ImportError):
        raise _usage(f"不支持的数据库类型：{shown}（支持 SQLite 文件和 postgresql://）") from None
    except (ArgumentError, ValueError, TypeError) as exc:
        raise _usage(f"无效的数据库地址 {shown}：{_first_line(exc)}") from None
    except OSError as exc:
        raise _usage(f"无法创建数据库 {shown}：{exc.strerror or exc}") from None
    try:
        return engine, ensure_schema(engine)
    except SchemaError as exc:
        engine.dispose()
        raise _usage(f"{shown}：{exc}") from None
    except (SQLAlchemyError, OSError) as exc:
        engine.dispose()
        raise _usage(f"无法打开数据库 {shown}：{_first_line(exc)}") from None


def open_store(db: str, *, must_exist: bool = False):
    """The Store for --db, its schema brought to head; UsageError (one line) when it cannot be.
    must_exist: a SQLite file that is not there is an error instead of a new database."""
    from snapshot.store import Store
    engine, _ = _bring_up(db, must_exist=must_exist)
    engine.dispose()
    return Store(db)


def check_db(db: str, *, must_exist: bool = False) -> str:
    """The check every command taking --db makes before using it (cli.main calls it): a bad URL,
    an unreachable server, a file that is not a zwgk database → UsageError. A SQLite file that
    is not there yet is left for the command to make. Returns db unchanged."""
    engine, _ = _bring_up(db, must_exist=must_exist, create=False)
    if engine is not None:
        engine.dispose()
    return db


def cmd_db(args) -> int:
    if args.db_command != "upgrade":
        raise _usage("缺少子命令：db upgrade")
    engine, outcome = _bring_up(args.db)
    engine.dispose()
    if outcome.before is None:
        print(f"已新建数据库，结构版本 {outcome.after}")
    elif outcome.changed:
        before = "旧版（无版本记录）" if outcome.before.endswith("?") else outcome.before
        print(f"已升级数据库结构：{before} → {outcome.after}")
    else:
        print(f"数据库结构已是最新版本 {outcome.after}")
    return 0
