//! The cache of rendered CSL references (table `csl_cache`): one row per run of references
//! hayagriva renders together (see [`csl::plan_runs`]).
//!
//! hayagriva (vendored and made ≈ 3× faster, see `vendor/hayagriva/TOPICA.md`) still needs
//! ≈ 0.45 ms of CPU per APA reference, so a 10,000-paper APA export costs seconds however it is
//! driven. A run's text depends on
//! nothing but its items in order, the style, the locales, the flavour, the numbering offset
//! and the renderer, so a row is keyed by a SHA-256 of exactly those: an edited paper changes
//! its item and so misses (and its first author's run is rendered again), with no revision
//! stamps to keep in step. Rows unused for [`KEEP_DAYS`] are deleted.

use crate::db::Connection;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::csl::{self, Flavor, Reference};
use super::Style;
use crate::db;
use crate::{Library, Result};
use citationberg::LocaleCode;

/// Part of every key, with [`renderer_digest`]: bump it when a change outside `csl.rs` changes
/// what a run renders to.
const RENDERER: &str = "topica csl cache 1";

/// The vendored hayagriva's manifest and sources (`vendor/hayagriva`, see its `TOPICA.md`): a
/// path dependency's version in the lock file stays the same when its code changes, so the
/// code itself is part of the digest. A test checks that every source file is listed.
const VENDORED_HAYAGRIVA: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../../../vendor/hayagriva/Cargo.toml"),
    ),
    (
        "src/csl/citation_label.rs",
        include_str!("../../../vendor/hayagriva/src/csl/citation_label.rs"),
    ),
    (
        "src/csl/elem.rs",
        include_str!("../../../vendor/hayagriva/src/csl/elem.rs"),
    ),
    (
        "src/csl/mod.rs",
        include_str!("../../../vendor/hayagriva/src/csl/mod.rs"),
    ),
    (
        "src/csl/rendering/mod.rs",
        include_str!("../../../vendor/hayagriva/src/csl/rendering/mod.rs"),
    ),
    (
        "src/csl/rendering/names.rs",
        include_str!("../../../vendor/hayagriva/src/csl/rendering/names.rs"),
    ),
    (
        "src/csl/sort.rs",
        include_str!("../../../vendor/hayagriva/src/csl/sort.rs"),
    ),
    (
        "src/csl/taxonomy.rs",
        include_str!("../../../vendor/hayagriva/src/csl/taxonomy.rs"),
    ),
    (
        "src/interop.rs",
        include_str!("../../../vendor/hayagriva/src/interop.rs"),
    ),
    (
        "src/io.rs",
        include_str!("../../../vendor/hayagriva/src/io.rs"),
    ),
    (
        "src/lang/en.rs",
        include_str!("../../../vendor/hayagriva/src/lang/en.rs"),
    ),
    (
        "src/lang/mod.rs",
        include_str!("../../../vendor/hayagriva/src/lang/mod.rs"),
    ),
    (
        "src/lang/name.rs",
        include_str!("../../../vendor/hayagriva/src/lang/name.rs"),
    ),
    (
        "src/lib.rs",
        include_str!("../../../vendor/hayagriva/src/lib.rs"),
    ),
    (
        "src/selectors/mod.rs",
        include_str!("../../../vendor/hayagriva/src/selectors/mod.rs"),
    ),
    (
        "src/selectors/parser.rs",
        include_str!("../../../vendor/hayagriva/src/selectors/parser.rs"),
    ),
    (
        "src/types/mod.rs",
        include_str!("../../../vendor/hayagriva/src/types/mod.rs"),
    ),
    (
        "src/types/numeric.rs",
        include_str!("../../../vendor/hayagriva/src/types/numeric.rs"),
    ),
    (
        "src/types/page.rs",
        include_str!("../../../vendor/hayagriva/src/types/page.rs"),
    ),
    (
        "src/types/persons.rs",
        include_str!("../../../vendor/hayagriva/src/types/persons.rs"),
    ),
    (
        "src/types/strings.rs",
        include_str!("../../../vendor/hayagriva/src/types/strings.rs"),
    ),
    (
        "src/types/time.rs",
        include_str!("../../../vendor/hayagriva/src/types/time.rs"),
    ),
    (
        "src/util.rs",
        include_str!("../../../vendor/hayagriva/src/util.rs"),
    ),
];

/// A digest of the code that renders: `csl.rs` as compiled, the lock file that pins
/// citationberg and hayagriva's dependencies, and the vendored hayagriva's sources. Any change
/// to these gives new keys, so a row written by an older build is never read — no version to
/// remember to bump.
fn renderer_digest() -> &'static [u8; 32] {
    use std::sync::OnceLock;
    static DIGEST: OnceLock<[u8; 32]> = OnceLock::new();
    DIGEST.get_or_init(|| {
        let mut h = Sha256::new();
        h.update(RENDERER.as_bytes());
        h.update(include_str!("../../../crates/topica-formats/src/export/csl.rs").as_bytes());
        h.update(include_str!("../../../Cargo.lock").as_bytes());
        for (path, text) in VENDORED_HAYAGRIVA {
            for part in [path.as_bytes(), text.as_bytes()] {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part);
            }
        }
        h.finalize().into()
    })
}

/// Rows no export has used for this long are deleted.
const KEEP_DAYS: i64 = 30;

/// What an export's formatted references cost: runs found in the cache and runs rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheUse {
    pub hits: usize,
    pub misses: usize,
}

/// Renders `items` (whose CSL-JSON text is `json`, same order) as [`csl::render_references`]
/// does, taking unchanged runs from the cache and storing the others. The connection is locked
/// only to read and to write the cache, not while hayagriva renders.
pub(crate) fn render(
    lib: &Library,
    style: &Style,
    locale: Option<&LocaleCode>,
    items: &[citationberg::json::Item],
    json: &[String],
    flavor: Flavor,
) -> Result<(Vec<Reference>, CacheUse)> {
    // A dependent style's own default-locale when none is asked for.
    let locale = locale.or(style.default_locale());
    let runs = csl::plan_runs(items, style.independent());
    let environment = environment_digest(style, locale);
    // Styles that never print a citation number render a run the same at any offset: leaving
    // it out of the key keeps one new paper from invalidating every run after it.
    let numbered = style.xml().contains("citation-number");
    let keys: Vec<[u8; 32]> = runs
        .par_iter()
        .map(|run| {
            let offset = if numbered { run.offset } else { 0 };
            run_key(
                &environment,
                flavor,
                offset,
                run.items.iter().map(|&i| json[i].as_str()),
            )
        })
        .collect();

    let key_bytes: Vec<&[u8]> = keys.iter().map(|k| &k[..]).collect();
    // A row that does not read back is treated as absent and rewritten.
    let mut found: Vec<Option<Vec<Reference>>> = db::csl_cache::read(&lib.conn(), &key_bytes)?
        .into_iter()
        .map(|refs| refs.and_then(|r| decode(&r)))
        .collect();
    let hits: Vec<usize> = (0..runs.len()).filter(|&i| found[i].is_some()).collect();
    let misses: Vec<usize> = (0..runs.len()).filter(|&i| found[i].is_none()).collect();

    let rendered: Vec<(usize, Vec<Reference>)> = misses
        .par_iter()
        .map(|&i| {
            let run = &runs[i];
            let run_items = run.items.iter().map(|&j| &items[j]);
            let refs = csl::render_run(
                run_items,
                style.independent(),
                csl::locales(),
                locale,
                flavor,
                run.offset,
            );
            (i, refs)
        })
        .collect();

    {
        // The references are right whether or not they could be stored: a library we cannot
        // write (a read-only file, a writer holding the lock past the busy timeout) still
        // exports, only without the cache.
        let conn = lib.conn();
        let _ = store(&conn, &keys, &hits, &rendered);
    }
    let usage = CacheUse {
        hits: hits.len(),
        misses: rendered.len(),
    };
    for (i, refs) in rendered {
        found[i] = Some(refs);
    }
    let references = found.into_iter().flatten().flatten().collect();
    Ok((references, usage))
}

/// SHA-256 over the renderer, style, locales, flavour, offset and the items' CSL-JSON, each
/// length-prefixed so no two different inputs run together into the same bytes.
fn run_key<'a>(
    environment: &[u8; 32],
    flavor: Flavor,
    offset: usize,
    items: impl Iterator<Item = &'a str>,
) -> [u8; 32] {
    let mut h = Sha256::new();
    let mut part = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    part(renderer_digest());
    part(environment);
    part(format!("{flavor:?}").as_bytes());
    part(&(offset as u64).to_le_bytes());
    for item in items {
        part(item.as_bytes());
    }
    h.finalize().into()
}

/// A digest of the style's and the locales' XML and the locale rendered in (the one asked for,
/// else the style's default, else en-US, as hayagriva chooses). Computed per export: hashing
/// the bundled XML takes about a millisecond.
fn environment_digest(style: &Style, locale: Option<&LocaleCode>) -> [u8; 32] {
    let mut h = Sha256::new();
    let effective = csl::effective_locale(style.independent(), locale);
    let parts = std::iter::once(style.xml())
        .chain(csl::LOCALE_XML.iter().map(|(_, xml)| *xml))
        .chain(std::iter::once(effective.0.as_str()));
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

fn encode(refs: &[Reference]) -> String {
    let pairs: Vec<(&str, &str)> = refs
        .iter()
        .map(|r| (r.key.as_str(), r.text.as_str()))
        .collect();
    serde_json::to_string(&pairs).expect("strings serialize")
}

fn decode(s: &str) -> Option<Vec<Reference>> {
    let pairs: Vec<(String, String)> = serde_json::from_str(s).ok()?;
    Some(
        pairs
            .into_iter()
            .map(|(key, text)| Reference { key, text })
            .collect(),
    )
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Writes rendered runs, marks used rows (at most once a day, so a warm export writes
/// nothing) and deletes rows unused for [`KEEP_DAYS`]; one transaction, none when idle.
fn store(
    conn: &Connection,
    keys: &[[u8; 32]],
    hits: &[usize],
    rendered: &[(usize, Vec<Reference>)],
) -> Result<()> {
    let now = now();
    let day = 86_400;
    let hit_keys: Vec<&[u8]> = hits.iter().map(|&i| &keys[i][..]).collect();
    let stale = db::csl_cache::used_before(conn, &hit_keys, now - day)?;
    if rendered.is_empty() && stale.is_empty() {
        return Ok(());
    }
    let put: Vec<(&[u8], String)> = rendered
        .iter()
        .map(|(i, refs)| (&keys[*i][..], encode(refs)))
        .collect();
    Ok(db::csl_cache::write(
        conn,
        &put,
        &stale,
        now,
        now - KEEP_DAYS * day,
    )?)
}

impl Library {
    /// Empties the cache of rendered references (the next styled export renders everything).
    pub fn clear_reference_cache(&self) -> Result<()> {
        Ok(db::csl_cache::clear(&self.conn())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::CslStyle;

    #[test]
    fn keys_change_with_every_input_and_only_then() {
        let a = || ["{\"id\":\"a\"}", "{\"id\":\"b\"}"].into_iter();
        let apa = environment_digest(&CslStyle::Apa.into(), None);
        let ieee = environment_digest(&CslStyle::Ieee.into(), None);
        let de = LocaleCode("de-DE".into());
        let apa_de = environment_digest(&CslStyle::Apa.into(), Some(&de));
        assert_ne!(apa, apa_de);
        // No locale asked is the style's default (en-US for APA), asked or not.
        let en = LocaleCode("en-US".into());
        assert_eq!(apa, environment_digest(&CslStyle::Apa.into(), Some(&en)));
        let (apa, ieee) = (&apa, &ieee);
        let k = run_key(apa, Flavor::Text, 0, a());
        assert_eq!(k, run_key(apa, Flavor::Text, 0, a()));
        assert_ne!(k, run_key(ieee, Flavor::Text, 0, a()));
        assert_ne!(k, run_key(apa, Flavor::Html, 0, a()));
        assert_ne!(k, run_key(apa, Flavor::Text, 1, a()));
        assert_ne!(k, run_key(apa, Flavor::Text, 0, a().rev()));
        // Boundaries between items count: "ab" + "c" is not "a" + "bc".
        assert_ne!(
            run_key(apa, Flavor::Text, 0, ["ab", "c"].into_iter()),
            run_key(apa, Flavor::Text, 0, ["a", "bc"].into_iter())
        );
    }

    /// One arXiv JSONL line: first author `family`, a shared year (2021 ids), an optional DOI.
    fn line(i: usize, family: &str, doi: Option<&str>) -> String {
        let mut v = serde_json::json!({
            "id": format!("2101.{:05}", i),
            "title": format!("Results on problem {i}"),
            "authors_parsed": [[family, "Ann", ""], ["Other", "Bo", ""]],
            "categories": "cs.LG",
            "abstract": "x",
        });
        if let Some(d) = doi {
            v["doi"] = d.into();
        }
        v.to_string()
    }

    fn render_all(lib: &Library, style: CslStyle, flavor: Flavor) -> (Vec<Reference>, CacheUse) {
        let papers = lib.scope_papers(&super::super::Scope::All).unwrap();
        let (items, json) = super::super::csl_items(&papers);
        let (refs, usage) = render(lib, &style.into(), None, &items, &json, flavor).unwrap();
        // Whatever came from the cache is exactly what rendering everything gives.
        assert_eq!(
            refs,
            csl::render_references(&items, style.style(), csl::locales(), None, flavor)
        );
        (refs, usage)
    }

    #[test]
    fn unchanged_runs_come_from_the_cache_and_an_edited_paper_renders_again() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        // 250 papers (more than one run), five per first author: year suffixes within runs.
        let families: Vec<String> = (0..50).map(|i| format!("Family{i:02}")).collect();
        let jsonl: Vec<String> = (0..250).map(|i| line(i, &families[i % 50], None)).collect();
        lib.import_text(
            "a.jsonl",
            &jsonl.join("\n"),
            crate::Format::ArxivJsonl,
            true,
        )
        .unwrap();
        lib.ensure_citation_keys().unwrap();

        let (cold, first) = render_all(&lib, CslStyle::Apa, Flavor::Text);
        assert_eq!(cold.len(), 250);
        assert_eq!(
            first,
            CacheUse {
                hits: 0,
                misses: 50
            }
        );
        assert!(
            cold.iter().any(|r| r.text.contains("2021e")),
            "year suffixes"
        );
        let (warm, second) = render_all(&lib, CslStyle::Apa, Flavor::Text);
        assert_eq!(warm, cold);
        assert_eq!(
            second,
            CacheUse {
                hits: 50,
                misses: 0
            }
        );

        // Another flavour or style is another entry.
        assert_eq!(render_all(&lib, CslStyle::Apa, Flavor::Html).1.hits, 0);
        assert_eq!(render_all(&lib, CslStyle::Ieee, Flavor::Text).1.hits, 0);
        assert_eq!(render_all(&lib, CslStyle::Ieee, Flavor::Text).1.misses, 0);

        // A re-import gives paper 7 a DOI: only its first author's run renders again.
        lib.import_text(
            "b.jsonl",
            &line(7, &families[7], Some("10.1000/xyz7")),
            crate::Format::ArxivJsonl,
            true,
        )
        .unwrap();
        let (edited, third) = render_all(&lib, CslStyle::Apa, Flavor::Text);
        assert_eq!(
            third,
            CacheUse {
                hits: 49,
                misses: 1
            }
        );
        let changed: Vec<_> = edited.iter().filter(|r| !cold.contains(r)).collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert!(
            changed[0].text.contains("https://doi.org/10.1000/xyz7"),
            "{changed:?}"
        );

        // Clearing empties it.
        lib.clear_reference_cache().unwrap();
        assert_eq!(render_all(&lib, CslStyle::Apa, Flavor::Text).1.hits, 0);
    }

    #[test]
    fn every_vendored_hayagriva_source_is_in_the_renderer_digest() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vendor/hayagriva");
        let mut on_disk = vec!["Cargo.toml".to_string()];
        let mut dirs = vec![root.join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let rel = path.strip_prefix(&root).unwrap();
                    on_disk.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = VENDORED_HAYAGRIVA
            .iter()
            .map(|(p, _)| p.to_string())
            .collect();
        listed.sort();
        assert_eq!(listed, on_disk);
        assert!(on_disk.len() > 20, "{on_disk:?}");
    }

    #[test]
    fn rows_round_trip() {
        let refs = vec![Reference {
            key: "k".into(),
            text: "Müller, J. (2020). \"On\" things.".into(),
        }];
        assert_eq!(decode(&encode(&refs)), Some(refs));
        assert_eq!(decode("not json"), None);
    }
}
