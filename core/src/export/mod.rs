//! Bibliography export: choosing papers (a [`Scope`]), ordering them, and writing them as
//! BibTeX, BibLaTeX, RIS, CSL-JSON or CSL-formatted references; atomic writes to files.
//!
//! Citation keys come from the database (see [`crate::citekey`]); exporting never changes a
//! stored key, it only gives keys to papers that have none yet.

pub(crate) mod atomic;
mod csl_cache;

pub use topica_formats::export::csl;
use topica_formats::export::{bibtex, csl_json, ris};

use std::path::Path;

use serde::Serialize;

use crate::db::{papers, user};
use crate::{Error, Library, Result};
use topica_model::Paper;

pub use csl::{CslStyle, Flavor};
pub use csl_cache::CacheUse;
pub use topica_formats::export::csl_style::Style;

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportFormat {
    Bibtex,
    Biblatex,
    Ris,
    CslJson,
    /// Formatted references in a CSL style (bundled or added to the library, see `styles.rs`).
    Style(Style),
}

impl ExportFormat {
    /// The data formats, in the order `--format` documents them (the bundled styles follow:
    /// [`ExportFormat::all`]).
    pub const DATA: [ExportFormat; 4] = [
        ExportFormat::Bibtex,
        ExportFormat::Biblatex,
        ExportFormat::Ris,
        ExportFormat::CslJson,
    ];

    /// Every format this build knows without a library: the data formats, then every bundled
    /// style.
    pub fn all() -> impl Iterator<Item = ExportFormat> {
        ExportFormat::DATA.into_iter().chain(
            CslStyle::ALL
                .into_iter()
                .map(|s| ExportFormat::Style(Style::Bundled(s))),
        )
    }

    /// The name `--format` takes.
    pub fn name(&self) -> &str {
        match self {
            ExportFormat::Bibtex => "bibtex",
            ExportFormat::Biblatex => "biblatex",
            ExportFormat::Ris => "ris",
            ExportFormat::CslJson => "csl-json",
            ExportFormat::Style(s) => s.name(),
        }
    }

    /// The usual file extension.
    pub fn extension(&self, flavor: Flavor) -> &'static str {
        match (self, flavor) {
            (ExportFormat::Bibtex | ExportFormat::Biblatex, _) => "bib",
            (ExportFormat::Ris, _) => "ris",
            (ExportFormat::CslJson, _) => "json",
            (ExportFormat::Style(_), Flavor::Text) => "txt",
            (ExportFormat::Style(_), Flavor::Html) => "html",
            (ExportFormat::Style(_), Flavor::Markdown) => "md",
        }
    }
}

impl From<CslStyle> for ExportFormat {
    fn from(s: CslStyle) -> ExportFormat {
        ExportFormat::Style(Style::Bundled(s))
    }
}

/// A data format or a bundled style by name (a style's short name or its file name in the CSL
/// repository, `chicago-author-date`). A library's added styles and `.csl` paths are
/// [`Library::export_format`]'s.
impl std::str::FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<ExportFormat> {
        let s = s.to_ascii_lowercase();
        let alias = match s.as_str() {
            "bib" => "bibtex",
            "csl" | "csljson" | "json" => "csl-json",
            other => other,
        };
        if let Some(style) = CslStyle::from_name(alias) {
            return Ok(style.into());
        }
        ExportFormat::DATA
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or_else(|| {
                let names: Vec<String> =
                    ExportFormat::all().map(|f| f.name().to_string()).collect();
                Error::Invalid(format!(
                    "unknown export format {s:?}; expected one of {}, a style added with \
                     `topica-cli styles add`, or a path to a .csl file",
                    names.join(", ")
                ))
            })
    }
}

/// Which papers to export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// The whole library.
    #[default]
    All,
    /// Library ids, arXiv ids or citation keys.
    Ids(Vec<String>),
    /// A topic by label or id.
    Topic(String),
    /// A collection with the collections inside it.
    Collection(String),
    /// A collection's own papers, without those of the collections inside it.
    CollectionOnly(String),
    Tag(String),
    /// Every paper a search query matches.
    Query(String),
}

/// The order of the exported references.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// By citation key (case-insensitive).
    #[default]
    CitationKey,
    /// The style's bibliography order (author-date styles sort by author, numeric styles keep
    /// scope order); for BibTeX/RIS/CSL-JSON, the scope's order (ids as given, search by rank).
    Style,
}

/// A full export request.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    pub format: Option<ExportFormat>,
    pub flavor: Flavor,
    pub scope: Scope,
    pub sort: SortOrder,
    /// BibTeX/BibLaTeX: each paper's attached files in a `file` field (JabRef's
    /// `:path:type` list, which Zotero and JabRef read), paths relative to the exported file's
    /// folder (or to the library folder when the export is not written to a file).
    pub files: bool,
    /// Formatted references: the locale to render in (`de-DE`); None: the style's
    /// default-locale, else en-US.
    pub locale: Option<String>,
}

/// What an export to a file did.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    /// References written.
    pub papers: usize,
    /// Papers given a citation key by this export (they had none).
    pub keys_assigned: usize,
    pub bytes: usize,
}

impl Library {
    /// Exports the papers in `opts.scope` as a string.
    pub fn export(&self, opts: &ExportOptions) -> Result<String> {
        Ok(self.export_with_report(opts, None)?.0)
    }

    /// Exports to `path` atomically, keeping a replaced file's links and permissions (see
    /// `export::atomic`). An existing file is replaced only when `overwrite` is set.
    pub fn export_to_file(
        &self,
        opts: &ExportOptions,
        path: &Path,
        overwrite: bool,
    ) -> Result<ExportReport> {
        // Refused before rendering; `atomic::write` checks again when it writes.
        if path.is_dir() {
            return Err(Error::file(
                path,
                "this is a folder; choose a file name to export to",
            ));
        }
        if path.exists() && !overwrite {
            return Err(Error::file(
                path,
                "the file exists; pass --force to replace it",
            ));
        }
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| std::path::PathBuf::from("."), Path::to_path_buf);
        let (text, mut report) = self.export_with_report(opts, Some(&base))?;
        atomic::write(path, text.as_bytes(), overwrite)?;
        report.bytes = text.len();
        Ok(report)
    }

    /// Renders an export; `base`: the folder of the file written, which `file` fields' paths
    /// are relative to.
    fn export_with_report(
        &self,
        opts: &ExportOptions,
        base: Option<&Path>,
    ) -> Result<(String, ExportReport)> {
        let format = opts
            .format
            .clone()
            .ok_or_else(|| Error::Invalid("no export format given".into()))?;
        // Checked before anything is rendered or any key assigned.
        let locale = opts.locale.as_deref().map(csl::locale_code).transpose()?;
        let keys_assigned = self.ensure_citation_keys()?;
        let mut papers = self.scope_papers(&opts.scope)?;
        if opts.files && matches!(format, ExportFormat::Bibtex | ExportFormat::Biblatex) {
            let base = std::fs::canonicalize(base.unwrap_or(self.dir()))
                .unwrap_or_else(|_| base.unwrap_or(self.dir()).to_path_buf());
            for p in &mut papers {
                let files = self.files(p.id)?;
                if !files.is_empty() {
                    p.extra.insert("file".into(), file_field(&files, &base));
                }
            }
        }
        if opts.sort == SortOrder::CitationKey {
            papers.sort_by_cached_key(|p| p.citation_key.as_deref().unwrap_or("").to_lowercase());
        }
        let text = render(self, &papers, &format, locale.as_ref(), opts.flavor)?;
        let report = ExportReport {
            papers: papers.len(),
            keys_assigned,
            bytes: text.len(),
        };
        Ok((text, report))
    }

    /// The papers a scope selects, each with its stored citation key.
    pub fn scope_papers(&self, scope: &Scope) -> Result<Vec<Paper>> {
        let ids: Vec<i64> = match scope {
            Scope::All => return Ok(papers::list(&self.conn(), 0, 0)?),
            Scope::Ids(refs) => {
                let mut ids = Vec::with_capacity(refs.len());
                for r in refs {
                    let id = self.find(r)?.id;
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                ids
            }
            Scope::Topic(t) => {
                // By id or by the label the user sees (case-insensitive).
                let topics = self.topics()?;
                let wanted = t.trim();
                let topic = topics
                    .iter()
                    .find(|x| wanted.parse::<i64>().ok() == Some(x.id))
                    .or_else(|| topics.iter().find(|x| x.label.eq_ignore_ascii_case(wanted)))
                    .ok_or_else(|| {
                        Error::NotFound(format!("topic {wanted:?} (see `topica-cli topics`)"))
                    })?;
                self.topic_members(topic.id)?
            }
            Scope::Collection(name) | Scope::CollectionOnly(name) => {
                let with_children = matches!(scope, Scope::Collection(_));
                user::collection_paper_ids(&self.conn(), name, with_children)?
                    .ok_or_else(|| Error::NotFound(format!("collection {name}")))?
            }
            Scope::Tag(tag) => {
                let ids = user::tag_paper_ids(&self.conn(), tag)?;
                if ids.is_empty() {
                    return Err(Error::NotFound(format!("tag {tag}")));
                }
                ids
            }
            Scope::Query(q) => {
                let n = self.len()?.max(1);
                self.search_ranked(q, n, 0)?.more_ids
            }
        };
        papers::get_many(&self.conn(), &ids)?.map_err(|id| Error::NotFound(id.to_string()))
    }
}

/// A paper's citation key (every exported paper has one; the fallback is for safety).
fn key(p: &Paper) -> String {
    p.citation_key
        .clone()
        .unwrap_or_else(|| format!("paper{}", p.id))
}

/// Renders papers (which all have keys) in one format; formatted references go through the
/// library's cache of rendered references.
fn render(
    lib: &Library,
    papers: &[Paper],
    format: &ExportFormat,
    locale: Option<&citationberg::LocaleCode>,
    flavor: Flavor,
) -> Result<String> {
    Ok(match format {
        ExportFormat::Bibtex | ExportFormat::Biblatex => {
            let dialect = if *format == ExportFormat::Bibtex {
                bibtex::Dialect::Bibtex
            } else {
                bibtex::Dialect::Biblatex
            };
            in_parallel(papers, |out, p| {
                bibtex::write_entry(out, p, &key(p), dialect)
            })
        }
        ExportFormat::Ris => in_parallel(papers, |out, p| ris::write_record(out, p, &key(p))),
        ExportFormat::CslJson => {
            let items: Vec<serde_json::Value> =
                papers.iter().map(|p| csl_json::item(p, &key(p))).collect();
            let mut s = serde_json::to_string_pretty(&items).expect("CSL-JSON serializes");
            s.push('\n');
            s
        }
        ExportFormat::Style(style) => {
            let (items, json) = csl_items(papers);
            let (references, _) = csl_cache::render(lib, style, locale, &items, &json, flavor)?;
            csl::join(&references, flavor)
        }
    })
}

/// Writes each paper's entry with `write`, blocks of papers on both cores, in order.
fn in_parallel(papers: &[Paper], write: impl Fn(&mut String, &Paper) + Sync) -> String {
    use rayon::prelude::*;
    papers
        .par_chunks(256)
        .map(|block| {
            let mut out = String::with_capacity(block.len() * 1200);
            for p in block {
                write(&mut out, p);
            }
            out
        })
        .collect::<Vec<String>>()
        .concat()
}

/// Papers as CSL-JSON items for hayagriva, with each item's JSON text (what the reference
/// cache keys on: the same paper always serialises to the same text).
fn csl_items(papers: &[Paper]) -> (Vec<citationberg::json::Item>, Vec<String>) {
    papers
        .iter()
        .map(|p| {
            let value = csl_json::item(p, &key(p));
            let json = serde_json::to_string(&value).expect("CSL-JSON serializes");
            let item = serde_json::from_value(value).expect("our CSL-JSON items deserialize");
            (item, json)
        })
        .unzip()
}

/// JabRef's `file` field: `description:path:type` per file, `;` between files, with `\\`, `:`
/// and `;` in paths escaped by a backslash (what JabRef writes and Zotero's BibTeX import reads).
fn file_field(files: &[crate::AttachedFile], base: &Path) -> String {
    files
        .iter()
        .map(|f| {
            let path = relative(Path::new(&f.path), base);
            let escaped = path
                .to_string_lossy()
                .replace('\\', "\\\\")
                .replace(':', "\\:")
                .replace(';', "\\;");
            let kind = Path::new(&f.name)
                .extension()
                .map(|e| e.to_string_lossy().to_uppercase())
                .unwrap_or_default();
            format!(":{escaped}:{kind}")
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// `path` relative to the folder `base` (both absolute), with `..` where it is outside it.
fn relative(path: &Path, base: &Path) -> std::path::PathBuf {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let ours: Vec<_> = path.components().collect();
    let theirs: Vec<_> = base.components().collect();
    let shared = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
    if shared == 0 {
        return path; // another drive: only an absolute path reaches it
    }
    let mut out = std::path::PathBuf::new();
    for _ in shared..theirs.len() {
        out.push("..");
    }
    for c in &ours[shared..] {
        out.push(c);
    }
    out
}
