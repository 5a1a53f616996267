"""`topica-cli … --json`: one naming convention (camelCase) across commands, and every paper
named by its library id with its arXiv id beside it, as scripts (jq) need."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = os.environ.get("TOPICA_CLI", str(ROOT / "target" / "debug" / "topica-cli"))


def cli_json(lib, *args):
    r = subprocess.run([CLI, "--library", str(lib), *args, "--json"], capture_output=True, text=True)
    assert r.returncode == 0, f"topica-cli {' '.join(args)} failed:\n{r.stderr}"
    return json.loads(r.stdout)


def keys(value):
    """Every object key anywhere in a JSON value, but inside a paper's `extra` (its source's
    own field names, data rather than schema)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            if k != "extra":
                yield from keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from keys(v)


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli-json") / "lib"
    cli_json(d, "import-sample")
    return d


def test_every_json_output_is_camel_case(lib):
    outputs = {
        "list": cli_json(lib, "list"),
        "stats": cli_json(lib, "stats"),
        "search": cli_json(lib, "search", "speech enhancement"),
        "related": cli_json(lib, "related", "2212.11851"),
        "topics": cli_json(lib, "topics"),
    }
    for name, out in outputs.items():
        assert out, f"{name} printed nothing"
        snake = sorted({k for k in keys(out) if not re.fullmatch(r"[a-z][a-zA-Z0-9]*", k)})
        assert not snake, f"{name} --json has keys that are not camelCase: {snake}"


def test_papers_carry_their_arxiv_id_beside_the_library_id(lib):
    by_id = {p["id"]: p["arxivId"] for p in cli_json(lib, "list")}
    hits = cli_json(lib, "search", "speech enhancement")
    assert hits and all(by_id[h["id"]] == h["arxivId"] for h in hits)
    topics = cli_json(lib, "topics")
    members = [p for t in topics for p in t["papers"]]
    assert len({p["id"] for t in topics if t["level"] == "leaf" for p in t["papers"]}) == len(by_id)
    assert all(p["arxivId"] == by_id[p["id"]] for p in members)
