"""Answers of the fault server that are more than a status (tests/sites/server.py calls `answer`
for a fault with an "answer" key): bodies that lie about their length or type, huge pages, a gzip
bomb, and a pager that never ends. Each writes the whole answer itself and returns True, or
returns False to let the page be served normally."""
from __future__ import annotations

import gzip
import io
import re
from functools import lru_cache

_CHUNK = 1 << 16


@lru_cache(maxsize=4)
def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes, gzipped (1 GiB → ~1 MB), made once per size."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as gz:
        block = b"\0" * (1 << 20)
        for _ in range(size // len(block)):
            gz.write(block)
    return out.getvalue()


def _page(handler, path: str) -> bytes | None:
    file = handler._file(path)
    if file is not None and file.is_dir():
        file = file / "index.html"
    return file.read_bytes() if file is not None and file.is_file() else None


def _head(handler, status: int, ctype: str, length: int, extra: dict | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    for key, value in (extra or {}).items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(length))
    handler.end_headers()


def answer(handler, path: str, fault: dict, head: bool) -> bool:
    kind = fault["answer"]
    try:
        if kind == "truncate":
            body = _page(handler, path)
            if body is None:
                return False
            sent = body[: len(body) // 2]
            handler.close_connection = True
            _head(handler, 200, "text/html; charset=utf-8", len(body) + 4096)
            if not head:
                handler.wfile.write(sent)
                handler.wfile.flush()
            handler.connection.close()          # less than Content-Length said, then EOF
            return True
        if kind == "binary":
            data = bytes(range(256)) * (int(fault.get("size", 64 * 1024)) // 256)
            handler._send(200, b"\x89PNG\r\n\x1a\n\0\0" + data, "text/html; charset=utf-8", head)
            return True
        if kind == "oversize":
            body = _page(handler, path) or b"<html><body>"
            size = int(fault.get("size", 20 * 1024 * 1024))
            pad = max(0, size - len(body))
            _head(handler, 200, "text/html; charset=utf-8", len(body) + pad)
            if not head:
                handler.wfile.write(body)
                filler = b"<!--" + b"x" * (_CHUNK - 7) + b"-->"
                while pad > 0 and not handler.server.stopping.is_set():
                    n = min(pad, len(filler))
                    handler.wfile.write(filler[:n])
                    pad -= n
            return True
        if kind == "gzip_bomb":
            data = gzip_bomb(int(fault.get("size", 1 << 30)))
            _head(handler, 200, "text/html; charset=utf-8", len(data), {"Content-Encoding": "gzip"})
            if not head:
                handler.wfile.write(data)
            return True
        if kind == "endless":
            return _endless(handler, path, head)
    except (BrokenPipeError, ConnectionResetError):
        return True                                 # the client gave up: that is its right
    raise ValueError(f"unknown fault answer {kind!r}")


_PAGE_N = re.compile(r"index(?:_(\d+))?\.html$")
_PAGER = re.compile(r'<div class="page">.*?</div>', re.S)


def _endless(handler, path: str, head: bool) -> bool:
    """The column at `path` (a directory URL; the fault is keyed there and on its pages): page
    N links page N+1 with no total, for ever; pages past the real ones repeat the last real one."""
    from urllib.parse import urlsplit
    name = urlsplit(handler.path).path.rsplit("/", 1)[-1] or "index.html"
    m = _PAGE_N.fullmatch(name)
    if not m:
        return False
    n = int(m.group(1) or 0)
    folder = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    body = _page(handler, folder + (f"index_{n}.html" if n else "index.html"))
    k = n
    while body is None and k > 0:                   # past the real pages: the last one again
        k -= 1
        body = _page(handler, folder + (f"index_{k}.html" if k else "index.html"))
    if body is None:
        return False
    html = body.decode("utf-8", "replace")
    if n > k:   # past the real pages: the same documents under new addresses, so each page is new
        html = re.sub(r'(<li>\s*<a href="\./[^"?]+)"', lambda m: f'{m.group(1)}?p={n}"', html)
    pager = f'<div class="page"><a href="index_{n + 1}.html">下一页</a></div>'
    html = _PAGER.sub(lambda _: pager, html, count=1)
    handler._send(200, html.encode("utf-8"), "text/html; charset=utf-8", head)
    return True
