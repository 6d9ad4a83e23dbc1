"""Serve the built book the way a static host does: gzip for text, and cache headers.

GitHub Pages (where the book's workflow publishes it) compresses HTML, CSS, JavaScript,
JSON and SVG with gzip and lets browsers cache files for ten minutes. Python's own
``http.server`` does neither, so page weights and Lighthouse scores measured through it
would describe no real host. ``make serve``, the benchmarks and the browser tests use
this server instead.

    python benchmarks/serve.py _build/html --port 8000
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import threading
from pathlib import Path

COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
                    "application/xml")
MAX_AGE = 600  # seconds, as GitHub Pages sends


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Files from ``directory``; text gzip-compressed when the browser accepts it."""

    _cache: dict[tuple[str, float], bytes] = {}
    _lock = threading.Lock()

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", f"max-age={MAX_AGE}")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # redirects to the address with the slash
            path = path / "index.html"
        kind = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and kind.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        stat = path.stat()
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if email.utils.parsedate_to_datetime(since).timestamp() >= int(stat.st_mtime):
                    self.send_response(304)
                    self.end_headers()
                    return None
            except (TypeError, ValueError):
                pass
        body = self._compressed(path, stat.st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return _Body(body)

    @classmethod
    def _compressed(cls, path: Path, mtime: float) -> bytes:
        key = (str(path), mtime)
        with cls._lock:
            if key not in cls._cache:
                cls._cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            return cls._cache[key]


class _Body:
    """What ``send_head`` returns: ``copyfile`` reads it, ``do_GET`` closes it."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def start(root: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` on 127.0.0.1 in a background thread; returns the server and its URL."""
    if not (Path(root) / "index.html").exists():
        raise FileNotFoundError(f"No built book in {root}: run 'make book' first.")
    handler = functools.partial(StaticHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the built site, e.g. _build/html")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    server, url = start(args.root, args.port)
    print(f"Serving {args.root} on {url}/ (Ctrl-C stops)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
