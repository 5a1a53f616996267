"""Issue #22, "Import every real-world file, and lose no word of it": how many entries of real
bibliography files Topica imports, and how many of their key fields it keeps, measured against
independent parsers.

    target/crosstool-venv/bin/python tests/crosstool/realworld.py [--cli PATH] [--json] [PATH ...]

For every .bib/.ris/.json file under tests/fixtures/real-world/ and tests/fixtures/{bibtex,ris,
csl_json}/ (or the PATHs given): a fresh library, `topica-cli import`, then `list --json` for what
Topica stored; the same file read by bibtexparser 1.4.4 (.bib), rispy (.ris) or json (.json).
Entries are paired by citation key (BibTeX, CSL `id`), then DOI, then title, then file order
(where plainly the same entry), and compared on FIELDS after one normalization applied to both
sides; a field is compared where the reference has a value. An entry left without a paper of its
own is a true duplicate (same DOI and title, or same title, year and first author as one kept),
a false merge (the report's merged + duplicates beyond the true duplicates) or lost. Printed: the
files that fall short (entries lost, fields disagreeing, with the first differing values), files
not measured (and why, with what Topica stores of them), and the totals: % entries imported,
% fields agreeing, false merges.
"""

import argparse
import codecs
import difflib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import bibtexparser
import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pybtex.database
import rispy
from bibtexparser.bibdatabase import BibDataString, BibDataStringExpression, UndefinedString
from bibtexparser.bparser import BibTexParser

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DEFAULT_ROOTS = [FIXTURES / "real-world", FIXTURES / "bibtex", FIXTURES / "ris", FIXTURES / "csl_json"]
DEFAULT_CLI = os.environ.get("TOPICA_CLI", str(ROOT / "target" / "debug" / "topica-cli"))
FORMATS = {".bib": "bibtex", ".ris": "ris", ".json": "csl-json"}

# The fields compared, in this order; `authors` is the author count, `family` the first author's.
FIELDS = ["title", "year", "doi", "family", "authors", "container", "volume", "pages"]

# Files meant to be refused: they measure nothing about real-world import. Path prefixes
# relative to tests/fixtures/.
DELIBERATELY_INVALID = {
    "bibtex/typst-biblatex_fixtures/invalid/": "typst/biblatex's invalid-input fixtures",
    "ris/jabref_RisImporter_with_expected_bib/RisImporterCorrupted.ris": "JabRef's corrupted-RIS fixture",
}
# Files that are not a bibliography in the format their extension says.
NOT_A_BIBLIOGRAPHY = {
    "csl_json/test-suite_all_humans_inputs.jsonl": "JSON lines of CSL test-suite inputs",
}

# Where the reference parser itself is wrong, the comparison is left out and counted as
# `excused`, never silently: (path relative to tests/fixtures/, citation key or "*", field) ->
# why. Keep each reason short and checkable against the file.
REFERENCE_WRONG = {
    ("bibtex/python-bibtexparser_main_gbk_test.bib", "*", "title"):
        "the file is GBK without a header; the reference reads it as Windows-1252 (Topica: U+FFFD)",
    ("bibtex/python-bibtexparser_main_gbk_test.bib", "*", "container"): "likewise",
    ("bibtex/python-bibtexparser_main_gbk_test.bib", "*", "family"): "likewise",
    ("bibtex/typst-biblatex_fixtures/valid/extended_name_format.bib", "*", "family"):
        "biblatex's extended name format (`family=…, given=…`): pybtex reads it as a plain name",
    ("real-world/bibtex/zotero-better-bibtex_import/Better_BibTeX.014.bib", "BibTeXEscapeTest1", "title"):
        "latexcodec keeps the `\\\\` line break as a backslash; the text is `\\\\{}: `, as Topica has it",
}


# ---------------------------------------------------------------------------------------------
# Normalization, the same on both sides
# ---------------------------------------------------------------------------------------------

DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")
MATH = re.compile(r"\$[^$]*\$")
DOI = re.compile(r"10(?:\.\d{4,9})?/\S+")


def norm(value):
    r"""NFC; `$…$` and `\(…\)` math decoded (Topica keeps math as TeX, `$\mu$`, where latexcodec
    already gave `µ` for the reference: both sides end up decoded); leftover LaTeX command names dropped
    (latexcodec leaves `\emph` and the like in place, Topica drops them); braces, soft hyphens
    and `$` dropped; the minus sign as a hyphen, the micro sign as mu; white space collapsed;
    case folded."""
    if value is None:
        return None
    s = unicodedata.normalize("NFC", str(value)).replace("\\(", "$").replace("\\)", "$")
    s = MATH.sub(lambda m: latex(m.group(0)).replace("$", ""), s)
    s = re.sub(r"\\[A-Za-z]+\*?\s*", "", s)
    s = s.replace("{", "").replace("}", "").replace("\u00ad", "").replace("\u2212", "-")
    s = s.replace("\u00b5", "\u03bc")  # latexcodec's `$\mu$` is the micro sign, Topica's the Greek letter
    s = re.sub(r"\s+", " ", s).strip()
    s = unicodedata.normalize("NFC", s.casefold())
    return s or None


def norm_pages(value):
    """One hyphen for any run of dashes (`--`, en dash, em dash, `-–`), no spaces, `7-7` as `7`."""
    s = norm(value)
    if s is None:
        return None
    s = DASHES.sub("-", s).replace(" ", "")
    first, _, last = s.partition("-")
    return first if last == first else s


def norm_doi(value):
    """The DOI in a value (`https://doi.org/…`, `doi:…`, `http://doi.acm.org/…` alike), short
    DOIs (`10/abc`) included. A value with no DOI in it is no DOI to keep: not compared."""
    s = norm(value)
    m = DOI.search(s) if s else None
    return m.group(0).rstrip(".") if m else None


PARTICLES = {"van", "von", "der", "den", "de", "la", "le", "du", "des", "da", "di", "del",
             "della", "dos", "das", "ten", "ter", "zu", "af", "av", "al", "el", "bin", "ibn", "in",
             "'t"}


def norm_family(value):
    """A family name without leading particles: Topica keeps `van` apart (`particle`), a
    `Last, First` RIS name or a CSL family keeps it in; both spellings are right."""
    s = norm(value)
    if s is None:
        return None
    words = s.split(" ")
    while len(words) > 1 and (words[0] in PARTICLES or words[0][-1:] in "'’"):
        words.pop(0)
    return " ".join(words)


def norm_year(value):
    """The year as a number: `2019///` (RIS), `2011-05-25`, `-0876` (876 BC), `0004-03`, a bare
    `-334`; `10 15`, `99` or `n.d.` is no year."""
    if value is None:
        return None
    if isinstance(value, int):
        return str(value)
    s = str(value).strip()
    m = re.match(r"(-?\d{4})(?!\d)", s) or re.search(r"(?<!\d)(\d{4})(?!\d)", s) \
        or re.fullmatch(r"(-\d{1,3})", s)
    return str(int(m.group(1))) if m else None


NORMALIZERS = {"title": norm, "year": norm_year, "doi": norm_doi, "family": norm_family,
               "authors": lambda n: str(n) if n else None, "container": norm, "volume": norm,
               "pages": norm_pages}


def normalized(fields):
    """{field: [normalized candidates]}; a reference may offer several right answers (RIS `T2`,
    `JF`, `JO` all name the journal), Topica offers one."""
    out = {}
    for f in FIELDS:
        vals = fields.get(f)
        vals = vals if isinstance(vals, list) else [vals]
        cands = [c for c in (NORMALIZERS[f](v) for v in vals) if c]
        out[f] = list(dict.fromkeys(cands))
    return out


# ---------------------------------------------------------------------------------------------
# Reading a file's text as the reference parsers need it
# ---------------------------------------------------------------------------------------------

def read_text(path):
    """Bytes to text as a careful reader would: a BOM, else JabRef's `% Encoding:` header, else
    UTF-8, else Windows-1252."""
    data = path.read_bytes()
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, "replace")
    if data[:1] == b"\0" or data[1:2] == b"\0":  # UTF-16 without a BOM
        return data.decode("utf-16-be" if data[:1] == b"\0" else "utf-16-le", "replace")
    m = re.search(rb"^% ?Encoding: ?([\w-]+)", data[:500], re.M)
    if m:
        try:
            return data.decode(m.group(1).decode(), "strict")
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


# ---------------------------------------------------------------------------------------------
# Reference parsers: each returns a list of Entry
# ---------------------------------------------------------------------------------------------

@dataclass
class Entry:
    key: str | None
    fields: dict  # field -> value or list of acceptable values, not yet normalized
    notes: list = field(default_factory=list)
    identity: dict | None = None  # fields that tell papers apart, when not `fields` (crossref)


class Refused(Exception):
    """The reference parser reads nothing from the file."""


# What latexcodec 3.0.1 leaves undecoded although it is plain text: filled in before decoding,
# so that the reference is not wrong where Topica is right.
LATEXCODEC_GAPS = [
    (re.compile(r"\\(La)?TeX\b\s*(\{\})?"), lambda m: (m.group(1) or "") + "TeX"),  # the logos
    (re.compile(r"\\slash\b\s*"), lambda m: "/"),
    (re.compile(r"\\[,;:!> ]"), lambda m: " "),                                  # TeX spaces
    (re.compile(r"\\dots\b\s*"), lambda m: "\u2026"),
    (re.compile(r"\\=\{?(\d)\}?"), lambda m: m.group(1) + "\u0304"),             # macron on a digit
    (re.compile(r"\\/"), lambda m: ""),                                         # italic correction
    (re.compile(r"\\[()]"), lambda m: "$"),                                      # \( \) inline math
    (re.compile(r"\\([{}])"), lambda m: m.group(1)),                             # escaped braces
    (re.compile(r"(?<!\\)%"), lambda m: "\\%"),  # a bare % is text in BibTeX; latexcodec cuts it as a comment
]


def latex(s):
    """A BibTeX value as text: LaTeX decoded by latexcodec (braces and leftovers go in norm)."""
    if s is None:
        return None
    for pattern, repl in LATEXCODEC_GAPS:
        s = pattern.sub(repl, s)
    try:
        return codecs.decode(s, "ulatex")
    except Exception:  # latexcodec gives up on some inputs; compare the raw text then
        return s


def split_names(value):
    """`A and B and others` at brace depth 0, as BibTeX splits it."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(value):
        c = value[i]
        depth += c == "{"
        depth -= c == "}"
        if depth == 0 and value[i:i + 5].lower() == " and " :
            names.append(value[start:i])
            start = i + 5
            i += 5
            continue
        i += 1
    names.append(value[start:])
    return [n.strip() for n in names if n.strip()]


def bib_family(name):
    """pybtex's BibTeX name parser: the last name(s), or von part and last name together.
    BibTeX puts every word up to the last lowercase one in the von part (`Fonseca de la |
    Bella`, `López de | Molina`); Topica keeps such names whole; both are accepted."""
    try:
        person = pybtex.database.Person(name)
        last = " ".join(person.last_names)
        return [latex(last), latex(" ".join(person.prelast_names + person.last_names))]
    except Exception:
        return latex(name.split(",")[0] if "," in name else name.split()[-1])


def bib_fields(e):
    authors = [n for n in split_names(re.sub(r"\s+", " ", e.get("author", ""))) if n.lower() != "others"]
    year = e.get("year") or e.get("date")
    return {
        "title": latex(e.get("title")),
        "year": year,
        "doi": latex(e.get("doi")),
        "family": bib_family(authors[0]) if authors else None,
        "authors": len(authors),
        "container": [latex(e.get(k)) for k in ("journal", "journaltitle", "booktitle") if e.get(k)],
        "volume": latex(e.get("volume")),
        "pages": latex(e.get("pages")),
    }


def resolve(value, missing):
    """A field value with its @string macros expanded; an undefined macro (defined in another
    file) is empty, as BibTeX takes it, and noted."""
    if isinstance(value, BibDataStringExpression):
        return "".join(resolve(part, missing) for part in value.expr)
    if isinstance(value, BibDataString):
        try:
            return resolve(value.get_value(), missing)
        except UndefinedString:
            missing.add(value.name)
            return ""
    return value


def inherited(e, by_key, depth=0):
    """The entry with what it lacks taken from its crossref parent, only to tell whether two
    entries are one paper (fields are compared as the entry itself has them: bibtexparser does
    not apply biblatex's inheritance rules)."""
    parent = by_key.get((e.get("crossref") or "").casefold())
    if parent is None or depth > 5:
        return e
    return {**inherited(parent, by_key, depth + 1), **e}


def read_bibtex(path):
    """bibtexparser 1.4.4 as the brief sets it: common month strings, every entry type kept,
    fields as written. Macros are expanded here (`resolve`) so that one undefined macro does not
    make bibtexparser refuse the whole file."""
    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False,
                          homogenize_fields=False, interpolate_strings=False)
    try:
        db = bibtexparser.loads(read_text(path), parser)
    except Exception as err:
        raise Refused(f"bibtexparser: {type(err).__name__}: {err}") from err
    missing, entries, by_key = set(), [], {}
    resolved = [{k: resolve(v, missing) for k, v in e.items()} for e in db.entries]
    for e in resolved:
        by_key.setdefault(e["ID"].casefold(), e)  # a crossref goes to the first of a repeated key
    for e in resolved:
        # biblatex's @xdata entries are field containers for other entries and @set entries
        # groups of them, not works of their own (bibtexparser lists them like any other).
        if e["ENTRYTYPE"].lower() in ("xdata", "set"):
            continue
        entries.append(Entry(e["ID"], bib_fields(e), identity=bib_fields(inherited(e, by_key))))
    if entries and missing:
        entries[0].notes.append(f"reference: undefined @string {', '.join(sorted(missing))} taken as empty")
    return entries


def ris_family(name):
    """RIS says `Last, First`; without a comma, `Brownstein C D` / `Liu R.` (initials after:
    Vancouver style, PubMed and EPPI) has the family first, `G. Kalbe` (IEEE) last."""
    name = name.strip()
    if "," in name:
        return name.split(",")[0]
    words = name.split()
    initials = 0
    while initials < len(words) - 1 and re.fullmatch(r"[A-Z]{1,3}\.?|(?:[A-Z]\.)+", words[-1 - initials]):
        initials += 1
    return " ".join(words[:-initials]) if initials else (words or [""])[-1]


def read_ris(path):
    text = read_text(path)
    if text.lstrip("\ufeff").startswith("FN "):
        return read_wos(path)
    try:
        records = rispy.loads(text)
    except Exception as err:
        raise Refused(f"rispy: {type(err).__name__}: {err}") from err
    entries = []
    for r in records:
        unknown = r.get("unknown_tag", {})
        authors = [a for a in r.get("authors", []) + r.get("first_authors", []) if a.strip()]
        titles = [r.get("title"), r.get("primary_title")]
        if not any(titles):  # books and chapters exported with the title in BT or CT only
            titles = unknown.get("BT", []) + unknown.get("CT", [])
        sp, ep = r.get("start_page"), r.get("end_page")
        entries.append(Entry(r.get("id"), {
            "title": [t for t in titles if t],
            "year": r.get("year") or r.get("publication_year") or r.get("date"),
            "doi": r.get("doi"),
            "family": ris_family(authors[0]) if authors else None,
            "authors": len(authors),
            "container": [r.get(k) for k in ("secondary_title", "alternate_title3", "journal_name",
                                             "alternate_title2", "alternate_title1") if r.get(k)],
            "volume": r.get("volume"),
            "pages": f"{sp}-{ep}" if sp and ep else sp or ep,
        }))
    return entries


def read_wos(path):
    """Web of Science's tagged export (`FN Clarivate…`, `PT J`), often saved as .ris."""
    try:
        records = rispy.load(path, implementation=rispy.WokParser)
    except Exception as err:
        raise Refused(f"rispy WokParser: {type(err).__name__}: {err}") from err
    entries = []
    for r in records:
        authors = r.get("authors", [])
        bp, ep = r.get("beginning_page"), r.get("ending_page")
        entries.append(Entry(None, {
            "title": r.get("document_title"),
            "year": r.get("publication_year"),
            "doi": r.get("doi"),
            "family": ris_family(authors[0]) if authors else None,
            "authors": len(authors),
            "container": [r.get(k) for k in ("publication_name", "iso_source_abbreviation",
                                             "source_abbreviation_29c") if r.get(k)],
            "volume": r.get("volume"),
            "pages": f"{bp}-{ep}" if bp and ep else bp or ep,
        }))
    return entries


def first(value):
    """Crossref-style CSL-JSON gives titles as lists."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def csl_year(issued):
    if isinstance(issued, dict):
        parts = issued.get("date-parts") or [[]]
        if parts and parts[0] and parts[0][0] not in (None, ""):
            return str(parts[0][0])
        return issued.get("raw") or issued.get("literal")
    return issued


def read_csl(path):
    try:
        data = json.loads(read_text(path))
    except Exception as err:
        raise Refused(f"json: {type(err).__name__}: {err}") from err
    items = [data] if isinstance(data, dict) else data if isinstance(data, list) else []
    entries = []
    for it in (i for i in items if isinstance(i, dict) and i):
        authors = [a for a in it.get("author", []) if isinstance(a, dict)]
        fam = (authors[0].get("family") or authors[0].get("literal")) if authors else None
        key = it.get("citation-key") or it.get("id")
        entries.append(Entry(str(key) if key is not None else None, {
            "title": first(it.get("title")),
            "year": csl_year(it.get("issued")),
            "doi": it.get("DOI") or it.get("doi"),
            "family": fam,
            "authors": len(authors),
            "container": [first(it.get(k)) for k in ("container-title", "container-title-short")
                          if first(it.get(k))],
            "volume": it.get("volume"),
            "pages": it.get("page"),
        }))
    return entries


READERS = {"bibtex": read_bibtex, "ris": read_ris, "csl-json": read_csl}


# ---------------------------------------------------------------------------------------------
# Topica: import into a fresh library, read back what it stored
# ---------------------------------------------------------------------------------------------

def import_flags(cli):
    """`--skip-invalid` while import is all-or-nothing by default; nothing once it is lenient."""
    out = subprocess.run([cli, "import", "--help"], capture_output=True, text=True).stdout
    return ["--skip-invalid"] if "--skip-invalid" in out else []


def topica_import(cli, flags, path):
    """(report, papers, error): the import's JSON report and `list --json` of the library."""
    with tempfile.TemporaryDirectory(prefix="topica-rw-") as tmp:
        lib = str(Path(tmp) / "lib")
        r = subprocess.run([cli, "--library", lib, "import", *flags, "--json", str(path)],
                           capture_output=True, text=True)
        try:
            report = json.loads(r.stdout) if r.stdout.strip() else {}
        except json.JSONDecodeError:
            report = {}
        if r.returncode != 0:
            err = (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[0]
            return report, [], err
        r = subprocess.run([cli, "--library", lib, "list", "--json"], capture_output=True, text=True)
        if r.returncode != 0:
            return report, [], f"list failed: {r.stderr.strip()[:200]}"
        return report, json.loads(r.stdout), None


def paper_fields(p):
    """A stored paper in the reference's terms. BibTeX's `and others` (et al.) is stored as an
    author named `others` to round-trip; it is not a person and is not counted."""
    authors = [a for a in p.get("authors") or [] if not (a.get("family") == "others" and not a.get("given"))]
    return {
        "title": p.get("title"),
        "year": p.get("year"),
        # A DOI that another work of the file already holds is kept as written in `extra`
        # (one DOI on two works is the file's mistake; merging them would lose a title).
        "doi": p.get("doi") or (p.get("extra") or {}).get("doi"),
        "family": authors[0].get("family") if authors else None,
        "authors": len(authors),
        "container": p.get("container"),
        "volume": p.get("volume"),
        "pages": p.get("pages"),
    }


# ---------------------------------------------------------------------------------------------
# Pairing and comparing
# ---------------------------------------------------------------------------------------------

def pair(entries, papers):
    """[(entry index, paper index)] by key, then DOI, then title; what is left is paired in file
    order, but only where the two plainly are the same entry (a close title, or the same first
    author and year), so that a lost entry is not compared with an unrelated paper."""
    pairs, free = {}, set(range(len(papers)))
    ref = [normalized(e.fields) for e in entries]
    top = [normalized(paper_fields(p)) for p in papers]

    def by(get_e, get_p):
        index = {}
        for j in sorted(free):
            for k in get_p(j):
                index.setdefault(k, []).append(j)
        for i in range(len(entries)):
            if i in pairs:
                continue
            for k in get_e(i):
                js = [j for j in index.get(k, []) if j in free]
                if js:  # several (a repeated key): the closest title
                    j = max(js, key=lambda j: similarity(ref[i]["title"], top[j]["title"]))
                    pairs[i] = j
                    free.discard(j)
                    break

    by(lambda i: [entries[i].key] if entries[i].key else [], lambda j: [papers[j].get("citationKey")])
    by(lambda i: [entries[i].key.casefold()] if entries[i].key else [],
       lambda j: [(papers[j].get("citationKey") or "").casefold()])
    by(lambda i: ref[i]["doi"], lambda j: top[j]["doi"])
    by(lambda i: ref[i]["title"], lambda j: top[j]["title"])
    for i in [i for i in range(len(entries)) if i not in pairs]:
        j = next((j for j in sorted(free) if alike(ref[i], top[j])), None)
        if j is not None:
            pairs[i] = j
            free.discard(j)
    return sorted(pairs.items()), ref, top


def similarity(a, b):
    """Of two normalized titles (candidate lists), 0 to 1."""
    if not (a and b):
        return 0.0
    return difflib.SequenceMatcher(None, a[0], b[0]).ratio()


def alike(r, t):
    if r["title"] and t["title"]:
        return similarity(r["title"], t["title"]) >= 0.6
    return bool(r["family"] and r["family"][:1] == t["family"] and r["year"][:1] == t["year"][:1])


def same_paper(a, b):
    """Two reference entries that are one paper, which Topica is right to merge: the same DOI and
    a close title (a book and its chapter may share a DOI), or no clashing DOI, a close title and
    the same year and first author."""
    if a["doi"] and b["doi"] and a["doi"][0] != b["doi"][0]:
        return False
    if not (a["title"] and b["title"]):
        return bool(a["doi"] and b["doi"]) and not (a["title"] or b["title"])
    close = similarity(a["title"], b["title"]) >= 0.9
    if a["doi"] and b["doi"]:
        return close
    return close and all(a[f][:1] == b[f][:1] for f in ("year", "family"))


def empty(n):
    """An entry with none of FIELDS (a bare `TY  - GEN` record, an empty @misc{}): nothing of
    it can be compared, and whether Topica should keep it is another question. Counted apart."""
    return not any(n[f] for f in FIELDS if f != "authors")


@dataclass
class FileResult:
    path: str
    format: str
    reference: int = 0          # entries the reference parser reads, but empty ones
    empty: int = 0              # entries with none of FIELDS (see `empty`)
    empty_lost: int = 0
    topica: int = 0             # added + merged + duplicates, from Topica's report
    stored: int = 0             # papers in the library after the import
    lost: int = 0               # reference entries with no stored paper, not explained by a merge
    merged_duplicates: int = 0  # entries rightly merged into another (same DOI, or title+year+author)
    false_merges: int = 0       # distinct reference entries folded into another paper
    compared: int = 0           # field comparisons made
    agreed: int = 0
    excused: int = 0            # comparisons left out because the reference is wrong (REFERENCE_WRONG)
    skipped: list = field(default_factory=list)     # Topica's skipped records (line: reason)
    differences: list = field(default_factory=list)  # [key, field, reference value, Topica value]
    unmatched: list = field(default_factory=list)   # keys/titles of lost or merged entries
    notes: list = field(default_factory=list)
    error: str | None = None


def compare(rel, fmt, entries, report, papers, error):
    res = FileResult(rel, fmt, stored=len(papers), error=error)
    res.topica = sum(int(report.get(k, 0)) for k in ("added", "merged", "duplicates"))
    res.skipped = [f"{s.get('line')}: {s.get('reason')}" for s in report.get("skipped", [])]
    res.notes = [n for e in entries for n in e.notes]
    pairs, ref, top = pair(entries, papers)
    for i, j in pairs:
        key = entries[i].key or f"#{i + 1}"
        for f in FIELDS:
            want, got = ref[i][f], top[j][f]
            if not want:
                continue  # nothing to keep
            if (rel, key, f) in REFERENCE_WRONG or (rel, "*", f) in REFERENCE_WRONG:
                res.excused += 1
                continue
            res.compared += 1
            if got and got[0] in want:
                res.agreed += 1
            else:
                res.differences.append([key, f, shown(entries[i].fields[f]), shown(paper_fields(papers[j])[f])])
    # An entry without a paper of its own is the same paper as one kept (merged, or skipped as a
    # duplicate key: no word lost either way), or else was merged into a different paper (the
    # report's `merged` + `duplicates` beyond the true duplicates: a false merge), or is lost.
    matched = [i for i, _ in pairs]
    unmatched = [i for i in range(len(entries)) if i not in set(matched)]
    folds = int(report.get("merged", 0)) + int(report.get("duplicates", 0))
    ident = [normalized(e.identity) if e.identity else ref[i] for i, e in enumerate(entries)]
    dups = [i for i in unmatched if any(same_paper(ident[i], ident[k]) for k in matched)]
    others = [i for i in unmatched if i not in dups]
    res.merged_duplicates = len(dups)
    res.false_merges = min(max(0, folds - len(dups)), len(others))
    lost = others[res.false_merges:]
    # Empty entries cannot be paired: those Topica kept are among the papers left unpaired.
    res.empty = sum(1 for n in ref if empty(n))
    res.empty_lost = max(0, sum(1 for i in lost if empty(ref[i])) - (len(papers) - len(pairs)))
    res.reference = len(entries) - res.empty
    res.lost = sum(1 for i in lost if not empty(ref[i]))
    res.unmatched = [entries[i].key or (ref[i]["title"] or [f"#{i + 1}"])[0][:60] for i in others + dups
                     if not empty(ref[i])]
    return res


def shown(v):
    v = v[0] if isinstance(v, list) and v else v
    return None if v in (None, []) else str(v)[:80]


# ---------------------------------------------------------------------------------------------
# Running over the files
# ---------------------------------------------------------------------------------------------

def rel_path(path):
    try:
        return str(path.resolve().relative_to(FIXTURES))
    except ValueError:
        return str(path)


def discover(roots):
    files = []
    for root in map(Path, roots):
        files += [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    return files


def measure_one(cli, flags, path):
    rel = rel_path(path)
    fmt = FORMATS.get(path.suffix.lower())
    for prefix, why in {**DELIBERATELY_INVALID, **NOT_A_BIBLIOGRAPHY}.items():
        if rel.startswith(prefix):
            return {"path": rel, "reason": why}
    if fmt is None:
        return None  # README, LICENSE, expected-output formats: not measured
    try:
        entries, reason = READERS[fmt](path), "the reference reads no entry"
    except Refused as err:
        entries, reason = [], f"the reference refuses it ({err})"[:200]
    report, papers, error = topica_import(cli, flags, path)
    if not entries:  # not measured, but what Topica makes of it is worth seeing
        return {"path": rel, "reason": reason, "topicaStored": len(papers), "topicaError": error}
    return compare(rel, fmt, entries, report, papers, error)


def measure(cli=DEFAULT_CLI, roots=None, jobs=2 * (os.cpu_count() or 2)):
    """The measurement as a dict: {"totals", "files", "excluded"}."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    flags = import_flags(cli)
    files = discover(roots or DEFAULT_ROOTS)
    # Processes, not threads: bibtexparser (pyparsing) is CPU-bound Python; more workers than
    # cores, as each also waits on the CLI.
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        results = [r for r in ex.map(measure_one, [cli] * len(files), [flags] * len(files), files,
                                     chunksize=4) if r is not None]
    measured = [r for r in results if isinstance(r, FileResult)]
    excluded = [r for r in results if isinstance(r, dict)]
    return {"totals": totals(measured, excluded, flags), "files": [asdict(r) for r in measured],
            "excluded": excluded}


def totals(measured, excluded, flags):
    def block(rs):
        ref = sum(r.reference for r in rs)
        lost = sum(r.lost for r in rs)
        comp = sum(r.compared for r in rs)
        agr = sum(r.agreed for r in rs)
        return {"files": len(rs), "entries": ref, "imported": ref - lost, "lost": lost,
                "importedPct": round(100 * (ref - lost) / ref, 2) if ref else 100.0,
                "fieldsCompared": comp, "fieldsAgreeing": agr,
                "agreementPct": round(100 * agr / comp, 2) if comp else 100.0,
                "falseMerges": sum(r.false_merges for r in rs), "excused": sum(r.excused for r in rs),
                "mergedDuplicates": sum(r.merged_duplicates for r in rs),
                "emptyEntries": sum(r.empty for r in rs), "emptyLost": sum(r.empty_lost for r in rs),
                "filesFallingShort": sum(1 for r in rs if r.lost or r.false_merges or r.differences)}
    by_field = {}
    for r in measured:
        for d in r.differences:
            by_field[d[1]] = by_field.get(d[1], 0) + 1
    return {**block(measured),
            "realWorld": block([r for r in measured if r.path.startswith("real-world/")]),
            "otherFixtures": block([r for r in measured if not r.path.startswith("real-world/")]),
            "disagreementsByField": dict(sorted(by_field.items(), key=lambda kv: -kv[1])),
            "excludedFiles": len(excluded), "importFlags": flags}


def print_table(result, out=sys.stdout):
    files = [FileResult(**f) for f in result["files"]]
    short = [r for r in files if r.lost or r.false_merges or r.differences or r.error or r.empty_lost]
    short.sort(key=lambda r: (-r.lost - r.false_merges, r.agreed - r.compared, r.path))
    w = out.write
    w(f"Files falling short ({len(short)} of {len(files)}):\n")
    w(f"{'file':<70} {'ref':>5} {'lost':>5} {'fm':>3} {'agree':>9}  first difference\n")
    for r in short:
        diff = ""
        if r.error:
            diff = f"import failed: {r.error}"
        elif r.differences:
            k, f, a, b = r.differences[0]
            diff = f"{k}.{f}: {a!r} vs Topica {b!r}"
        elif r.unmatched:
            diff = f"not stored: {', '.join(map(str, r.unmatched[:3]))}"
        if r.skipped and not r.error:
            diff += f"  [skipped line {r.skipped[0]}]"
        name = r.path if len(r.path) <= 70 else "…" + r.path[-69:]
        w(f"{name:<70} {r.reference:>5} {r.lost:>5} {r.false_merges:>3} {r.agreed:>4}/{r.compared:<4}  {diff[:160]}\n")
    if result["excluded"]:
        w(f"\nNot measured ({len(result['excluded'])}):\n")
        for e in result["excluded"]:
            topica = f"; Topica: {e['topicaError']}" if e.get("topicaError") else \
                f"; Topica stores {e['topicaStored']}" if "topicaStored" in e else ""
            w(f"  {e['path']}: {e['reason']}{topica}\n")
    t = result["totals"]
    w("\nDisagreements by field: " + ", ".join(f"{k} {v}" for k, v in t["disagreementsByField"].items()) + "\n")
    for name, b in (("real-world", t["realWorld"]), ("other fixtures", t["otherFixtures"]), ("all", t)):
        w(f"{name:>15}: {b['files']} files, {b['imported']}/{b['entries']} entries imported "
          f"({b['importedPct']:.2f} %), {b['fieldsAgreeing']}/{b['fieldsCompared']} fields agree "
          f"({b['agreementPct']:.2f} %), {b['falseMerges']} false merges "
          f"({b['mergedDuplicates']} true duplicates merged), {b['excused']} comparisons excused, "
          f"{b['emptyLost']}/{b['emptyEntries']} empty entries dropped\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="files or directories (default: the fixtures)")
    ap.add_argument("--cli", default=DEFAULT_CLI, help="topica-cli to measure")
    ap.add_argument("--json", action="store_true", help="print the measurement as JSON")
    ap.add_argument("--jobs", type=int, default=2 * (os.cpu_count() or 2))
    args = ap.parse_args(argv)
    result = measure(args.cli, args.paths or None, args.jobs)
    if args.json:
        json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
        print()
    else:
        print_table(result)


if __name__ == "__main__":
    main()
