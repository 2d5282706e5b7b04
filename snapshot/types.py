"""Column types of the snapshot store: one declaration per stored field, the same values back
from SQLite and from PostgreSQL. A field of snapshot/model.py's dataclasses gets its column type
from its annotation (`column_type`), or from `sql(...)` in its metadata where that differs.

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

import types
import typing
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Integer, String, Text
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


# ---- one declaration per stored field (snapshot/model.py's dataclasses) ----
def sql(type_=None, **column) -> dict:
    """A field's `metadata` where its column is not what the annotation alone gives: a SQL type
    (Str(16), Id) and/or Column options (nullable=False, index=True). Read by `column_type` and
    snapshot.store's table builder: `field(default="", metadata=sql(Str(16)))`."""
    return {"sql": {**({"type_": type_} if type_ is not None else {}), **column}}


_BY_ANNOTATION = {str: Txt, int: Integer, bool: Boolean, float: Float, date: Date, datetime: Moment,
                  dict: Json, list: Json}


def column_type(annotation):
    """The SQL type an annotation stands for: str → Txt, int → Integer, bool → Boolean,
    float → Float, date → Date, datetime → Moment, dict/list → Json; `X | None` as X."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)] \
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union \
        else [annotation]
    if len(args) != 1:
        raise TypeError(f"no column type for {annotation!r}")
    base = typing.get_origin(args[0]) or args[0]
    if base not in _BY_ANNOTATION:
        raise TypeError(f"no column type for {annotation!r}: say it with sql(...)")
    return _BY_ANNOTATION[base]
