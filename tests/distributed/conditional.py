"""The fixture server (tests/sites/server.py) as a real static server answers: validators on every
200 (ETag from the body, and Last-Modified from the file's time when asked), 304 to a matching
If-None-Match / If-Modified-Since, optional latency; it counts full answers and 304s per role of
path, and the most requests it was answering at once (max_in_flight). Used by tests/e2e/test_incremental.py and bench/throughput.py."""
from __future__ import annotations

import hashlib
import random
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from tests.sites.server import _Handler, _Server, norm_path


class ConditionalHandler(_Handler):
    def _answer(self, head: bool) -> None:
        srv = self.server
        with srv.count_lock:
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
        try:
            if srv.latency:
                time.sleep(random.uniform(*srv.latency))
            super()._answer(head)
        finally:
            with srv.count_lock:
                srv.in_flight -= 1

    def _send(self, status: int, body: bytes, ctype: str, head: bool, headers: dict | None = None) -> None:
        srv = self.server
        if self.command == "HEAD":
            with srv.count_lock:
                srv.counts["HEAD"] += 1
        if status == 200 and self.command == "GET" and not getattr(self, "_form", ""):
            headers = dict(headers or {})
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            stamp = None
            if srv.last_modified:
                file = self._file(norm_path(self.path))
                if file is not None and file.is_file():
                    stamp = int(file.stat().st_mtime)
                    headers["Last-Modified"] = formatdate(stamp, usegmt=True)
            unchanged = self.headers.get("If-None-Match") == etag
            ims = self.headers.get("If-Modified-Since")
            if not unchanged and ims and stamp is not None and "If-None-Match" not in self.headers:
                try:
                    unchanged = stamp <= parsedate_to_datetime(ims).timestamp()
                except (TypeError, ValueError):
                    pass
            if unchanged:
                with srv.count_lock:
                    srv.counts["304"] += 1
                    srv.answers[norm_path(self.path)].append(304)
                    srv.log.append((self.command, norm_path(self.path), 304))
                self.send_response(304)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        with srv.count_lock:
            srv.counts[str(status)] += 1
            srv.answers[norm_path(self.path)].append(status)
            srv.log.append((self.command, norm_path(self.path), status))
        super()._send(status, body, ctype, head, headers)


def make_server(root: Path, faults: dict | None = None, *, latency: tuple[float, float] | None = None,
                last_modified: bool = False) -> _Server:
    server = _Server(root, faults)
    server.RequestHandlerClass = ConditionalHandler
    server.latency = latency
    server.last_modified = last_modified
    server.counts = Counter()
    server.answers = defaultdict(list)       # path -> statuses answered, in order
    server.log = []                          # (method, path, status) of every answer, in order
    server.count_lock = threading.Lock()
    server.in_flight = server.max_in_flight = 0   # requests being answered now / at most at once
    return server


@contextmanager
def serve_conditional(root: Path, faults: dict | None = None, **kw):
    """Yields (base URL, server); server.counts: {"200": full answers, "304": …, "404": …,
    "HEAD": HEAD requests (link checks)};
    server.answers: {path: [status, …]}; server.log: [(method, path, status), …]."""
    server = make_server(root, faults, **kw)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
