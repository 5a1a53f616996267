//! Files from the command line, PDFs read by the CLI's own worker process: attach, list,
//! search full text with its page in `--json`, print the text, import a folder of PDFs offline.

mod common;
use common::{cli, json};

use std::path::Path;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/pdf")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn attach_search_and_print_full_text_through_the_worker() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&cli(d, &["import-sample", "--json"]));
    let r = json(&cli(
        d,
        &[
            "attach",
            "2302.14748",
            &fixture("arxiv-paper.pdf"),
            &fixture("encrypted.pdf"),
            "--json",
        ],
    ));
    let attached = r["attached"].as_array().unwrap();
    assert_eq!(attached[0]["pages"], 3);
    assert_eq!(attached[0]["text"]["state"], "read");
    assert_eq!(attached[1]["text"]["state"], "unreadable");
    assert!(attached[1]["text"]["reason"]
        .as_str()
        .unwrap()
        .contains("encrypted"));

    let hits = json(&cli(d, &["search", "fulltext:zygomorphic", "--json"]));
    assert_eq!(hits[0]["arxivId"], "2302.14748");
    assert_eq!(hits[0]["page"], 2);
    assert_eq!(hits[0]["fileId"], attached[0]["id"]);

    let page = cli(d, &["fulltext", "2302.14748", "--page", "3"]);
    let text = String::from_utf8_lossy(&page.stdout);
    assert!(text.contains("page 3") && text.contains("quokka"), "{text}");
    assert!(!text.contains("zygomorphic"));

    let listed = String::from_utf8_lossy(&cli(d, &["files", "2302.14748"]).stdout).into_owned();
    assert!(
        listed.contains("3p") && listed.contains("the PDF is encrypted"),
        "{listed}"
    );
}

#[test]
fn import_pdfs_offline_reports_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    for name in ["doi-paper.pdf", "no-id.pdf", "not-a-pdf.pdf"] {
        std::fs::copy(fixture(name), folder.path().join(name)).unwrap();
    }
    let r = json(&cli(
        dir.path(),
        &[
            "import-pdfs",
            &folder.path().to_string_lossy(),
            "--offline",
            "--json",
        ],
    ));
    assert_eq!(
        (r["added"].as_u64(), r["failed"].as_u64()),
        (Some(2), Some(1))
    );
    let files = r["files"].as_array().unwrap();
    let failed = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("not-a-pdf.pdf"))
        .unwrap();
    assert_eq!(failed["outcome"]["kind"], "failed");
    assert!(failed["outcome"]["reason"]
        .as_str()
        .unwrap()
        .starts_with("not a PDF"));
    let papers = json(&cli(dir.path(), &["list", "--json"]));
    let alexnet = papers
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["doi"] == "10.1145/3065386")
        .unwrap();
    assert_eq!(
        alexnet["title"],
        "ImageNet Classification with Deep Convolutional Neural Networks"
    );
}
