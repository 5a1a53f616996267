//! Papers as CSL-JSON items: the CSL-JSON export, and the input the CSL styles render.

use serde_json::{json, Map, Value};

use topica_model::{Author, Paper};

/// The CSL item type for a paper.
pub fn csl_type(p: &Paper) -> &'static str {
    match p
        .kind
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "article" if p.container.is_some() => "article-journal",
        "inproceedings" | "conference" | "proceedings" => "paper-conference",
        "book" | "mvbook" | "collection" => "book",
        "incollection" | "inbook" => "chapter",
        "phdthesis" | "mastersthesis" | "thesis" => "thesis",
        "techreport" | "report" => "report",
        "online" => "webpage",
        "dataset" => "dataset",
        "software" => "software",
        "manuscript" | "unpublished" => "manuscript",
        // CSL 1.0.2's `article` is a preprint.
        _ if p.arxiv_id.is_some() => "article",
        _ => "document",
    }
}

fn name(a: &Author) -> Value {
    if a.literal {
        return json!({ "literal": a.family });
    }
    let mut m = Map::new();
    m.insert("family".into(), a.family.clone().into());
    if !a.given.is_empty() {
        m.insert("given".into(), a.given.clone().into());
    }
    if !a.particle.is_empty() {
        // Lower-case particles ("van", "de la") are non-dropping: they sort with the family name
        // in the CSL test-suite's conventions for modern names.
        m.insert("non-dropping-particle".into(), a.particle.clone().into());
    }
    if !a.suffix.is_empty() {
        m.insert("suffix".into(), a.suffix.clone().into());
    }
    Value::Object(m)
}

/// One paper as a CSL-JSON item with `key` as its id.
pub fn item(p: &Paper, key: &str) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("id", key.into());
    put("citation-key", key.into());
    put("type", csl_type(p).into());
    if let Some(t) = &p.title {
        // arXiv wraps long titles; a reference list shows them on one line.
        put("title", super::one_line(t).into());
    }
    if !p.authors.is_empty() {
        put("author", p.authors.iter().map(name).collect());
    }
    if !p.editors.is_empty() {
        put("editor", p.editors.iter().map(name).collect());
    }
    if let Some(y) = p.year {
        let parts = match p.month.filter(|m| (1..=12).contains(m)) {
            Some(mo) => json!([[y, mo]]),
            None => json!([[y]]),
        };
        put("issued", json!({ "date-parts": parts }));
    }
    for (k, v) in [
        ("volume", &p.volume),
        ("issue", &p.issue),
        ("publisher", &p.publisher),
        ("DOI", &p.doi),
        ("abstract", &p.abstract_text),
    ] {
        if let Some(v) = v {
            put(k, v.clone().into());
        }
    }
    if let Some(c) = &p.container {
        put("container-title", super::one_line(c).into());
    }
    if let Some(pg) = &p.pages {
        put("page", pg.replace("--", "-").into());
    }
    let url = super::bibtex::url(p);
    if !url.is_empty() {
        put("URL", url.into());
    }
    if let Some(a) = &p.arxiv_id {
        // Zotero's spelling for arXiv preprints; APA prints it as "(arXiv:2112.09332)".
        put("number", format!("arXiv:{a}").into());
        put("archive", "arXiv".into());
    }
    if !p.tags.is_empty() {
        put("keyword", p.tags.join(", ").into());
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arxiv_preprint_item() {
        let p = Paper {
            arxiv_id: Some("1706.03762".into()),
            title: Some("Attention Is All You Need".into()),
            authors: vec![
                Author::new("Vaswani", "Ashish"),
                Author::literal("Google Brain"),
            ],
            year: Some(2017),
            month: Some(6),
            categories: vec!["cs.CL".into()],
            ..Paper::default()
        };
        let v = item(&p, "vaswani2017attention");
        assert_eq!(v["type"], "article");
        assert_eq!(v["id"], "vaswani2017attention");
        assert_eq!(v["issued"]["date-parts"], json!([[2017, 6]]));
        assert_eq!(v["author"][1], json!({"literal": "Google Brain"}));
        assert_eq!(v["number"], "arXiv:1706.03762");
        assert_eq!(v["URL"], "https://arxiv.org/abs/1706.03762");
    }
}
