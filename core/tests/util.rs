//! Shared helpers: a temporary library per test and paths to committed fixtures.

use std::path::PathBuf;

use topica_core::Library;

/// A library in a fresh temporary directory (removed when dropped).
pub struct TestLibrary {
    pub dir: tempfile::TempDir,
    pub lib: Library,
}

impl std::ops::Deref for TestLibrary {
    type Target = Library;
    fn deref(&self) -> &Library {
        &self.lib
    }
}

pub fn library() -> TestLibrary {
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = Library::open(dir.path()).expect("open library");
    TestLibrary { dir, lib }
}

/// The sample library, imported once.
pub fn sample_library() -> TestLibrary {
    let t = library();
    t.import_sample().expect("import sample");
    t
}

/// `tests/fixtures/<rel>` at the repository root.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel)
}
