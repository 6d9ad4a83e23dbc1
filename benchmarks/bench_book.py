"""Print the book's build and page figures (make bench). Prints figures; asserts nothing.

* clean build time, and rebuild time with the execution cache after touching one chapter;
* per-notebook execution time (each notebook run alone in a fresh kernel);
* each page's own HTML size and its cold-cache transfer weight in Chromium (served
  gzip-compressed, as a static host serves it), on load and with every chart drawn, and
  the same for the first page with a chart;
* the size of the whole site and of the offline archive;
* Lighthouse accessibility and performance (desktop preset) for every chapter page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from benchmarks import lighthouse, serve  # noqa: E402
from support import CHROMIUM_ARGS, draw_every_chart, toc_files  # noqa: E402

BIN = Path(sys.executable).parent
OUT = REPO / "_build" / "bench"


def build(env) -> float:
    cmd = [str(BIN / "jupyter-book"), "build", str(REPO), "--config", "book/_config.yml",
           "--toc", "book/_toc.yml", "--path-output", str(OUT), "--builder", "html",
           "-W", "--keep-going"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds


def notebook_times(env) -> dict[str, float]:
    import jupytext
    import nbformat
    from nbclient import NotebookClient

    os.environ.update(env)
    times = {}
    for path in sorted([*REPO.glob("chapters/*.md"), *REPO.glob("exercises/*.md")]):
        nb = jupytext.read(path)
        start = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        times[str(path.relative_to(REPO))] = time.perf_counter() - start
        nbformat.validate(nb)
    return times


def transfer_weights(base: str, docs: list[str]) -> dict[str, tuple[int, int]]:
    """Bytes over the wire per page on a cold cache: when it has loaded, and after the
    reader has scrolled past every chart (plotly.js is fetched when a chart comes near)."""
    from playwright.sync_api import sync_playwright

    weights = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for doc in docs:
            context = browser.new_context()  # a cold cache for every page
            page = context.new_page()
            sizes = []
            page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]
                                                              + r.sizes()["responseHeadersSize"]))
            page.goto(f"{base}/{doc}.html", wait_until="networkidle")
            on_load = sum(sizes)
            draw_every_chart(page)
            page.wait_for_load_state("networkidle")
            weights[doc] = (on_load, sum(sizes))
            context.close()
        browser.close()
    return weights


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse runs")
    args = parser.parse_args()
    env = dict(os.environ, KABULCASE_RENDERER="book")

    shutil.rmtree(OUT, ignore_errors=True)
    clean = build(env)
    (REPO / "chapters" / "01-the-case.md").touch()
    rebuild = build(env)
    print(f"clean build (every notebook executed): {clean:6.1f} s")
    print(f"rebuild after touching one chapter:    {rebuild:6.1f} s")

    print("\nnotebook execution, each alone in a fresh kernel:")
    for name, seconds in notebook_times(env).items():
        print(f"  {name:45s} {seconds:6.1f} s")

    html = OUT / "_build" / "html"
    docs = toc_files()
    server, base = serve.start(html)
    weights = transfer_weights(base, docs)
    print("\nServed gzip-compressed, as GitHub Pages serves it (benchmarks/serve.py).")
    print("page                                           own HTML   transferred, cold cache:")
    print("                                                          on load   all charts drawn")
    for doc in docs:
        own = (html / f"{doc}.html").stat().st_size
        flag = "  over 300 KB" if own > 300 * 1024 else ""
        loaded, scrolled = weights[doc]
        print(f"  {doc:45s} {kb(own):>9s}  {kb(loaded):>8s}  {kb(scrolled):>9s}{flag}")
    first_chart = next((d for d in docs if "kc-plot-data" in (html / f"{d}.html").read_text()), None)
    if first_chart:
        loaded, scrolled = weights[first_chart]
        print(f"\nfirst page with a chart ({first_chart}), cold cache: {loaded / 1e6:.2f} MB "
              f"on load, {scrolled / 1e6:.2f} MB with every chart drawn")
    total = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
    archive = html / "cameras-over-kabul-offline.zip"
    print(f"whole site: {total / 1e6:.1f} MB in {sum(1 for p in html.rglob('*') if p.is_file())} files;"
          f" offline archive {archive.stat().st_size / 1e6:.1f} MB")

    if not args.no_lighthouse:
        print("\nLighthouse (desktop preset):        accessibility  performance")
        for doc in [d for d in docs if d.startswith("chapters/")]:
            r = lighthouse.run(f"{base}/{doc}.html", ("accessibility", "performance"))
            print(f"  {doc:32s} {r['scores']['accessibility']:13.2f}  {r['scores']['performance']:11.2f}")
    server.shutdown()


if __name__ == "__main__":
    main()
