//! `topica-cli bench zotero`: importing a 10,000-item Zotero library (generated in Zotero's
//! table layout, `tests/fixtures/zotero/small-library.sql`'s, by Python's sqlite3), beside the
//! same 10,000 records imported from a BibTeX file in the same run. The issue's goal: ≤ 10 s.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use topica_core::{ImportOptions, Library};

use crate::outln;

/// Writes `zotero.sqlite` (Zotero's layout) and `same.bib` (the same items) into `dir`: items
/// with 1–4 creators, a title, a date, a DOI for half, a journal, 0–2 tags, collections two
/// deep, a child note for one in ten. Deterministic.
const GENERATE: &str = r#"
import random, sqlite3, sys
n, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(7)
words = "learning neural graph model attention diffusion sparse robust quantum protein language speech vision kernel bayesian causal transformer optimal transport".split()
db = sqlite3.connect(out + "/zotero.sqlite")
db.executescript("\n".join(l for l in open(sys.argv[3]).read().splitlines() if l.startswith("CREATE TABLE")) + """
INSERT INTO libraries VALUES (1, 'user', 1, 1);
INSERT INTO itemTypes(itemTypeID, typeName) VALUES (1, 'note'), (2, 'journalArticle');
INSERT INTO fields(fieldID, fieldName) VALUES (1, 'title'), (2, 'date'), (3, 'DOI'), (4, 'publicationTitle');
INSERT INTO creatorTypes VALUES (1, 'author');
""")
for i in range(8):
    db.execute("INSERT INTO tags VALUES (?, ?)", (i + 1, "tag" + str(i)))
for i in range(4):
    db.execute("INSERT INTO collections VALUES (?, ?, NULL, 1, ?)", (i + 1, "Area " + str(i), "C" + str(i)))
    for j in range(3):
        db.execute("INSERT INTO collections VALUES (?, ?, ?, 1, ?)", (10 + i * 3 + j, "Project " + str(j), i + 1, "D" + str(i) + str(j)))
bib = open(out + "/same.bib", "w")
vid = 0
def value(v):
    global vid
    row = db.execute("SELECT valueID FROM itemDataValues WHERE value = ?", (v,)).fetchone()
    if row: return row[0]
    vid += 1
    db.execute("INSERT INTO itemDataValues VALUES (?, ?)", (vid, v))
    return vid
creator = 0
next_item = n + 1
for i in range(1, n + 1):
    title = " ".join(rnd.choice(words) for _ in range(rnd.randint(4, 9))).capitalize() + " " + str(i)
    year = rnd.randint(1990, 2025)
    journal = "Journal of " + rnd.choice(words).capitalize()
    db.execute("INSERT INTO items VALUES (?, 2, 1, ?)", (i, "K%07d" % i))
    fields = [(1, title), (2, "%d-00-00 %d" % (year, year)), (4, journal)]
    doi = "10.5555/bench.%d" % i if i % 2 == 0 else None
    if doi: fields.append((3, doi))
    for f, v in fields:
        db.execute("INSERT INTO itemData VALUES (?, ?, ?)", (i, f, value(v)))
    names = []
    for k in range(rnd.randint(1, 4)):
        creator += 1
        first, last = rnd.choice("Ada Ben Chen Dana Eli Femi Gita Hugo".split()), rnd.choice("Smith Okafor Tanaka Novak Silva Haddad Kowalski Ivanova".split()) + str(rnd.randint(1, 500))
        db.execute("INSERT INTO creators VALUES (?, ?, ?, 0)", (creator, first, last))
        db.execute("INSERT INTO itemCreators VALUES (?, ?, 1, ?)", (i, creator, k))
        names.append(last + ", " + first)
    tags = rnd.sample(range(8), rnd.randint(0, 2))
    for t in tags:
        db.execute("INSERT INTO itemTags VALUES (?, ?, 0)", (i, t + 1))
    db.execute("INSERT INTO collectionItems VALUES (?, ?, 0)", (10 + rnd.randint(0, 11), i))
    if i % 10 == 0:
        db.execute("INSERT INTO items VALUES (?, 1, 1, ?)", (next_item, "N%07d" % i))
        db.execute("INSERT INTO itemNotes VALUES (?, ?, ?, 'Note')", (next_item, i, "<p>Read <b>section %d</b></p>" % i))
        next_item += 1
    bib.write("@article{k%d,\n  title = {%s},\n  author = {%s},\n  year = {%d},\n  journal = {%s},\n%s  keywords = {%s}\n}\n\n" % (
        i, title, " and ".join(names), year, journal, ("  doi = {%s},\n" % doi) if doi else "", ", ".join("tag" + str(t) for t in tags)))
db.commit()
"#;

/// The fixture whose `CREATE TABLE`s are the generated library's schema (one copy of it).
const SCHEMA: &str = "../../tests/fixtures/zotero/small-library.sql";

pub fn run(work: &Path, n: usize) -> anyhow::Result<()> {
    let dir = work.join(format!("zotero-{}k", n / 1000));
    if !dir.join("zotero.sqlite").exists() {
        std::fs::create_dir_all(&dir)?;
        eprintln!(
            "bench: generating a {n}-item Zotero library in {} ...",
            dir.display()
        );
        let status = Command::new("python3")
            .args(["-c", GENERATE, &n.to_string()])
            .arg(&dir)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA))
            .status()?;
        anyhow::ensure!(
            status.success(),
            "generating the Zotero library failed ({status})"
        );
    }
    let (zotero_secs, zotero_added) = timed_import(work, "scratch-zotero", &dir)?;
    let (bib_secs, bib_added) = timed_import(work, "scratch-zotero-bib", &dir.join("same.bib"))?;
    anyhow::ensure!(
        zotero_added == n && bib_added == n,
        "expected {n} papers each, got {zotero_added} from Zotero and {bib_added} from BibTeX"
    );
    outln!(
        "zotero  import of {n} Zotero items: {zotero_secs:.2} s ({:.0} items/s; target ≤ 10 s for 10k); the same records as BibTeX: {bib_secs:.2} s ({:.0}/s); Zotero/BibTeX time = {:.2}x",
        n as f64 / zotero_secs,
        n as f64 / bib_secs,
        zotero_secs / bib_secs
    );
    Ok(())
}

/// Imports `path` into a fresh scratch library; seconds and papers added.
fn timed_import(work: &Path, name: &str, path: &Path) -> anyhow::Result<(f64, usize)> {
    let lib_dir = work.join(name);
    if lib_dir.exists() {
        std::fs::remove_dir_all(&lib_dir)?;
    }
    let lib = Library::open(&lib_dir)?;
    let t = Instant::now();
    let r = lib.import_files(&[path.to_path_buf()], &ImportOptions::default())?;
    Ok((t.elapsed().as_secs_f64(), r.added))
}
