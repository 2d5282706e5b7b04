"""Serve a generated fixture site on 127.0.0.1, with fault injection by path.

`serve(root, faults)` runs a ThreadingHTTPServer in a daemon thread (for tests);
`serve_process(root, faults)` runs the same server in a child process (for benchmarks, so the
server does not compete with the crawler for the GIL).

faults: {path: {"status": 503, "delay": 20.0}}. A path matches with or without a trailing
"index.html" ("/zfxxgk/tzgg/" == "/zfxxgk/tzgg/index.html"); the key "*" matches every path.
"delay" is slept before answering (a slow page); "status" replaces the answer with that error
("body": the error page's HTML, e.g. an anti-bot challenge; "headers": extra headers such as
{"Retry-After": "1"}); "reset": true drops the connection without an answer; "times": N applies
the fault to the first N requests of that path only, which then answers normally (a 503 burst
that recovers, a connection reset once). More faults (tests/faults/): "unless_cookie": NAME
lifts the fault for a request carrying that cookie (a 加速乐 wall the browser passes);
"answer": "truncate" (Content-Length larger than sent), "binary" (bytes served as text/html),
"oversize" (the page padded to "size" bytes), "gzip_bomb" ("size" zero bytes gzipped),
"endless" (the column's pager never ends: page N links page N+1, the last page's entries again).
`max_requests` bounds what one server answers (then 503 and close).

A few generic dynamic answers let fixture styles look like real servers:
  - a request with a query string is answered by the file `<path>@<query>` when it exists
    (`/zwgk/gzdt/?page=2` -> `zwgk/gzdt/index.html@page=2`, `/api/list?column=1&page=2`);
  - `/module/web/jpage/dataproxy.jsp` (Hanweb jpage, GET or POST form) slices the records in
    `.dataproxy/<unitid>.json` by startrecord/endrecord;
  - `.site.json` {"charset": "gb2312"} names the charset sent for text files.
"""
from __future__ import annotations

import argparse
import json
import mimetypes
import socket
import struct
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

ALLOW_ALL_ROBOTS = b"User-agent: *\nAllow: /\n"
_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".shtml": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8", ".xml": "text/xml; charset=utf-8",
    ".js": "application/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".pdf": "application/pdf", ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def norm_path(path: str) -> str:
    """The fault-matching form of a URL path: directory URLs and their index.html are one page."""
    path = unquote(urlsplit(path).path) or "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256            # benchmarks open many connections at once

    def __init__(self, root: Path, faults: dict | None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = Path(root).resolve()
        self.faults = {("*" if k == "*" else norm_path(k)): v for k, v in (faults or {}).items()}
        self.stopping = threading.Event()
        self.fault_counts: dict[str, int] = {}
        self.fault_lock = threading.Lock()
        self.max_requests: int | None = None      # tests/faults: a bound on what one server answers
        self.requests = 0

    def take_fault(self, path: str, fault: dict) -> bool:
        """Whether this request of `path` still gets a fault limited to its first `times` requests."""
        with self.fault_lock:
            n = self.fault_counts[path] = self.fault_counts.get(path, 0) + 1
        return n <= int(fault["times"])


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "TRS-WCM-fixture/1.0"

    def log_message(self, format, *args):  # noqa: A002 - quiet: tests read findings, not logs
        pass

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._form = ""       # keep-alive reuses the handler: no form from an earlier POST
        self._answer(head=False)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._form = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        path = norm_path(self.path)
        fault = (self.server.faults.get(path) or self.server.faults.get(path.rsplit("/", 1)[0] + "/*")
                 or self.server.faults.get("*"))     # "/dir/*": every page directly in /dir/
        if fault and fault.get("times") is not None and not self.server.take_fault(path, fault):
            fault = None                                  # the burst is over: answer normally
        if fault and fault.get("unless_cookie") and \
                f"{fault['unless_cookie']}=" in (self.headers.get("Cookie") or ""):
            fault = None                                  # the challenge was passed
        if self.server.max_requests is not None:
            with self.server.fault_lock:
                self.server.requests += 1
                over = self.server.requests > self.server.max_requests
            if over:
                self.close_connection = True
                return self._send(503, b"request budget of the fixture server spent", "text/plain", head)
        if fault and fault.get("answer"):
            from tests.faults.answers import answer
            if answer(self, path, fault, head):
                return
        if fault:
            # Sleep in small steps so that shutting the server down is not held up by a slow page.
            end = time.monotonic() + float(fault.get("delay", 0))
            while time.monotonic() < end and not self.server.stopping.is_set():
                time.sleep(0.05)
            if fault.get("reset"):
                self.close_connection = True              # RST: no status line at all
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                return
            if fault.get("status"):
                body = fault.get("body", "<html><body>Service Unavailable</body></html>").encode("utf-8")
                return self._send(int(fault["status"]), body, "text/html; charset=utf-8", head,
                                  headers=fault.get("headers"))
        if path.endswith("/jpage/dataproxy.jsp"):
            return self._dataproxy(head)
        file = self._file(path)
        query = urlsplit(self.path).query
        if file is not None and query:
            variant = (file / "index.html" if file.is_dir() else file).with_name(
                (file / "index.html" if file.is_dir() else file).name + "@" + unquote(query))
            file = variant if variant.exists() else file
        elif file is None and query:
            variant = self._file(path + "@" + unquote(query))
            file = variant if variant is not None else None
        if file is None:
            if path == "/robots.txt":
                return self._send(200, ALLOW_ALL_ROBOTS, "text/plain; charset=utf-8", head)
            return self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>",
                              "text/html; charset=utf-8", head)
        if file.is_dir():  # "/zfxxgk" without its slash: redirect as real servers do
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        name = file.name.split("@", 1)[0]
        body = file.read_bytes()
        ctype = _TYPES.get(Path(name).suffix.lower()) or mimetypes.guess_type(name)[0]
        if ctype is None:   # an extension-less API path: say what the bytes are
            ctype = "application/json; charset=utf-8" if body.lstrip()[:1] in (b"{", b"[") else "application/octet-stream"
        charset = self._site().get("charset")
        if charset and "charset=utf-8" in ctype:
            ctype = ctype.replace("utf-8", charset)
        self._send(200, body, ctype, head)

    def _site(self) -> dict:
        file = self.server.root / ".site.json"
        return json.loads(file.read_text("utf-8")) if file.exists() else {}

    def _dataproxy(self, head: bool) -> None:
        """Hanweb jpage: records startrecord..endrecord of the column `unitid` as a datastore."""
        params = dict(parse_qsl(urlsplit(self.path).query))
        params.update(parse_qsl(getattr(self, "_form", "")))
        file = self.server.root / ".dataproxy" / f"{params.get('unitid', '').strip(chr(39))}.json"
        if not file.exists():
            return self._send(404, b"<html><body>404</body></html>", "text/html; charset=utf-8", head)
        data = json.loads(file.read_text("utf-8"))
        records = data["records"]
        try:
            start = max(1, int(params.get("startrecord", 1)))
            end = int(params.get("endrecord", start + 44))
        except ValueError:
            start, end = 1, 45
        group = records[start - 1:end]
        total = f"<totalrecord>{len(records)}</totalrecord>" if data.get("total") else ""
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<datastore>' + total + "<recordset>\n"
               + "".join(f"<record><![CDATA[\n{r}]]></record>\n" for r in group) + "</recordset>\n</datastore>\n")
        self._send(200, xml.encode("utf-8"), "text/xml; charset=utf-8", head)

    def _file(self, path: str) -> Path | None:
        target = (self.server.root / path.lstrip("/")).resolve()
        if target != self.server.root and self.server.root not in target.parents:
            return None                                   # ../ escapes
        if path.endswith("/"):
            target = target / "index.html"
        return target if target.exists() else None

    def _send(self, status: int, body: bytes, ctype: str, head: bool, headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for key, value in (headers or {}).items():
                self.send_header(key, str(value))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass                                          # the client gave up (its timeout)


@contextmanager
def serve(root: Path, faults: dict | None = None):
    """Serve `root` in a daemon thread; yields the base URL "http://127.0.0.1:<port>/"."""
    server = _Server(root, faults)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


@contextmanager
def serve_process(root: Path, faults: dict | None = None):
    """Serve `root` from a child process; yields the base URL."""
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), str(root), "--faults", json.dumps(faults or {})],
        stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()       # the child prints its base URL once listening
        if not line.startswith("http://"):
            raise RuntimeError(f"fixture server did not start: {line!r}")
        yield line
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fixture site on 127.0.0.1")
    parser.add_argument("root", type=Path)
    parser.add_argument("--faults", default="{}", help="JSON {path: {status, delay}}")
    args = parser.parse_args(argv)
    with serve(args.root, json.loads(args.faults)) as base:
        print(base, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
