//! `topica-pdf` on real PDFs: the ones `scripts/make-test-pdfs.sh` made with pdflatex,
//! ghostscript and qpdf (tests/fixtures/pdf/), and a 1,000-page one built here.

use std::time::Duration;

use topica_pdf::{identifiers, read, title_guess, GuessSource, Limits, PdfError};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/pdf")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pages_with(pages: &[String], word: &str) -> Vec<usize> {
    (0..pages.len())
        .filter(|&i| pages[i].contains(word))
        .map(|i| i + 1)
        .collect()
}

#[test]
fn a_two_column_arxiv_paper_reads_page_by_page_with_its_letters() {
    let doc = read(&fixture("arxiv-paper.pdf"), &Limits::default()).unwrap();
    assert_eq!(doc.pages.len(), 3);
    assert_eq!(pages_with(&doc.pages, "zygomorphic"), [2]);
    assert_eq!(pages_with(&doc.pages, "quokka"), [3]);
    // Ligatures come out as letters, accents and Greek as themselves.
    let first = &doc.pages[0];
    for w in [
        "efficient",
        "affine",
        "flow",
        "fine-tuning",
        "Café",
        "naïve",
        "résumé",
        "Weiß",
        "α",
    ] {
        assert!(first.contains(w), "{w} not in {first}");
    }
    assert!(!first.contains('\u{FB01}') && !first.contains('\u{FB03}'));
    // The first column is read before the second: the Introduction heading precedes its text.
    let intro = first.find("Introduction").unwrap();
    assert!(first.find("Abstract").unwrap() < intro);
    assert_eq!(doc.info.author.as_deref(), Some("Ana Müller; Jörg Weiß"));

    // Its own id, not the references' (page 3: arXiv:1706.03762, doi:10.1109/…).
    let ids = identifiers(&doc);
    assert_eq!(ids.arxiv_id.map(|a| a.id).as_deref(), Some("2106.09685"));
    assert_eq!(ids.doi, None);
    let g = title_guess(&doc).unwrap();
    assert_eq!(g.title, "Low-Rank Adaptation of Large Language Models");
    assert_eq!(g.authors, ["Ana Müller", "Jörg Weiß"]);
}

#[test]
fn a_doi_in_the_header_is_found() {
    let doc = read(&fixture("doi-paper.pdf"), &Limits::default()).unwrap();
    let ids = identifiers(&doc);
    assert_eq!(ids.doi.as_deref(), Some("10.1145/3065386"));
    assert!(ids.arxiv_id.is_none());
    let g = title_guess(&doc).unwrap();
    assert_eq!(g.from, GuessSource::Info);
    assert_eq!(
        g.title,
        "ImageNet Classification with Deep Convolutional Neural Networks"
    );
}

#[test]
fn without_an_identifier_the_largest_type_is_the_title() {
    let doc = read(&fixture("no-id.pdf"), &Limits::default()).unwrap();
    assert_eq!(identifiers(&doc), Default::default());
    let g = title_guess(&doc).unwrap();
    assert_eq!(g.from, GuessSource::FirstPage, "the Info title is Word's");
    assert_eq!(g.title, "Sparse Mixtures of Experts for Tabular Data");
    assert_eq!(g.authors, ["Priya Raman", "Tomás Ibarra"]);
}

#[test]
fn each_hostile_file_gets_its_own_error() {
    let limits = Limits::default();
    assert_eq!(
        read(&fixture("encrypted.pdf"), &limits),
        Err(PdfError::Encrypted)
    );
    assert_eq!(read(&fixture("empty.pdf"), &limits), Err(PdfError::NotPdf));
    assert_eq!(
        read(&fixture("not-a-pdf.pdf"), &limits),
        Err(PdfError::NotPdf)
    );
    assert!(matches!(
        read(&fixture("truncated.pdf"), &limits),
        Err(PdfError::Damaged(_))
    ));
    // A scan: read, with no text.
    let scan = read(&fixture("image-only.pdf"), &limits).unwrap();
    assert_eq!(scan.pages.len(), 1);
    assert!(scan.pages[0].trim().is_empty(), "{:?}", scan.pages);
    // Too many bytes: refused before parsing.
    let small = Limits {
        max_bytes: 1000,
        ..limits
    };
    assert!(matches!(
        read(&fixture("doi-paper.pdf"), &small),
        Err(PdfError::TooLarge { .. })
    ));
}

/// A PDF of `n` pages, each saying "page N" in Helvetica, built by hand (objects and a
/// cross-reference table), as any PDF writer would.
fn pages_pdf(n: usize) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(), // the page tree, once the kids are known
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    let mut kids = Vec::new();
    for i in 1..=n {
        let content = format!("BT /F1 12 Tf 72 720 Td (page {i} of the long file) Tj ET");
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
        let content_id = objects.len();
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        ));
        kids.push(format!("{} 0 R", objects.len()));
    }
    objects[1] = format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" "));
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

#[test]
fn a_thousand_pages_are_read_within_the_limits_and_refused_past_them() {
    let pdf = pages_pdf(1000);
    let doc = read(&pdf, &Limits::default()).unwrap();
    assert_eq!(doc.pages.len(), 1000);
    assert!(
        doc.pages[999].contains("page 1000 of the long file"),
        "{}",
        doc.pages[999]
    );
    assert_eq!(topica_pdf::page_count(&pdf), Ok(1000));
    let fewer = Limits {
        max_pages: 999,
        ..Limits::default()
    };
    assert_eq!(
        read(&pdf, &fewer),
        Err(PdfError::TooLarge {
            what: "1000 pages".into(),
            limit: "999 pages".into()
        })
    );
    // No time at all: the reader stops before the first page.
    let none = Limits {
        time: Duration::ZERO,
        ..Limits::default()
    };
    assert_eq!(read(&pdf, &none), Err(PdfError::TimedOut(0)));
}
