//! `topica-cli bench pdf`: PDFs and full text, each figure beside its baseline in the same run.
//!
//! 1. Extraction: our reader (topica-pdf, in process) against poppler's `pdftotext` on the same
//!    files — pages per second, the ratio, and how many of pdftotext's words we read too
//!    (word-multiset F1). Files: the test PDFs and the LaTeX-made manuals Debian ships in
//!    texlive-doc, when installed.
//! 2. Importing PDFs: `n` generated three-page PDFs (each stamped with the arXiv id of a paper of
//!    the synthetic corpus, so it joins that paper) imported with progress, as a user's folder.
//! 3. Search with full text: the query set's p50/p99 on the corpus before and after its papers
//!    got their PDFs' text (the goal: within 2×).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use topica_core::{AttachMode, Library, PdfReader};

use crate::outln;

/// Debian's LaTeX-made documentation, read in place when installed (not committed).
const DEBIAN_DOCS: &str = "/usr/share/doc/texlive-doc";

pub fn run(corpus: &Path, work: &Path, queries: &[String], rounds: usize) -> anyhow::Result<()> {
    extraction()?;
    let n = count_lines(corpus)?;
    let (library, _) = super::scratch_library(work, "scratch-pdf")?;
    let t = Instant::now();
    library.import_files(&[corpus.to_path_buf()], &Default::default())?;
    eprintln!(
        "bench: {n} papers imported in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let before = latency(&library, queries, rounds)?;

    let folder = work.join("pdfs");
    let made = make_pdfs(corpus, &folder)?;
    let mut reports = 0usize;
    let t = Instant::now();
    let r = library.import_pdfs(
        std::slice::from_ref(&folder),
        AttachMode::Link,
        None,
        &mut |_| {
            reports += 1;
            true
        },
    )?;
    let secs = t.elapsed().as_secs_f64();
    outln!(
        "pdf     import {made} PDFs ({} pages) into a {n}-paper library: {secs:.1} s, {:.0} PDFs/s, {:.0} pages/s; {} merged into their papers, {} added, {} failed; {reports} progress reports",
        made * PAGES,
        made as f64 / secs,
        (made * PAGES) as f64 / secs,
        r.merged,
        r.added,
        r.failed
    );
    let after = latency(&library, queries, rounds)?;
    outln!(
        "pdf     search ({} queries × {rounds}): p50 {:.2} ms, p99 {:.2} ms without full text; {:.2} / {:.2} ms with {made} papers' full text; p50 ratio = {:.2}x",
        queries.len(),
        before.0,
        before.1,
        after.0,
        after.1,
        after.0 / before.0
    );
    Ok(())
}

fn count_lines(path: &Path) -> anyhow::Result<usize> {
    use std::io::BufRead;
    Ok(std::io::BufReader::new(std::fs::File::open(path)?)
        .lines()
        .count())
}

/// p50 and p99 of the query set in milliseconds, as the results list asks (50 in full).
fn latency(lib: &Library, queries: &[String], rounds: usize) -> anyhow::Result<(f64, f64)> {
    let mut samples = Vec::new();
    for q in queries {
        lib.search_ranked(q, 500, 50)?; // warm
    }
    for _ in 0..rounds {
        for q in queries {
            let t = Instant::now();
            lib.search_ranked(q, 500, 50)?;
            samples.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p) as usize];
    Ok((at(0.5), at(0.99)))
}

/// Our reader beside pdftotext, file by file.
fn extraction() -> anyhow::Result<()> {
    let mut files: Vec<PathBuf> = ["arxiv-paper.pdf", "doi-paper.pdf", "no-id.pdf"]
        .iter()
        .map(|n| crate::paths::repo_dir().join("tests/fixtures/pdf").join(n))
        .collect();
    let docs = Path::new(DEBIAN_DOCS);
    if docs.is_dir() {
        let mut found = Vec::new();
        walk(docs, &mut found);
        found.sort();
        files.extend(found);
    } else {
        eprintln!("bench: {DEBIAN_DOCS} not installed; extraction measured on the test PDFs only");
    }
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("bench: pdftotext (poppler-utils) not installed; extraction baseline skipped");
        return Ok(());
    }
    let reader = PdfReader::default();
    let (mut ours_secs, mut theirs_secs, mut pages, mut f1_sum, mut failed) = (0.0, 0.0, 0, 0.0, 0);
    for f in &files {
        let t = Instant::now();
        let out = std::process::Command::new("pdftotext")
            .arg(f)
            .arg("-")
            .output()?;
        let theirs = t.elapsed().as_secs_f64();
        if !out.status.success() {
            continue;
        }
        let reference = String::from_utf8_lossy(&out.stdout).into_owned();
        let t = Instant::now();
        let doc = reader.read(f);
        let ours = t.elapsed().as_secs_f64();
        let Ok(doc) = doc else {
            failed += 1;
            continue;
        };
        pages += doc.pages.len();
        ours_secs += ours;
        theirs_secs += theirs;
        f1_sum += f1(&words(&reference), &words(&doc.pages.join("\n"))) * doc.pages.len() as f64;
    }
    outln!(
        "pdf     extract {} files, {pages} pages: Topica {:.0} pages/s, pdftotext {:.0} pages/s; Topica/pdftotext = {:.2}x; words agreeing with pdftotext (F1, by page) {:.3}; {failed} files Topica could not read",
        files.len(),
        pages as f64 / ours_secs,
        pages as f64 / theirs_secs,
        theirs_secs / ours_secs,
        f1_sum / pages.max(1) as f64
    );
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "pdf") {
            out.push(p);
        }
    }
}

/// Words, lower-cased, ligatures spelled out and line-end hyphens joined, counted.
fn words(s: &str) -> HashMap<String, usize> {
    let s = s
        .replace('\u{FB00}', "ff")
        .replace('\u{FB01}', "fi")
        .replace('\u{FB02}', "fl")
        .replace('\u{FB03}', "ffi")
        .replace('\u{FB04}', "ffl")
        .replace("-\n", "");
    let mut m = HashMap::new();
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *m.entry(w.to_lowercase()).or_default() += 1;
    }
    m
}

fn f1(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> f64 {
    let shared: usize = a
        .iter()
        .map(|(w, n)| (*n).min(b.get(w).copied().unwrap_or(0)))
        .sum();
    let total: usize = a.values().sum::<usize>() + b.values().sum::<usize>();
    if total == 0 {
        1.0
    } else {
        2.0 * shared as f64 / total as f64
    }
}

/// Pages of each generated PDF.
const PAGES: usize = 3;

/// One PDF per corpus paper in `folder` (made once): page 1 the arXiv stamp, title and
/// abstract; pages 2 and 3 the abstracts of the next papers, as body text.
fn make_pdfs(corpus: &Path, folder: &Path) -> anyhow::Result<usize> {
    use std::io::BufRead;
    #[derive(serde::Deserialize)]
    struct Row {
        id: String,
        title: Option<String>,
        #[serde(rename = "abstract")]
        abstract_text: Option<String>,
    }
    let rows: Vec<Row> = std::io::BufReader::new(std::fs::File::open(corpus)?)
        .lines()
        .map(|l| Ok(serde_json::from_str(&l?)?))
        .collect::<anyhow::Result<_>>()?;
    if folder.join("done").exists() {
        return Ok(rows.len());
    }
    std::fs::create_dir_all(folder)?;
    for (i, r) in rows.iter().enumerate() {
        let text = |k: usize| {
            rows[(i + k) % rows.len()]
                .abstract_text
                .clone()
                .unwrap_or_default()
        };
        let first = format!(
            "arXiv:{}v1 {} {}",
            r.id,
            r.title.clone().unwrap_or_default(),
            r.abstract_text.clone().unwrap_or_default()
        );
        let pdf = simple_pdf(&[first, text(1) + " " + &text(2), text(3) + " " + &text(4)]);
        std::fs::write(folder.join(format!("{i:06}.pdf")), pdf)?;
    }
    std::fs::write(folder.join("done"), "")?;
    Ok(rows.len())
}

/// A PDF with one page per text, set in Helvetica, 90 characters a line.
fn simple_pdf(pages: &[String]) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    ];
    let mut kids = Vec::new();
    for text in pages {
        let mut content = String::from("BT /F1 10 Tf 12 TL 50 750 Td\n");
        let mut line = String::new();
        for w in text.split_whitespace() {
            if line.len() + w.len() > 90 {
                content.push_str(&format!("({}) Tj T*\n", escape(&line)));
                line.clear();
            }
            line.push_str(w);
            line.push(' ');
        }
        content.push_str(&format!("({}) Tj ET", escape(&line)));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
        let content_id = objects.len();
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"));
        kids.push(format!("{} 0 R", objects.len()));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    );
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

/// A PDF string literal's text: ASCII only (the synthetic corpus is), parentheses and
/// backslashes escaped.
fn escape(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii() && !c.is_control())
        .flat_map(|c| match c {
            '(' | ')' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}
