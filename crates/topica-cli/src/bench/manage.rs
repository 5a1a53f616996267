//! `topica-cli bench manage`: managing a 100k-paper library by hand. An edit until search
//! finds the new word; moving 10,000 selected papers to the trash, restoring them, and undoing
//! both. Baselines in the same run: the notes edit the app already had (for the edit), and the
//! bare SQL `UPDATE` of the same 10,000 rows, rolled back (for the bulk steps: the floor any
//! implementation pays before keeping search and topics in step).

use std::path::Path;
use std::time::Instant;

use topica_core::{ImportOptions, PaperEdit};

use crate::outln;

/// The median of `f`'s durations over `n` runs, in ms.
pub(super) fn median_ms(
    n: usize,
    mut f: impl FnMut(usize) -> anyhow::Result<()>,
) -> anyhow::Result<f64> {
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f(i)?;
        v.push(t.elapsed().as_secs_f64() * 1e3);
    }
    v.sort_by(f64::total_cmp);
    Ok(v[v.len() / 2])
}

pub fn run(corpus: &Path, work: &Path) -> anyhow::Result<()> {
    let (lib, reuse) = super::scratch_library(work, "scratch-manage")?;
    let dir = lib.dir().to_path_buf();
    if !reuse {
        let report = lib.import_files(&[corpus.to_path_buf()], &ImportOptions::default())?;
        let t = Instant::now();
        lib.topics()?;
        outln!(
            "manage  {} papers imported; topics fitted in {:.1} s (restored papers are placed in them)",
            report.added,
            t.elapsed().as_secs_f64()
        );
    }
    let ids: Vec<i64> = lib.papers(0, 0)?.iter().map(|p| p.id).collect();
    let target = ids[ids.len() / 2];

    // An edit, until search finds it; the notes edit (no text the index searches by title) as
    // the baseline.
    let edit_ms = median_ms(5, |i| {
        let word = format!("zqxbench{i}");
        let edit = PaperEdit::from_assignments([format!("title=Edited {word} title").as_str()])?;
        lib.update_paper(target, &edit)?;
        let hits = lib.search(&word, 5)?;
        anyhow::ensure!(
            hits.hits.first().map(|h| h.id) == Some(target),
            "edit not found"
        );
        Ok(())
    })?;
    let notes_ms = median_ms(5, |i| {
        lib.set_notes(target, &format!("note {i}"))?;
        Ok(())
    })?;
    outln!(
        "        edit a title, until search finds the new word: {edit_ms:.1} ms (target ≤ 100 ms); \
         a notes edit: {notes_ms:.1} ms; edit/notes = {:.2}x",
        edit_ms / notes_ms
    );

    // 10,000 selected papers: every tenth.
    let selected: Vec<i64> = ids.iter().copied().step_by(10).take(10_000).collect();
    let n = selected.len();
    let database = dir.join(topica_core::DATABASE_FILE);
    let floor_ms = median_ms(3, |_| {
        topica_store::fts5_baseline::trash_rolled_back(&database, &selected)?;
        Ok(())
    })?;
    let before = lib.len()?;
    let step = |what: &str, f: &mut dyn FnMut() -> anyhow::Result<()>| -> anyhow::Result<f64> {
        let t = Instant::now();
        f()?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        outln!(
            "        {what} {n} papers: {ms:.0} ms (target ≤ 1000 ms); bare SQL UPDATE {floor_ms:.0} ms; ratio {:.1}x",
            ms / floor_ms
        );
        Ok(ms)
    };
    step("delete (to the trash)", &mut || {
        lib.trash(&selected)?;
        Ok(())
    })?;
    anyhow::ensure!(lib.len()? == before - n, "trash count");
    step("restore", &mut || {
        lib.restore(&selected)?;
        Ok(())
    })?;
    anyhow::ensure!(lib.len()? == before, "restore count");
    step("undo the restore of", &mut || {
        lib.undo()?;
        Ok(())
    })?;
    step("undo the delete of", &mut || {
        lib.undo()?;
        Ok(())
    })?;
    anyhow::ensure!(lib.len()? == before, "undo count");

    // #18: a bulk tag of the same 10,000 (target ≤ 0.5 s), searchable at once, and its undo.
    let t = Instant::now();
    let r = lib.tag_papers(&selected, "benchtag", true)?;
    let tag_ms = t.elapsed().as_secs_f64() * 1e3;
    anyhow::ensure!(r.changed.len() == n, "tagged count");
    anyhow::ensure!(lib.search("tag:benchtag", 1)?.total == n, "tag search");
    let t = Instant::now();
    lib.undo()?;
    let untag_ms = t.elapsed().as_secs_f64() * 1e3;
    outln!(
        "        tag {n} papers: {tag_ms:.0} ms (target ≤ 500 ms); its undo {untag_ms:.0} ms; bare SQL UPDATE {floor_ms:.0} ms; ratio {:.1}x",
        tag_ms / floor_ms
    );
    keep_updated(&lib, &selected, work)
}

/// #20: a keep-updated `.bib` of the same 10,000 papers (a tag's), rewritten after one edit
/// (target ≤ 300 ms); the baseline is a one-off export of the same papers to a file.
fn keep_updated(lib: &topica_core::Library, selected: &[i64], work: &Path) -> anyhow::Result<()> {
    use topica_core::export::{ExportFormat, ExportOptions, Scope};
    lib.tag_papers(selected, "kept", true)?;
    let kept = work.join("keep-updated.bib");
    let _ = std::fs::remove_file(&kept);
    lib.add_auto_export(
        &kept,
        "bibtex",
        topica_core::AutoScope::Tag("kept".into()),
        true,
    )?;
    lib.refresh_auto_exports()?; // the first write, citation keys given
    let once = work.join("one-off.bib");
    let opts = ExportOptions {
        format: Some(ExportFormat::Bibtex),
        scope: Scope::Tag("kept".into()),
        ..ExportOptions::default()
    };
    let export_ms = median_ms(3, |_| {
        lib.export_to_file(&opts, &once, true)?;
        Ok(())
    })?;
    let target = selected[selected.len() / 2];
    // The rewrite alone is timed, not the edit before it.
    let mut times = Vec::new();
    for i in 0..5 {
        let edit = PaperEdit::from_assignments([format!("title=Kept title {i}").as_str()])?;
        lib.update_paper(target, &edit)?;
        let t = Instant::now();
        let looked = lib.refresh_auto_exports()?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(
            looked.len() == 1 && looked[0].error.is_none(),
            "keep-updated export not rewritten: {looked:?}"
        );
        anyhow::ensure!(
            std::fs::read_to_string(&kept)?.contains(&format!("Kept title {i}")),
            "the edit is not in the file"
        );
    }
    times.sort_by(f64::total_cmp);
    let rewrite_ms = times[times.len() / 2];
    outln!(
        "        keep-updated .bib of {} papers rewritten after one edit: {rewrite_ms:.0} ms (target ≤ 300 ms); a one-off export of them {export_ms:.0} ms; ratio {:.2}x",
        selected.len(),
        rewrite_ms / export_ms
    );
    Ok(())
}
