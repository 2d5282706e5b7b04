"""Decoding page bytes: trust the bytes over what the header or <meta> declares (README §2.4)."""
from __future__ import annotations

import codecs
import re

__all__ = ["decode_html", "normalise_codec"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# GB2312 and GBK declarations usually mean GBK bytes; GB18030 is their superset.
_GB = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "csgb2312",
       "hz-gb-2312", "gb_2312", "chinese"}
# Declarations that decode anything without error, so a strict decode proves nothing.
_WEAK = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def normalise_codec(name: str | None) -> str | None:
    """A Python codec name for a declared charset, GB* mapped to gb18030; None if unknown."""
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    if name in _GB:
        return "gb18030"
    if name in ("utf8", "utf-8", "utf_8"):
        return "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charsets(body: bytes) -> list[str]:
    """Charsets named by <meta charset> / http-equiv in the first 4 KB (there can be two)."""
    return [m.group(1).decode("ascii", "ignore") for m in _META_CHARSET.finditer(body[:4096])]


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). `declared` is the HTTP header's charset, if any."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    # Valid UTF-8 with non-ASCII bytes is almost never GBK text, while a UTF-8 page decoded as
    # GB18030 often "succeeds" into mojibake, so a valid UTF-8 body wins over any declaration.
    if not body.isascii():
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    candidates: list[str] = []
    for name in [declared, *declared_charsets(body)]:
        codec = normalise_codec(name)
        if codec and codec not in _WEAK and codec not in candidates:
            candidates.append(codec)
    for codec in [*candidates, "utf-8", "gb18030"]:
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body).best()
        if best is not None and best.encoding:
            return str(best), best.encoding
    except Exception:  # charset-normalizer is a last resort; never fail decoding because of it
        pass
    return body.decode("gb18030", errors="replace"), "gb18030"
