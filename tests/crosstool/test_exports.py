"""Third-party tools read Topica's exports: every key, entry count and the fields we wrote must
come back. Exports are made by the real `topica-cli` ($TOPICA_CLI) from two real libraries:
the embedded sample (94 arXiv abstracts, no titles yet) and a 60-paper arXiv metadata fixture
(accented names, $math$ titles, DOIs)."""

import codecs
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pybtex.database
import pytest
import rispy
from bibtexparser.bparser import BibTexParser

ROOT = Path(__file__).resolve().parents[2]
CLI = os.environ.get("TOPICA_CLI", str(ROOT / "target" / "debug" / "topica-cli"))
FORMATS = ["bibtex", "biblatex", "ris", "csl-json", "apa", "ieee", "chicago", "mla", "nature"]


def cli(lib, *args):
    r = subprocess.run([CLI, "--library", str(lib), *args], capture_output=True, text=True)
    assert r.returncode == 0, f"topica-cli {' '.join(args)} failed:\n{r.stderr}"
    return r.stdout


def hostile_items(n, seed=21):
    """CSL-JSON items whose every text field is hostile: LaTeX specials, unbalanced braces, `%`,
    `@`, `#`, backslashes, quotes, accents, CJK, emoji, control characters, very long words."""
    import random
    rng = random.Random(seed)
    specials = list("{}\\%$&#_^~@,=\"'`()[]<>|-.:;/*?!")
    unicode = list("éüßøÅñçłőœæığΩπ∑≤→中文ア한😀\u0301\u00a0–—“”«»")
    controls = ["\n", "\t", "\u0007", "\u001b"]
    def text(lo, hi):
        pool = [chr(rng.randint(97, 122)) for _ in range(8)] + [" "] * 3 + specials + unicode + controls
        if rng.random() < 0.05:
            return "w" * rng.randint(300, 2000)
        return "".join(rng.choice(pool) for _ in range(rng.randint(lo, hi))).strip() or "t"
    # Name parts: no white space, no `~` (a tie in a name), no comma — biber decodes a name and
    # then refuses more than two commas, braces or not (our own round trip tests commas).
    def word():
        return "".join(c for c in text(1, 10) if not c.isspace() and c.isprintable() and c not in "~,") or "N"
    items = []
    for i in range(n):
        items.append({
            "id": f"h{i}", "type": "article-journal", "title": text(5, 80), "abstract": text(20, 300),
            "container-title": text(3, 40), "publisher": text(3, 30), "volume": str(rng.randint(1, 99)),
            "author": [{"family": word(), "given": word()} for _ in range(rng.randint(1, 4))],
            "issued": {"date-parts": [[rng.randint(1500, 2090)]]},
        })
    return items


@pytest.fixture(scope="session", params=["fixture", "sample"])
def library(request, tmp_path_factory):
    """(name, papers as `list --json` shows them, {format: exported text}, export dir)."""
    d = tmp_path_factory.mktemp(request.param)
    lib = d / "lib"
    if request.param == "sample":
        cli(lib, "import-sample")
    else:
        # 0704.1049's abstract has math with an unbalanced `}`: once, it broke every parser.
        cli(lib, "import", str(ROOT / "tests/fixtures/export/arxiv-first60.jsonl"),
            str(ROOT / "tests/fixtures/export/arxiv-0704.1049.jsonl"))
    out = {}
    for fmt in FORMATS:
        path = d / f"refs-{fmt}.out"
        cli(lib, "export", "--format", fmt, "-o", str(path))
        out[fmt] = path.read_text(encoding="utf-8")
    papers = json.loads(cli(lib, "list", "--json"))
    assert papers, "library is empty"
    assert all(p["citationKey"] for p in papers)
    return request.param, papers, out, d


def keys(papers):
    return {p["citationKey"] for p in papers}


def by_key(papers):
    return {p["citationKey"]: p for p in papers}


def delatex(s):
    """LaTeX → Unicode with latexcodec, braces dropped, whitespace collapsed."""
    s = codecs.decode(s, "ulatex")
    # Text-mode symbol commands latexcodec leaves alone.
    for cmd, ch in (("\\textasciicircum", "^"), ("\\textasciitilde", "~"), ("\\textbackslash", "\\"),
                    ("\\textbraceleft", ""), ("\\textbraceright", "")):
        s = s.replace(cmd + " ", ch).replace(cmd, ch)
    return " ".join(s.replace("{", "").replace("}", "").split())


def plain(s):
    return " ".join((s or "").split())


def same_text(exported, stored):
    """Exported LaTeX reads back as the stored text. Math ($...$) and literal backslashes are
    TeX that latexcodec re-spaces (and it does not decode \\textasciitilde or \\textasciicircum),
    so there only the letters and digits are compared."""
    if any(ch in stored for ch in "$\\~^{}"):
        alnum = lambda t: "".join(c for c in t if c.isalnum())
        return alnum(delatex(exported)) == alnum(stored)
    return delatex(exported) == plain(stored)


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_bibtexparser_reads_every_entry_and_field(library, fmt):
    _, papers, out, _ = library
    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)
    db = bibtexparser.loads(out[fmt], parser=parser)
    assert len(db.entries) == len(papers)
    assert {e["ID"] for e in db.entries} == keys(papers)
    truth = by_key(papers)
    for e in db.entries:
        p = truth[e["ID"]]
        assert e["eprint"] == p["arxivId"]
        if fmt == "bibtex":
            assert e["archiveprefix"] == "arXiv"
            assert e.get("primaryclass") == (p["categories"][0] if p["categories"] else None)
            assert e["year"] == str(p["year"])
        else:
            assert e["eprinttype"] == "arXiv"
            assert e.get("eprintclass") == (p["categories"][0] if p["categories"] else None)
            assert e["date"].startswith(str(p["year"]))
        assert e["url"] == f"https://arxiv.org/abs/{p['arxivId']}"
        if p["authors"]:
            assert len(e["author"].split(" and ")) == len(p["authors"])
        else:
            assert "author" not in e
        if p.get("title"):
            assert same_text(e["title"], p["title"]), e["ID"]
        if p.get("doi"):
            assert e["doi"] == p["doi"]
        if p.get("abstract"):
            assert same_text(e["abstract"], p["abstract"]), e["ID"]


def test_pybtex_reads_names_and_keys(library):
    _, papers, out, _ = library
    bib = pybtex.database.parse_string(out["bibtex"], "bibtex")
    assert len(bib.entries) == len(papers)
    assert set(bib.entries.keys()) == keys(papers)
    truth = by_key(papers)
    for key, entry in bib.entries.items():
        p = truth[key]
        people = entry.persons.get("author", [])
        assert len(people) == len(p["authors"]), key
        for person, a in zip(people, p["authors"]):
            family = delatex(" ".join(person.last_names))
            assert family == a["family"], key
            if a.get("given"):
                assert delatex(" ".join(person.first_names + person.middle_names)) == a["given"], key


def test_rispy_reads_every_record(library):
    _, papers, out, _ = library
    entries = rispy.loads(out["ris"])
    assert len(entries) == len(papers)
    assert {e["id"] for e in entries} == keys(papers)
    truth = by_key(papers)
    for e in entries:
        p = truth[e["id"]]
        assert e["type_of_reference"] == "GEN"
        assert len(e.get("authors", [])) == len(p["authors"])
        for name, a in zip(e.get("authors", []), p["authors"]):
            assert name.split(",")[0].strip() == a["family"]
        if p.get("title"):
            assert e["title"] == plain(p["title"])
        assert e["year"] == str(p["year"])
        if p.get("doi"):
            assert e["doi"] == p["doi"]
        assert e["urls"] == [f"https://arxiv.org/abs/{p['arxivId']}"]
        assert e["accession_number"] == f"arXiv:{p['arxivId']}"


def test_citeproc_py_reads_csl_json_and_renders_every_item(library):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    _, papers, out, _ = library
    items = json.loads(out["csl-json"])
    assert len(items) == len(papers)
    assert {i["id"] for i in items} == keys(papers)
    source = CiteProcJSON(items)
    truth = by_key(papers)
    for key, p in truth.items():
        ref = source[key.lower()]  # citeproc-py lower-cases ids
        names = [str(n.family) for n in ref.get("author", [])]
        assert names == [a["family"] for a in p["authors"]], key
        assert ref.issued.year == p["year"], key
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bib = CitationStylesBibliography(style, source, formatter.plain)
    for key in truth:
        bib.register(Citation([CitationItem(key)]))
    rendered = [str(r) for r in bib.bibliography()]
    assert len(rendered) == len(papers)
    for p in papers:
        if p["authors"]:
            assert any(p["authors"][0]["family"] in r for r in rendered), p["citationKey"]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed (scripts/setup-system.sh installs it)")
def test_pandoc_reads_csl_json_and_cites_every_item(library):
    """pandoc (its citeproc library is what Word/LaTeX users run through `--citeproc`) parses our
    CSL-JSON into its typed reference model: writing it back must keep every item and field we
    wrote, and citing every item with the APA style must give one reference per paper."""
    _, papers, out, d = library
    src = d / "refs.json"
    src.write_text(out["csl-json"], encoding="utf-8")
    r = subprocess.run(["pandoc", "-f", "csljson", "-t", "csljson", str(src)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    back = {i["id"]: i for i in json.loads(r.stdout)}
    ours = {i["id"]: i for i in json.loads(out["csl-json"])}
    assert back.keys() == ours.keys() == keys(papers)
    for key, item in ours.items():
        got = back[key]
        # Fields pandoc's model keeps as written (it re-cases some titles, so those compare folded).
        for field in ("type", "DOI", "URL", "number", "archive", "container-title", "volume", "issue", "page"):
            assert got.get(field) == item.get(field), (key, field, got.get(field), item.get(field))
        # pandoc moves a lower-case prefix of a family name into the particle ("de Marrais"): the same name.
        # It also typesets apostrophes ("Fal'ko" → "Fal’ko"), so those compare unified.
        family = lambda i: ["".join(f"{a.get('non-dropping-particle', '')}{a.get('family', a.get('literal'))}".split()).replace("’", "'") for a in i.get("author", [])]
        assert family(got) == family(item), key
        assert got.get("issued", {}).get("date-parts") == item.get("issued", {}).get("date-parts"), key
        title = lambda i: plain(i.get("title", "")).lower().replace("’", "'")
        assert title(got) == title(item), key
    (d / "cite-all.md").write_text('---\nnocite: "@*"\n...\n', encoding="utf-8")
    r = subprocess.run(
        ["pandoc", str(d / "cite-all.md"), "--citeproc", "--wrap=none", "-t", "plain",
         "--bibliography", str(src), "--csl", str(ROOT / "crates/topica-formats/resources/csl/apa.csl")],
        capture_output=True, text=True,
    )
    assert r.returncode == 0, r.stderr
    entries = [e for e in r.stdout.split("\n\n") if e.strip()]
    assert len(entries) == len(papers), r.stdout[:2000]
    for p in papers:
        if p["authors"]:
            assert any(p["authors"][0]["family"] in e for e in entries), p["citationKey"]


def test_formatted_references_one_per_paper(library):
    _, papers, out, _ = library
    for fmt in ["apa", "ieee", "chicago", "mla", "nature"]:
        lines = [l for l in out[fmt].splitlines() if l.strip()]
        assert len(lines) == len(papers), fmt
    numbered = [l for l in out["ieee"].splitlines() if l.strip()]
    assert [re.match(r"\[(\d+)\]", l).group(1) for l in numbered] == [str(i + 1) for i in range(len(papers))]


def biber_validate(text, d, name):
    """Runs `biber --tool --validate-datamodel` on `text`: (its log, its WARN lines, the entries it
    wrote back), after asserting it exited cleanly with no ERROR."""
    src, back = d / f"{name}-in.bib", d / f"{name}-out.bib"
    src.write_text(text, encoding="utf-8")
    r = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file", str(back), str(src)],
        capture_output=True, text=True, cwd=d,
    )
    log = r.stdout + r.stderr
    assert r.returncode == 0, log[-3000:]
    assert "ERROR" not in log, log[-3000:]
    warnings = [l for l in log.splitlines() if l.startswith("WARN")]
    entries = bibtexparser.loads(back.read_text(encoding="utf-8"), parser=BibTexParser(ignore_nonstandard_types=False)).entries
    return log, warnings, entries


@pytest.mark.skipif(shutil.which("biber") is None, reason="biber not installed (scripts/setup-system.sh installs it)")
def test_biber_validates_the_biblatex_data_model(library):
    name, papers, out, d = library
    log, warnings, entries = biber_validate(out["biblatex"], d, "biber")
    if name == "fixture":
        # Every paper has title, authors and a date: nothing may be missing or unknown.
        assert warnings == [], "\n".join(warnings)
    else:
        # Sample papers have no title or authors yet; biber may say so, and only that.
        assert all("missing" in w.lower() or "mandatory" in w.lower() for w in warnings), "\n".join(warnings)
    assert {e["ID"] for e in entries} == keys(papers)


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex not installed (scripts/setup-system.sh installs it)")
def test_bibtex_formats_every_entry_with_plain_bst(library):
    name, papers, out, d = library
    (d / "refs.bib").write_text(out["bibtex"], encoding="utf-8")
    # The .aux a `\nocite{*}` document leaves after its first LaTeX run.
    (d / "doc.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    r = subprocess.run(["bibtex", "doc"], capture_output=True, text=True, cwd=d)
    blg = (d / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert r.returncode in (0, 1), r.stdout + blg  # 1 = warnings only, 2+ = errors
    assert "error message" not in blg, blg
    bbl = (d / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    cited = re.findall(r"\\bibitem\{([^}]*)\}", bbl)
    assert sorted(cited) == sorted(keys(papers))
    if name == "fixture":
        assert r.returncode == 0 and "Warning--" not in blg, blg


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """1,000 hostile papers imported from CSL-JSON: (papers, {format: exported text}, dir)."""
    d = tmp_path_factory.mktemp("hostile")
    lib = d / "lib"
    src = d / "hostile.json"
    src.write_text(json.dumps(hostile_items(1000), ensure_ascii=False), encoding="utf-8")
    cli(lib, "import", str(src))
    out = {}
    for fmt in ("bibtex", "biblatex"):
        path = d / f"hostile-{fmt}.bib"
        cli(lib, "export", "--format", fmt, "-o", str(path))
        out[fmt] = path.read_text(encoding="utf-8")
    papers = json.loads(cli(lib, "list", "--json"))
    assert len(papers) == 1000
    return papers, out, d


def test_pybtex_reads_1000_hostile_entries_whole(hostile):
    """Every entry, every author, and every letter and digit of title and abstract: nothing cut
    short or lost. Compared without accents (and ı as i): latexcodec decodes one accent per letter (`ǘ`,
    written `{\\'{\\"{u}}}`, comes back `ü`; `ḿ` comes back `m`), a limit of the reader; the
    accents themselves are checked on the fixture library above."""
    import unicodedata
    papers, out, _ = hostile
    # An accented i is written on a dotless i (`{\\'{\\i}}`, as LaTeX wants it): ı and i compare equal.
    bare = lambda t: "".join(c for c in unicodedata.normalize("NFD", t) if c.isalnum()).replace("ı", "i")
    bib = pybtex.database.parse_string(out["bibtex"], "bibtex")
    assert set(bib.entries.keys()) == keys(papers)
    truth = by_key(papers)
    for key, entry in bib.entries.items():
        p = truth[key]
        assert len(entry.persons.get("author", [])) == len(p["authors"]), key
        for field in ("title", "abstract"):
            assert bare(delatex(entry.fields[field])) == bare(p[field]), (key, field)


@pytest.mark.skipif(shutil.which("biber") is None, reason="biber not installed (scripts/setup-system.sh installs it)")
def test_biber_validates_1000_hostile_entries(hostile):
    papers, out, d = hostile
    log, warnings, entries = biber_validate(out["biblatex"], d, "hostile")
    assert warnings == [], log[-3000:]
    assert {e["ID"] for e in entries} == keys(papers)
