"""nbgitpuller links: one click on a JupyterHub opens an exercise set, pulled from git.

The link follows nbgitpuller's documented form (the one Berkeley's Data 8 uses)::

    https://<hub>/hub/user-redirect/git-pull?repo=<url>&branch=<branch>&urlpath=lab/tree/<dir>/<path>

nbgitpuller clones ``repo`` at ``branch`` into ``<dir>`` (the repository's name) in the
learner's home on the first click, merges new commits on later clicks without touching
the learner's own edits, and opens ``urlpath``. The repository and branch come from the
one setting in ``book/_config.yml`` (``repository.url`` and ``repository.branch``), so the
links follow a fork; only the hub's address is the instructor's own.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import yaml

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "book" / "_config.yml"
# A reserved example domain (RFC 2606): the guide's links say plainly that they need the
# course's own hub address.
EXAMPLE_HUB = "https://hub.example.edu"


def repository(config: str | Path = CONFIG) -> tuple[str, str]:
    """(url, branch) from the book's configuration."""
    settings = yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}
    repo = settings.get("repository") or {}
    url, branch = repo.get("url"), repo.get("branch")
    if not url or not branch:
        raise ValueError(f"{Path(config).name} needs repository.url and repository.branch "
                         f"(the repository the links pull from).")
    return str(url).rstrip("/"), str(branch)


def _hub(hub: str) -> str:
    parts = urlsplit(hub.strip())
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"The hub address should be like https://hub.example.edu (https, no "
                         f"query); got {hub!r}.")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def repo_dir(url: str) -> str:
    """The folder nbgitpuller clones into: the repository's name."""
    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return name.removesuffix(".git")


def link(path: str, hub: str = EXAMPLE_HUB, *, config: str | Path = CONFIG,
         root: str | Path = REPO) -> str:
    """The nbgitpuller link that opens ``path`` (relative to the repository) in JupyterLab."""
    if not (Path(root) / path).is_file():
        raise ValueError(f"{path} is not a file of the repository, so the link would open nothing.")
    url, branch = repository(config)
    query = urlencode({"repo": url, "branch": branch,
                       "urlpath": f"lab/tree/{repo_dir(url)}/{Path(path).as_posix()}"},
                      quote_via=quote, safe="")  # as encodeURIComponent in nbgitpuller's generator
    return f"{_hub(hub)}/hub/user-redirect/git-pull?{query}"


def exercise_links(hub: str = EXAMPLE_HUB, *, root: str | Path = REPO) -> dict[str, str]:
    """exNN -> link, for every exercise source in exercises/."""
    sources = sorted((Path(root) / "exercises").glob("ex[0-9]*.md"))
    return {p.name.split("-")[0]: link(p.relative_to(root).as_posix(), hub, root=root)
            for p in sources}
