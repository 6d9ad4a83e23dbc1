"""The nbgitpuller link of each exercise set is well formed and opens a file that exists."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from support import REPO

from kabulcase.instructor import links

CONFIG = yaml.safe_load((REPO / "book" / "_config.yml").read_text())


def _tracked(path: str) -> bool:
    return subprocess.run(["git", "-C", str(REPO), "ls-files", "--error-unmatch", path],
                          capture_output=True).returncode == 0


def test_there_is_a_link_for_every_exercise_set():
    found = links.exercise_links()
    assert list(found) == sorted(p.name.split("-")[0] for p in (REPO / "exercises").glob("ex*.md"))
    assert len(found) == 7


@pytest.mark.parametrize("exercise, url", sorted(links.exercise_links("https://hub.example.edu/course").items()))
def test_each_link_is_a_well_formed_git_pull_url(exercise, url):
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc == "hub.example.edu"
    assert parts.path == "/course/hub/user-redirect/git-pull"
    assert " " not in url and "%3A%2F%2F" in parts.query  # the repo URL is percent-encoded
    query = parse_qs(parts.query, strict_parsing=True)
    assert sorted(query) == ["branch", "repo", "urlpath"]
    assert all(len(v) == 1 for v in query.values())
    assert query["repo"] == [CONFIG["repository"]["url"]]
    assert query["branch"] == [CONFIG["repository"]["branch"]]
    urlpath = query["urlpath"][0]
    prefix = f"lab/tree/{CONFIG['repository']['url'].rstrip('/').split('/')[-1]}/"
    assert urlpath.startswith(prefix)
    target = urlpath[len(prefix):]
    assert target.startswith(f"exercises/{exercise}-") and (REPO / target).is_file()
    assert _tracked(target), f"{target} is not committed, so a pull would not bring it"


def test_a_link_to_a_missing_file_is_refused():
    with pytest.raises(ValueError, match="not a file of the repository"):
        links.link("exercises/ex99-nothing.md")


@pytest.mark.parametrize("hub", ["http://hub.example.edu", "hub.example.edu", "https://hub.example.edu/?x=1"])
def test_a_bad_hub_address_is_refused(hub):
    with pytest.raises(ValueError, match="hub address"):
        links.link("exercises/ex01-the-case.md", hub)


def test_the_links_follow_the_one_repository_setting(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://git.example.org/course/fork.git\n  branch: term-2027\n")
    url = links.link("exercises/ex01-the-case.md", config=config)
    query = parse_qs(urlsplit(url).query)
    assert query["repo"] == ["https://git.example.org/course/fork.git"]
    assert query["branch"] == ["term-2027"]
    assert query["urlpath"] == ["lab/tree/fork/exercises/ex01-the-case.md"]


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and "/git-pull?" in href:
            self.hrefs.append(href)  # HTMLParser has already unescaped &amp;


def links_on_page(page) -> list[str]:
    parser = _Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


def test_the_guide_shows_each_link_intact(built_book):
    # A Markdown output would escape the '&' between query fields twice (&amp;amp;).
    assert built_book["returncode"] == 0, "the book did not build; see _build/test-book.log"
    found = links_on_page(built_book["html"] / "book" / "instructor-guide.html")
    assert found == list(links.exercise_links().values())
