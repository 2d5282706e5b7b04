"""Column types of the snapshot store: one declaration per stored field, the same values back
from SQLite and from PostgreSQL.

- `Id`: 64-bit keys on PostgreSQL (a national run writes hundreds of millions of link rows), the
  rowid alias INTEGER on SQLite (where only INTEGER PRIMARY KEY autoincrements).
- `Moment`: TIMESTAMP WITH TIME ZONE on PostgreSQL. zwgk hands the store naive datetimes meaning
  China Standard Time (UTC+8; jobs, probes and triage take Shanghai wall-clock time) and gets
  naive CST back from either database; an aware datetime is stored as the instant it names.
  SQLite keeps naive CST text, as the previous release did.
- `Json`: JSONB on PostgreSQL, JSON (text) on SQLite.
- `Txt` / `Str` / `Json`: crawled text may hold NUL characters, which PostgreSQL's text and JSONB
  refuse; they carry no meaning in a page's text, so they are dropped on both databases (the
  same snapshot comes back from either).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

CST = timezone(timedelta(hours=8))

# BIGINT/BIGSERIAL on PostgreSQL; INTEGER on SQLite (a BIGINT key there would not autoincrement).
Id = BigInteger().with_variant(Integer(), "sqlite")


def _no_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {_no_nul(k): _no_nul(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_nul(v) for v in value]
    return value


class Txt(TypeDecorator):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return _no_nul(value)


class Str(TypeDecorator):
    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return _no_nul(value)


class Json(TypeDecorator):
    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())

    def process_bind_param(self, value, dialect):
        return _no_nul(value)


class Moment(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None or not isinstance(value, datetime):
            return value
        if dialect.name == "postgresql":
            return value if value.tzinfo else value.replace(tzinfo=CST)
        return value.astimezone(CST).replace(tzinfo=None) if value.tzinfo else value

    def process_result_value(self, value, dialect):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(CST).replace(tzinfo=None)
        return value
