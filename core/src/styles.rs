//! Citation styles in a library: the bundled ones (`topica-formats`' `resources/csl/`) and the
//! `.csl` files a user added (table `styles`, migration 0011), which exports and keep-updated
//! exports render with like bundled ones. Reading a file (its errors with line and column) is
//! `topica_formats::export::csl_style`'s; storing it is `db::styles`'.
//!
//! A dependent style (a journal that "uses APA") holds no rules of its own: it renders with
//! its parent, found among the bundled styles, then among the added ones, by the parent's
//! `cs:id`. The stored text is the file as given, so a parent added later also serves a
//! dependent added earlier.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::db::styles::{self as db_styles, StyleRow};
use crate::export::csl::{self, CslStyle};
use crate::export::{ExportFormat, Style};
use crate::library::now_rfc3339;
use crate::{Error, Library, Result};
use topica_formats::export::csl_style::{self, AddedStyle, ReadKind, ReadStyle};

/// A style as `styles list` and the app's style picker show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StyleEntry {
    /// What `--format` takes.
    pub name: String,
    pub title: String,
    /// Bundled with Topica (true) or added to this library (false).
    pub bundled: bool,
    /// A dependent style's parent (the style that renders it), by name.
    pub parent: Option<String>,
}

/// Files larger than this are not CSL styles (the largest in the CSL repository is ≈ 250 kB).
const MAX_STYLE_BYTES: u64 = 4 << 20;

impl Library {
    /// Every style an export can use: the bundled ones, then the library's added ones.
    pub fn styles(&self) -> Result<Vec<StyleEntry>> {
        let mut out: Vec<StyleEntry> = CslStyle::ALL
            .into_iter()
            .map(|s| StyleEntry {
                name: s.name().to_string(),
                title: s.title().to_string(),
                bundled: true,
                parent: None,
            })
            .collect();
        for row in db_styles::list(&self.conn())? {
            let parent = match csl_style::read_style(&row.name, &row.xml) {
                Ok(ReadStyle {
                    kind: ReadKind::Dependent { parent, .. },
                    ..
                }) => Some(self.parent_name(&parent)?.unwrap_or(parent)),
                _ => None,
            };
            out.push(StyleEntry {
                name: row.name,
                title: row.title,
                bundled: false,
                parent,
            });
        }
        Ok(out)
    }

    /// Adds the `.csl` file at `path` under its file name (without `.csl`, lower case),
    /// replacing a style added under that name. The file must be a CSL style Topica renders; a
    /// dependent style's parent must be bundled or added.
    pub fn add_style(&self, path: &Path) -> Result<StyleEntry> {
        let size = std::fs::metadata(path)
            .map_err(|e| Error::file(path, e))?
            .len();
        if size > MAX_STYLE_BYTES {
            return Err(Error::file(path, "too large to be a CSL style"));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::file(path, e))?;
        let xml = String::from_utf8(bytes)
            .map_err(|_| Error::file(path, "not UTF-8 text, so not a CSL style"))?;
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().trim().to_lowercase().replace(' ', "-"))
            .unwrap_or_default();
        self.add_style_xml(&name, &file, &xml)
    }

    /// Adds a style from its text under `name`; `file` names it in errors.
    pub fn add_style_xml(&self, name: &str, file: &str, xml: &str) -> Result<StyleEntry> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Invalid("a style needs a name".into()));
        }
        if name.parse::<ExportFormat>().is_ok() {
            return Err(Error::Invalid(format!(
                "{name:?} is the name of a format or style Topica bundles; rename the file to add it"
            )));
        }
        let read = csl_style::read_style(file, xml).map_err(Error::InvalidStyle)?;
        let style = self.resolve(name, file, read.clone(), xml)?;
        try_render(file, &style)?;
        db_styles::put(
            &self.conn(),
            &StyleRow {
                name: name.to_string(),
                style_id: read.id,
                title: read.title.clone(),
                xml: xml.to_string(),
                added_at: now_rfc3339(),
            },
        )?;
        let parent = match read.kind {
            ReadKind::Dependent { parent, .. } => {
                Some(self.parent_name(&parent)?.unwrap_or(parent))
            }
            ReadKind::Independent(_) => None,
        };
        Ok(StyleEntry {
            name: name.to_string(),
            title: read.title,
            bundled: false,
            parent,
        })
    }

    /// Removes an added style (bundled ones cannot be removed).
    pub fn remove_style(&self, name: &str) -> Result<()> {
        if CslStyle::from_name(name).is_some() {
            return Err(Error::Invalid(format!(
                "{name:?} is bundled with Topica and cannot be removed"
            )));
        }
        if !db_styles::remove(&self.conn(), name.trim())? {
            return Err(Error::NotFound(format!(
                "style {name:?} (see `topica-cli styles list`)"
            )));
        }
        Ok(())
    }

    /// A style by name: bundled, else added to this library.
    pub fn style(&self, name: &str) -> Result<Style> {
        if let Some(s) = CslStyle::from_name(name) {
            return Ok(Style::Bundled(s));
        }
        let row = db_styles::get(&self.conn(), name.trim())?.ok_or_else(|| {
            Error::NotFound(format!("style {name:?} (see `topica-cli styles list`)"))
        })?;
        let read = csl_style::read_style(&row.name, &row.xml).map_err(Error::InvalidStyle)?;
        self.resolve(&row.name, &row.name, read, &row.xml)
    }

    /// What `--format` names: a data format or bundled style, a style added to this library,
    /// or the path of a `.csl` file (read and used for this export, not added).
    pub fn export_format(&self, format: &str) -> Result<ExportFormat> {
        if let Ok(f) = format.parse::<ExportFormat>() {
            return Ok(f);
        }
        let path = Path::new(format);
        let is_file = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csl"))
            || path.is_file();
        if !is_file && db_styles::get(&self.conn(), format.trim())?.is_some() {
            return Ok(ExportFormat::Style(self.style(format)?));
        }
        if is_file {
            let xml = std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?;
            let file = path.display().to_string();
            let read = csl_style::read_style(&file, &xml).map_err(Error::InvalidStyle)?;
            let name = path
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            return Ok(ExportFormat::Style(self.resolve(&name, &file, read, &xml)?));
        }
        // The parse error lists every name.
        format.parse::<ExportFormat>()
    }

    /// The style that renders `read`: itself, or a dependent style's parent.
    fn resolve(&self, name: &str, file: &str, read: ReadStyle, xml: &str) -> Result<Style> {
        let (style, xml, default_locale) = match read.kind {
            ReadKind::Independent(style) => (*style, xml.to_string(), None),
            ReadKind::Dependent {
                parent,
                default_locale,
            } => {
                if let Some(b) = csl_style::bundled_by_id(&parent) {
                    (b.style().clone(), b.xml().to_string(), default_locale)
                } else if let Some(row) =
                    db_styles::by_style_id(&self.conn(), &id_spellings(&parent))?
                {
                    match csl_style::read_style(&row.name, &row.xml).map_err(Error::InvalidStyle)?.kind {
                        ReadKind::Independent(style) => (*style, row.xml, default_locale),
                        ReadKind::Dependent { .. } => {
                            return Err(Error::Invalid(format!(
                                "{file}: its parent style {parent} is itself a dependent style ({}); add an independent style",
                                row.name
                            )))
                        }
                    }
                } else {
                    return Err(Error::Invalid(format!(
                        "{file}: a dependent style of {parent}, which Topica does not bundle and \
                         this library does not have; add that style's .csl file first"
                    )));
                }
            }
        };
        Ok(Style::Added(Arc::new(AddedStyle {
            name: name.to_string(),
            title: read.title,
            xml,
            style,
            default_locale,
        })))
    }

    /// A parent style's name, by its `cs:id`.
    fn parent_name(&self, parent: &str) -> Result<Option<String>> {
        if let Some(b) = csl_style::bundled_by_id(parent) {
            return Ok(Some(b.name().to_string()));
        }
        Ok(db_styles::by_style_id(&self.conn(), &id_spellings(parent))?.map(|r| r.name))
    }
}

/// A style id as written, with http and https, with and without a trailing slash (the CSL
/// repository moved its ids to https; dependent styles name either).
fn id_spellings(id: &str) -> Vec<String> {
    let bare = id
        .trim()
        .trim_end_matches('/')
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let mut out = vec![id.trim().to_string()];
    for scheme in ["http://", "https://"] {
        for slash in ["", "/"] {
            out.push(format!("{scheme}{bare}{slash}"));
        }
    }
    out
}

/// Renders one reference with `style`, so a style hayagriva cannot render (it panics on some
/// constructs) is refused when added rather than at every export.
fn try_render(file: &str, style: &Style) -> Result<()> {
    let item: citationberg::json::Item = serde_json::from_value(serde_json::json!({
        "id": "check", "type": "article-journal", "title": "A title",
        "author": [{"family": "Family", "given": "Given"}],
        "issued": {"date-parts": [[2020, 5, 1]]}, "container-title": "Journal",
        "volume": "1", "page": "1-2", "DOI": "10.1000/x"
    }))
    .expect("a fixed CSL-JSON item");
    let independent = style.independent();
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        csl::render_references(
            std::slice::from_ref(&item),
            independent,
            csl::locales(),
            style.default_locale(),
            csl::Flavor::Text,
        )
    }));
    match rendered {
        Ok(_) => Ok(()),
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("the renderer failed");
            Err(Error::Invalid(format!(
                "{file}: Topica's CSL renderer cannot render this style ({why})"
            )))
        }
    }
}
