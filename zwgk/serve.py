"""A quiet static file server on 127.0.0.1 (the demo's sample site; tests extend it)."""
from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8"}

    def log_message(self, format, *args):   # keep the terminal for progress lines
        pass


@contextlib.contextmanager
def serve_directory(root: Path, handler=QuietHandler):
    """Serve `root` on a free port; yields the base URL ("http://127.0.0.1:PORT/")."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
