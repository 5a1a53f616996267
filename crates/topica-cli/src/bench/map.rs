//! `topica-cli bench map`: the map of papers in a 100k-paper library. Computing it (what opening
//! the map costs after each change) beside reading the topic tree the window loads anyway, and
//! the size of the JSON the window receives.

use std::path::Path;
use std::time::Instant;

use topica_core::ImportOptions;

use super::manage::median_ms;
use crate::outln;

pub fn run(corpus: &Path, work: &Path) -> anyhow::Result<()> {
    let (lib, reuse) = super::scratch_library(work, "scratch-map")?;
    if !reuse {
        let report = lib.import_files(&[corpus.to_path_buf()], &ImportOptions::default())?;
        let t = Instant::now();
        lib.topics()?;
        outln!(
            "map     {} papers imported; topics fitted in {:.1} s",
            report.added,
            t.elapsed().as_secs_f64()
        );
    }
    let tree_ms = median_ms(5, |_| {
        lib.topics()?;
        Ok(())
    })?;
    let map_ms = median_ms(5, |_| {
        lib.paper_map()?;
        Ok(())
    })?;
    let map = lib.paper_map()?;
    anyhow::ensure!(
        map.points.len() == lib.len()?,
        "every paper on the map: {} of {}",
        map.points.len(),
        lib.len()?
    );
    let json = serde_json::to_vec(&map)?;
    outln!(
        "        the map of {} papers and {} labels: {map_ms:.0} ms (target ≤ 1000 ms); the topic tree {tree_ms:.0} ms; ratio {:.1}x; {:.1} MB of JSON",
        map.points.len(),
        map.topics.len(),
        map_ms / tree_ms,
        json.len() as f64 / 1e6
    );
    Ok(())
}
