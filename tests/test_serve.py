"""The static server that the browser tests, the benchmarks and `make serve` use."""

from __future__ import annotations

import gzip
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import serve  # noqa: E402


@pytest.fixture
def server(tmp_path):
    (tmp_path / "index.html").write_text("<p>" + "surveillance " * 500 + "</p>")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text("<p>sub</p>")
    (tmp_path / "book.zip").write_bytes(bytes(range(256)) * 40)
    srv, url = serve.start(tmp_path)
    yield tmp_path, url
    srv.shutdown()


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), b""


def test_text_is_gzipped_for_browsers_that_accept_it(server):
    root, url = server
    status, headers, body = get(f"{url}/index.html", **{"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (root / "index.html").read_bytes()
    assert int(headers["Content-Length"]) == len(body) < (root / "index.html").stat().st_size / 5
    assert headers["Cache-Control"] == f"max-age={serve.MAX_AGE}"


def test_plain_when_not_asked_and_for_binary_files(server):
    root, url = server
    status, headers, body = get(f"{url}/index.html")
    assert status == 200 and "Content-Encoding" not in headers
    assert body == (root / "index.html").read_bytes()
    status, headers, body = get(f"{url}/book.zip", **{"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in headers and body == (root / "book.zip").read_bytes()


def test_unchanged_files_are_not_sent_again(server):
    _, url = server
    _, headers, _ = get(f"{url}/index.html", **{"Accept-Encoding": "gzip"})
    status, _, body = get(f"{url}/index.html", **{"Accept-Encoding": "gzip",
                                                 "If-Modified-Since": headers["Last-Modified"]})
    assert status == 304 and body == b""


def test_folders_serve_their_index_and_missing_files_are_404(server):
    _, url = server
    status, headers, body = get(f"{url}/sub/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and gzip.decompress(body) == b"<p>sub</p>"
    assert get(f"{url}/missing.html", **{"Accept-Encoding": "gzip"})[0] == 404


def test_refuses_a_folder_without_a_built_book(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        serve.start(tmp_path)
