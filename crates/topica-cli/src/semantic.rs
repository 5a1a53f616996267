//! The semantic half of `bench-topics`: embeddings of a labelled corpus (cached in `bench-data/`
//! by the texts' hash, so the fit can be re-measured without re-embedding), semantic topics
//! scored against the labels, and the embedding rate.

use std::path::{Path, PathBuf};
use std::time::Instant;

use topica_core::semantic::{Encoder, EncoderOptions, ModelFolder, DIMENSIONS};
use topica_core::topics::{self, quality, DocText, FitOptions};
use topica_core::Library;

use crate::outln;
use crate::paths::repo_dir;

/// The text embedded for a document: the app's rule (`semantic::embed_text`).
pub fn text_of(d: &DocText) -> String {
    topica_core::semantic::embed_text_of(&d.title, &d.body)
}

/// FNV-1a over every text: the cache key.
fn hash(texts: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for t in texts {
        for b in t.bytes().chain([0u8]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    }
    h
}

/// The model folder, or why semantic mode is skipped.
pub fn model_folder() -> Result<ModelFolder, String> {
    let dir = topica_core::semantic::default_model_dir();
    ModelFolder::open(&dir).map_err(|e| format!("{e} (run scripts/install-model.sh)"))
}

/// Embeddings of `docs` (row-major, `DIMENSIONS` per document) and the seconds they took to
/// compute (`None` when read from the cache).
pub fn embeddings(
    folder: &ModelFolder,
    kind: &str,
    docs: &[DocText],
) -> anyhow::Result<(Vec<f32>, Option<f64>)> {
    let texts: Vec<String> = docs.iter().map(text_of).collect();
    let key = hash(&texts);
    let cache: PathBuf = repo_dir().join(format!("bench-data/embeddings-{kind}-{key:016x}.f32"));
    if let Ok(bytes) = std::fs::read(&cache) {
        if bytes.len() == texts.len() * DIMENSIONS * 4 {
            let v = bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            return Ok((v, None));
        }
    }
    let encoder = Encoder::load(folder, EncoderOptions::default())?;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let t = Instant::now();
    let last = std::sync::atomic::AtomicUsize::new(0);
    let rows = encoder
        .embed_with_progress(&refs, &|done, all| {
            let step = all / 10 + 1;
            if done / step != last.swap(done, std::sync::atomic::Ordering::Relaxed) / step {
                eprintln!("  embedded {done}/{all}");
            }
            true
        })?
        .expect("not cancelled");
    let secs = t.elapsed().as_secs_f64();
    let flat: Vec<f32> = rows.into_iter().flatten().collect();
    let bytes: Vec<u8> = flat.iter().flat_map(|x| x.to_le_bytes()).collect();
    write_atomic(&cache, &bytes)?;
    Ok((flat, Some(secs)))
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(tmp, path)
}

/// Papers embedded afresh to measure the rate (beside sentence-transformers on the same ones).
pub const RATE_PAPERS: usize = 300;

/// Papers per second embedding the first [`RATE_PAPERS`] documents (never from the cache).
fn embedding_rate(folder: &ModelFolder, docs: &[DocText]) -> anyhow::Result<f64> {
    let texts: Vec<String> = docs.iter().take(RATE_PAPERS).map(text_of).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let encoder = Encoder::load(folder, EncoderOptions::default())?;
    let t = Instant::now();
    encoder.embed(&refs)?;
    Ok(refs.len() as f64 / t.elapsed().as_secs_f64())
}

/// Semantic topics at k = labels, scored; returns the leaf assignment for the baselines' check.
pub fn quality(
    kind: &str,
    docs: &[DocText],
    labels: &[usize],
    k: usize,
) -> anyhow::Result<Option<(Vec<usize>, f64)>> {
    let folder = match model_folder() {
        Ok(f) => f,
        Err(why) => {
            outln!("topica  semantic: skipped, {why}");
            return Ok(None);
        }
    };
    let (emb, secs) = embeddings(&folder, kind, docs)?;
    match secs {
        Some(s) => outln!(
            "topica  semantic: embedded {} papers in {:.1} s ({:.1} papers/s, 256 tokens, both cores)",
            docs.len(),
            s,
            docs.len() as f64 / s
        ),
        None => outln!("topica  semantic: embeddings read from the bench cache"),
    }
    let rate = embedding_rate(&folder, docs)?;
    outln!(
        "topica  embedding rate: {rate:.1} papers/s (first {RATE_PAPERS} papers, 256 tokens, both cores)"
    );
    let t = Instant::now();
    let sm = topics::fit_semantic(
        docs.to_vec(),
        &emb,
        DIMENSIONS,
        FitOptions {
            leaves: Some(k),
            ..FitOptions::default()
        },
    );
    let fit_secs = t.elapsed().as_secs_f64();
    let leaf = sm.leaf_of.clone();
    outln!(
        "topica  semantic leaves k={k}: NMI {:.3}  ARI {:.3}  fit + labels {:.2} s",
        quality::nmi(labels, &leaf),
        quality::ari(labels, &leaf),
        fit_secs
    );
    for l in sm.leaves.iter().take(5) {
        outln!("   e.g. {}  ({} papers)", l.label, l.members.len());
    }
    let ms = assign_one(&folder, docs, &emb, &sm.leaf_of, sm.leaves.len())?;
    outln!(
        "topica  assign one new paper (embed it, then nearest leaf by meaning): {ms:.1} ms (mean of {ASSIGNED})"
    );
    let t = Instant::now();
    let auto = topics::fit_semantic(
        docs.to_vec(),
        &emb,
        DIMENSIONS,
        FitOptions {
            parents: Some(k),
            ..FitOptions::default()
        },
    );
    let parent_of: Vec<usize> = auto
        .leaf_of
        .iter()
        .map(|&l| auto.leaves[l].parent.unwrap_or(0))
        .collect();
    outln!(
        "topica  semantic parents of {} auto leaves, k={}: NMI {:.3}  ARI {:.3}  {:.2} s",
        auto.leaves.len(),
        auto.parents.len(),
        quality::nmi(labels, &parent_of),
        quality::ari(labels, &parent_of),
        t.elapsed().as_secs_f64()
    );
    outln!(
        "peak memory (this process so far): {:.0} MB",
        crate::timings::peak_rss_mb()
    );
    Ok(Some((leaf, rate)))
}

/// Papers timed one at a time as if new.
const ASSIGNED: usize = 20;

/// Milliseconds to place one new paper as the app does after a semantic fit: embed its text
/// alone, then weigh it against every leaf's dense centroid (`dense_fit::weights_from`). The
/// last [`ASSIGNED`] documents play the new papers; the encoder is loaded beforehand, as the
/// app keeps it.
fn assign_one(
    folder: &ModelFolder,
    docs: &[DocText],
    emb: &[f32],
    leaf_of: &[usize],
    k: usize,
) -> anyhow::Result<f64> {
    let mut centroids = vec![0f32; k * DIMENSIONS];
    for (d, &l) in leaf_of.iter().enumerate() {
        let (c, e) = (
            &mut centroids[l * DIMENSIONS..(l + 1) * DIMENSIONS],
            &emb[d * DIMENSIONS..(d + 1) * DIMENSIONS],
        );
        c.iter_mut().zip(e).for_each(|(a, b)| *a += b);
    }
    centroids
        .chunks_mut(DIMENSIONS)
        .for_each(topics::dense::normalise);
    let encoder = Encoder::load(folder, EncoderOptions::default())?;
    let new = &docs[docs.len().saturating_sub(ASSIGNED)..];
    let t = Instant::now();
    for d in new {
        let v = encoder.embed(&[text_of(d).as_str()])?.remove(0);
        let cos: Vec<(usize, f32)> = centroids
            .chunks(DIMENSIONS)
            .enumerate()
            .map(|(c, cen)| (c, topics::dense::dot(&v, cen)))
            .collect();
        std::hint::black_box(topics::dense_fit::weights_from(cos, 3));
    }
    Ok(t.elapsed().as_secs_f64() * 1000.0 / new.len().max(1) as f64)
}

/// `topica-cli semantic`: the model folder, the mode, embedded papers.
pub fn status(lib: &Library, json: bool) -> anyhow::Result<()> {
    let st = lib.semantic_status()?;
    if json {
        crate::print_json(&st)?;
        return Ok(());
    }
    outln!(
        "model: {} ({})",
        st.model_dir.as_deref().unwrap_or("none"),
        match &st.problem {
            None => "present".to_string(),
            Some(p) => p.clone(),
        }
    );
    outln!(
        "mode: {:?}{}",
        st.mode,
        if st.chosen.is_none() {
            " (automatic)"
        } else {
            " (chosen)"
        }
    );
    outln!("embedded: {} of {} papers", st.embedded, st.papers);
    Ok(())
}

/// `topica-cli embed`: embeds what is missing, progress on stderr.
pub fn embed(lib: &Library, json: bool) -> anyhow::Result<()> {
    let report = embed_quietly(lib)?;
    if json {
        crate::print_json(&report)?;
    } else {
        outln!(
            "embedded {} papers ({} already current) in {:.1} s",
            report.embedded,
            report.cached,
            report.seconds
        );
    }
    Ok(())
}

/// Embeds what is missing, with a progress line on stderr every tenth.
pub fn embed_quietly(lib: &Library) -> anyhow::Result<topica_core::EmbedReport> {
    let mut shown = 0u64;
    Ok(lib.embed_papers(&mut |p| {
        if let Some(total) = p.total {
            let tenth = total / 10 + 1;
            if total > 0 && p.done / tenth != shown / tenth {
                eprintln!("embedding {}/{total}", p.done);
            }
            shown = p.done;
        }
        true
    })?)
}

/// `topica-cli download-model`: fetches the model, progress on stderr.
pub fn download(to: Option<&Path>, hub: &str, json: bool) -> anyhow::Result<()> {
    let dest = to
        .map(Path::to_path_buf)
        .unwrap_or_else(topica_core::semantic::default_model_dir);
    let mut shown = 0u64;
    let report =
        topica_core::download_model(hub, &dest, std::time::Duration::from_secs(30), &mut |p| {
            // A line per 10 MB.
            if p.done / (10 << 20) != shown / (10 << 20) {
                eprintln!(
                    "{} {} of {} MB",
                    p.phase,
                    p.done >> 20,
                    p.total.unwrap_or(0) >> 20
                );
            }
            shown = p.done;
            true
        })?;
    if json {
        crate::print_json(&report)?;
    } else {
        outln!(
            "{}: {} downloaded ({} MB{}), {} already there",
            dest.display(),
            report.downloaded.len(),
            report.bytes >> 20,
            if report.resumed.is_empty() {
                String::new()
            } else {
                format!(", {} resumed", report.resumed.len())
            },
            report.present.len()
        );
    }
    Ok(())
}

/// BERTopic's pipeline and MiniLM + KMeans from PyPI on the same corpus, and sentence-transformers'
/// embedding rate on the same first papers; skipped with a message when the packages are not
/// in `bench-data/venv`.
pub fn baselines(
    kind: &str,
    path: &Path,
    k: usize,
    labels: &[usize],
    ours: &[usize],
    rate: f64,
) -> anyhow::Result<()> {
    let py = crate::topics::python()?;
    let has = std::process::Command::new(&py)
        .args(["-c", "import sentence_transformers, umap"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has {
        outln!(
            "semantic baselines: skipped (`{} -m pip install sentence-transformers umap-learn` to run them)",
            py.display()
        );
        return Ok(());
    }
    let folder = model_folder().map_err(|e| anyhow::anyhow!(e))?;
    let out = std::process::Command::new(&py)
        .arg(repo_dir().join("bench/topic_baselines.py"))
        .args(["--corpus", kind, "--path"])
        .arg(path)
        .args([
            "--k",
            &k.to_string(),
            "--only",
            "st-rate,minilm-kmeans,bertopic",
            "--model",
        ])
        .arg(&folder.dir)
        .arg("--cache")
        .arg(repo_dir().join("bench-data"))
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "semantic baselines failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let ours_nmi = quality::nmi(labels, ours);
    for (name, v) in b["baselines"].as_object().into_iter().flatten() {
        let nmi = v["nmi"].as_f64().unwrap_or(0.0);
        outln!(
            "python  {name:<19} NMI {nmi:.3}  ARI {:.3}  {:.2} s (after embedding)   topica semantic − it = {:+.3}",
            v["ari"].as_f64().unwrap_or(0.0),
            v["seconds"].as_f64().unwrap_or(0.0),
            ours_nmi - nmi
        );
    }
    if let Some(st) = b["st_rate"].as_f64() {
        outln!(
            "=> embedding rate: topica {rate:.1} papers/s, sentence-transformers (PyTorch, 2 threads) {st:.1} papers/s: ratio {:.2}",
            rate / st
        );
    }
    Ok(())
}
