//! `topics`, `related`, `map`, `topic …` and `bench-topics`: the topic engine from the command line.

use crate::outln;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Subcommand;
use topica_core::topics::{self, quality, DocText, FitOptions};
use topica_core::Library;

use crate::print_json;

/// `topica-cli topic …`: user edits that survive recomputation.
#[derive(Subcommand)]
pub enum TopicCommand {
    /// Give a topic your own label.
    Rename { topic: i64, label: String },
    /// Merge topic FROM into topic INTO.
    Merge { from: i64, into: i64 },
    /// Pin a topic: its papers stay in it across recomputations (--off to unpin).
    Pin {
        topic: i64,
        #[arg(long)]
        off: bool,
    },
    /// Move a paper (library id, arXiv id or citation key) into a leaf topic.
    Move { paper: String, topic: i64 },
    /// Create an empty leaf topic (pinned) under a broader topic, for papers to be moved into.
    New {
        label: String,
        /// The broader topic's id (default: the first).
        #[arg(long)]
        parent: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Split a leaf topic into 2–4 topics by re-clustering its papers (the parts are pinned).
    Split {
        topic: i64,
        #[arg(long, default_value_t = 2)]
        parts: usize,
        #[arg(long)]
        json: bool,
    },
}

pub fn topics(
    lib: &Library,
    json: bool,
    recompute: bool,
    k: Option<usize>,
    mode: Option<&str>,
) -> anyhow::Result<()> {
    if let Some(k) = k {
        lib.set_topic_leaves(Some(k))?;
    }
    if let Some(m) = mode {
        lib.set_topic_mode(match m {
            "semantic" => Some(topica_core::TopicMode::Semantic),
            "lexical" => Some(topica_core::TopicMode::Lexical),
            _ => None,
        })?;
    }
    if (recompute || k.is_some() || mode.is_some())
        && lib.topic_mode()? == topica_core::TopicMode::Semantic
    {
        // The fit embeds what is missing first: show that part's progress.
        crate::semantic::embed_quietly(lib)?;
    }
    let list = if recompute || k.is_some() || mode.is_some() {
        lib.recompute_topics()?
    } else {
        lib.topics()?
    };
    // The status goes to stderr so `--json` stays one document on stdout.
    let st = lib.topics_status()?;
    eprintln!(
        "{} papers, {} added since the last full fit of {} ({:.0}%; a recompute is due at {:.0}%){}",
        st.papers,
        st.added_since_fit,
        st.fitted_papers,
        st.changed_share * 100.0,
        topica_core::RECOMPUTE_SHARE * 100.0,
        if st.needs_recompute {
            ": recompute due, run `topica-cli topics --recompute`"
        } else {
            ""
        }
    );
    if json {
        // Scripts name papers by arXiv id: each library id comes with it, as everywhere else.
        let arxiv: std::collections::HashMap<i64, Option<String>> = lib
            .papers(0, 0)?
            .into_iter()
            .map(|p| (p.id, p.arxiv_id))
            .collect();
        let mut out = Vec::with_capacity(list.len());
        for t in &list {
            let mut v = serde_json::to_value(t)?;
            v["papers"] = lib
                .topic_members(t.id)?
                .iter()
                .map(|id| serde_json::json!({ "id": id, "arxivId": arxiv.get(id).cloned().flatten() }))
                .collect();
            out.push(v);
        }
        return print_json(&out);
    }
    for t in list.iter().filter(|t| t.parent.is_none()) {
        outln!("[{}] {}  ({} papers)", t.id, t.label, t.size);
        for l in list.iter().filter(|l| l.parent == Some(t.id)) {
            outln!(
                "    [{}] {}  ({} papers){}",
                l.id,
                l.label,
                l.size,
                if l.pinned { "  pinned" } else { "" }
            );
            outln!("         {}", l.keyphrases.join(", "));
        }
    }
    Ok(())
}

pub fn related(lib: &Library, id: &str, limit: usize, json: bool) -> anyhow::Result<()> {
    let p = lib.find(id)?;
    let list = lib.related(p.id, limit)?;
    if json {
        return print_json(&list);
    }
    for r in list {
        outln!(
            "{:>6}  {:<14} {:.3}  {}",
            r.id,
            r.arxiv_id.as_deref().unwrap_or("-"),
            r.score,
            r.title
        );
    }
    Ok(())
}

/// `topica-cli map`: the window's map of papers. Fits the topics first on a library without
/// them, as the window does when it opens the map.
pub fn map(lib: &Library, json: bool) -> anyhow::Result<()> {
    if !lib.has_topics()? {
        lib.topics()?;
    }
    let map = lib.paper_map()?;
    let arxiv: std::collections::HashMap<i64, Option<String>> = lib
        .papers(0, 0)?
        .into_iter()
        .map(|p| (p.id, p.arxiv_id))
        .collect();
    if json {
        let mut v = serde_json::to_value(&map)?;
        // Scripts name papers by arXiv id: each library id comes with it, as everywhere else.
        for p in v["points"].as_array_mut().into_iter().flatten() {
            let id = p["id"].as_i64().unwrap_or_default();
            p["arxivId"] = serde_json::json!(arxiv.get(&id).cloned().flatten());
        }
        return print_json(&v);
    }
    outln!("{} papers on the map", map.points.len());
    for t in &map.topics {
        outln!(
            "{}[{}] {}  ({} papers) at {:.1}, {:.1}",
            if t.level == "leaf" { "    " } else { "" },
            t.topic,
            t.label,
            t.papers,
            t.x,
            t.y
        );
    }
    outln!("\n{:>6}  {:<14} {:>8} {:>8}  leaf", "id", "arxiv", "x", "y");
    for p in &map.points {
        outln!(
            "{:>6}  {:<14} {:>8.2} {:>8.2}  {}",
            p.id,
            arxiv
                .get(&p.id)
                .cloned()
                .flatten()
                .as_deref()
                .unwrap_or("-"),
            p.x,
            p.y,
            p.leaf
        );
    }
    Ok(())
}

pub fn topic(lib: &Library, cmd: TopicCommand) -> anyhow::Result<()> {
    match cmd {
        TopicCommand::Rename { topic, label } => lib.rename_topic(topic, &label)?,
        TopicCommand::Merge { from, into } => lib.merge_topics(from, into)?,
        TopicCommand::Pin { topic, off } => lib.pin_topic(topic, !off)?,
        TopicCommand::Move { paper, topic } => {
            let p = lib.find(&paper)?;
            lib.move_paper(p.id, topic)?
        }
        TopicCommand::New {
            label,
            parent,
            json,
        } => {
            let id = lib.create_topic(&label, parent)?;
            if json {
                return crate::print_json(&serde_json::json!({ "id": id }));
            }
            outln!("{id}");
        }
        TopicCommand::Split { topic, parts, json } => {
            let ids = lib.split_topic(topic, parts)?;
            if json {
                return crate::print_json(&serde_json::json!({ "ids": ids }));
            }
            let all = lib.topics()?;
            for id in ids {
                let label = all
                    .iter()
                    .find(|t| t.id == id)
                    .map_or("", |t| t.label.as_str());
                outln!("{id}  {label}");
            }
        }
    }
    eprintln!("done");
    Ok(())
}

// ---------------------------------------------------------------- benchmark

use crate::paths::{repo_dir, shared_dir};

struct Labelled {
    docs: Vec<DocText>,
    labels: Vec<usize>,
    names: usize,
}

fn label_ids(raw: Vec<String>) -> (Vec<usize>, usize) {
    let mut names: Vec<String> = raw.clone();
    names.sort();
    names.dedup();
    (
        raw.iter()
            .map(|r| names.binary_search(r).expect("label listed"))
            .collect(),
        names.len(),
    )
}

/// arXiv JSON lines (combined file or synthetic corpus); label = archive of the primary category.
fn read_jsonl(path: &Path) -> anyhow::Result<Labelled> {
    let text = std::fs::read_to_string(path)?;
    let mut docs = Vec::new();
    let mut raw = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let primary = match (&v["primary_category"], &v["categories"]) {
            (serde_json::Value::String(p), _) => p.clone(),
            (_, serde_json::Value::Array(a)) => {
                a.first().and_then(|c| c.as_str()).unwrap_or("").to_string()
            }
            (_, serde_json::Value::String(s)) => {
                s.split_whitespace().next().unwrap_or("").to_string()
            }
            _ => String::new(),
        };
        raw.push(primary.split('.').next().unwrap_or("").to_string());
        docs.push(DocText {
            title: v["title"].as_str().unwrap_or("").to_string(),
            body: v["abstract"].as_str().unwrap_or("").to_string(),
        });
    }
    let (labels, names) = label_ids(raw);
    Ok(Labelled {
        docs,
        labels,
        names,
    })
}

/// The maths listing CSV, read in place; label = first listed category.
fn read_math_csv(path: &Path) -> anyhow::Result<Labelled> {
    let mut r = csv::Reader::from_path(path)?;
    let headers = r.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow::anyhow!("{}: no column {name}", path.display()))
    };
    let (ti, ta, ab) = (col("title")?, col("tags")?, col("abstract")?);
    let mut docs = Vec::new();
    let mut raw = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        let tags = rec.get(ta).unwrap_or("");
        // "['math.ST', 'stat.ML']" → math.ST
        let first = tags
            .trim_start_matches(['[', '\'', '"', ' '])
            .split(['\'', '"', ',', ']'])
            .next()
            .unwrap_or("");
        raw.push(first.to_string());
        docs.push(DocText {
            title: rec.get(ti).unwrap_or("").to_string(),
            body: rec.get(ab).unwrap_or("").to_string(),
        });
    }
    let (labels, names) = label_ids(raw);
    Ok(Labelled {
        docs,
        labels,
        names,
    })
}

pub(crate) fn python() -> anyhow::Result<PathBuf> {
    let venv = repo_dir().join("bench-data/venv");
    let py = venv.join("bin/python");
    let ok = py.exists()
        && std::process::Command::new(&py)
            .args(["-c", "import sklearn"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    if !ok {
        eprintln!("installing scikit-learn into {} …", venv.display());
        let st = std::process::Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg(&venv)
            .status()?;
        anyhow::ensure!(st.success(), "python3 -m venv failed");
        let st = std::process::Command::new(venv.join("bin/pip"))
            .args(["install", "-q", "scikit-learn"])
            .status()?;
        anyhow::ensure!(st.success(), "pip install scikit-learn failed");
    }
    Ok(py)
}

pub(crate) fn baselines(
    kind: &str,
    path: &Path,
    k: usize,
    ours: &[usize],
    only: &str,
) -> anyhow::Result<serde_json::Value> {
    let ours_file = repo_dir().join(format!("bench-data/ours-{kind}.json"));
    std::fs::write(&ours_file, serde_json::to_string(ours)?)?;
    let out = std::process::Command::new(python()?)
        .arg(repo_dir().join("bench/topic_baselines.py"))
        .args(["--corpus", kind, "--path"])
        .arg(path)
        .args(["--k", &k.to_string(), "--only", only, "--ours"])
        .arg(&ours_file)
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "baselines failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

fn quality_run(
    name: &str,
    kind: &str,
    path: &Path,
    data: Labelled,
    skip_baselines: bool,
) -> anyhow::Result<()> {
    let k = data.names;
    outln!(
        "\n== {name}: {} papers, {k} labels ({})",
        data.docs.len(),
        path.display()
    );
    let t = Instant::now();
    let model = topics::fit(
        data.docs.clone(),
        FitOptions {
            leaves: Some(k),
            ..FitOptions::default()
        },
    );
    let secs = t.elapsed().as_secs_f64();
    let leaf = model.leaf_of.clone();
    let top_terms: Vec<Vec<u32>> = model
        .leaves
        .iter()
        .map(|l| model_top_terms(&model, l))
        .collect();
    let coherence = quality::npmi(&model.corpus.vectors, &top_terms);
    outln!(
        "topica  leaves k={k}: NMI {:.3}  ARI {:.3}  NPMI(top 10) {:.3}  {:.2} s",
        quality::nmi(&data.labels, &leaf),
        quality::ari(&data.labels, &leaf),
        coherence,
        secs
    );
    // The hierarchy as the app builds it: automatic leaves, parents at k.
    let t = Instant::now();
    let auto = topics::fit(
        data.docs.clone(),
        FitOptions {
            parents: Some(k),
            ..FitOptions::default()
        },
    );
    let psecs = t.elapsed().as_secs_f64();
    let parent_of: Vec<usize> = auto
        .leaf_of
        .iter()
        .map(|&l| auto.leaves[l].parent.unwrap_or(0))
        .collect();
    outln!(
        "topica  parents of {} auto leaves, k={}: NMI {:.3}  ARI {:.3}  {:.2} s",
        auto.leaves.len(),
        auto.parents.len(),
        quality::nmi(&data.labels, &parent_of),
        quality::ari(&data.labels, &parent_of),
        psecs
    );
    for l in model.leaves.iter().take(5) {
        outln!("   e.g. {}  ({} papers)", l.label, l.members.len());
    }
    let semantic = crate::semantic::quality(kind, &data.docs, &data.labels, k)?;
    if skip_baselines {
        return Ok(());
    }
    let b = baselines(kind, path, k, &leaf, "kmeans,nmf,lda")?;
    let mut best = ("", 0.0f64, 0.0f64);
    if let Some(map) = b["baselines"].as_object() {
        for (m, v) in map {
            let nmi = v["nmi"].as_f64().unwrap_or(0.0);
            let s = v["seconds"].as_f64().unwrap_or(0.0);
            outln!(
                "sklearn {m:<13} NMI {nmi:.3}  ARI {:.3}  {s:.2} s",
                v["ari"].as_f64().unwrap_or(0.0)
            );
            if nmi > best.1 {
                best = (m.as_str(), nmi, s);
            }
        }
    }
    outln!(
        "check: sklearn scores topica's leaves NMI {:.3} ARI {:.3}",
        b["ours"]["nmi"].as_f64().unwrap_or(0.0),
        b["ours"]["ari"].as_f64().unwrap_or(0.0)
    );
    outln!(
        "=> topica NMI − best baseline ({}) NMI = {:+.3}; time ratio topica/{} = {:.2}",
        best.0,
        quality::nmi(&data.labels, &leaf) - best.1,
        best.0,
        secs / best.2.max(1e-9)
    );
    if let Some((sem_leaf, rate)) = semantic {
        crate::semantic::baselines(kind, path, k, &data.labels, &sem_leaf, rate)?;
    }
    Ok(())
}

fn model_top_terms(model: &topics::Model, leaf: &topics::FittedTopic) -> Vec<u32> {
    // The centroid's heaviest terms: what the topic is about, as the vectors see it.
    let mut t: Vec<(u32, f32)> = leaf
        .centroid
        .idx
        .iter()
        .copied()
        .zip(leaf.centroid.val.iter().copied())
        .collect();
    t.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let _ = model;
    t.into_iter().take(10).map(|p| p.0).collect()
}

/// `topica-cli bench-topics`: quality against arXiv labels beside scikit-learn, and speed at 100k.
pub fn bench(synth_n: usize, skip_baselines: bool, only: Option<String>) -> anyhow::Result<()> {
    let shared = shared_dir();
    if !shared.join("data/arxiv_corpus").exists() {
        outln!(
            "bench-topics: skipped, {} not found (set TOPICA_SHARED)",
            shared.display()
        );
        return Ok(());
    }
    let want = |s: &str| only.as_deref().is_none_or(|o| o.split(',').any(|x| x == s));
    std::fs::create_dir_all(repo_dir().join("bench-data"))?;
    if want("combined") {
        let p = shared.join("data/arxiv_corpus/combined_normalized.jsonl");
        quality_run(
            "combined arXiv (archives)",
            "jsonl",
            &p,
            read_jsonl(&p)?,
            skip_baselines,
        )?;
    }
    if want("math") {
        let p = shared.join("data/arxiv_corpus/math_2505_scrape__clopezvice_ArXiv-Scraper.csv");
        quality_run(
            "maths listing (categories)",
            "mathcsv",
            &p,
            read_math_csv(&p)?,
            skip_baselines,
        )?;
    }
    if want("speed") {
        speed(&shared, synth_n, skip_baselines)?;
    }
    Ok(())
}

fn speed(shared: &Path, n: usize, skip_baselines: bool) -> anyhow::Result<()> {
    let path = repo_dir().join(format!("bench-data/synth-{n}.jsonl"));
    if !path.exists() {
        eprintln!("generating {} …", path.display());
        let out = std::process::Command::new("python3")
            .arg(shared.join("tools/synth_corpus.py"))
            .args(["--n", &n.to_string()])
            .output()?;
        anyhow::ensure!(out.status.success(), "synth_corpus.py failed");
        std::fs::write(&path, out.stdout)?;
    }
    let data = read_jsonl(&path)?;
    outln!(
        "\n== speed: {} synthetic papers ({} labels)",
        data.docs.len(),
        data.names
    );
    // Hold the last 1,000 papers out: they are the "newly imported" ones.
    let held = 1000.min(data.docs.len() / 10);
    let (fit_docs, new_docs) = data.docs.split_at(data.docs.len() - held);
    let t = Instant::now();
    let model = topics::fit(fit_docs.to_vec(), FitOptions::default());
    let auto_secs = t.elapsed().as_secs_f64();
    outln!(
        "topica  auto: {} leaves, {} parents in {:.1} s",
        model.leaves.len(),
        model.parents.len(),
        auto_secs
    );
    let centroids: Vec<topics::SparseVec> =
        model.leaves.iter().map(|l| l.centroid.clone()).collect();
    let t = Instant::now();
    for d in new_docs {
        let (v, _) = topics::vectorize::vector_of(&model.corpus.vocab, d);
        std::hint::black_box(topics::model::nearest(&centroids, &v, 3));
    }
    let per = t.elapsed().as_secs_f64() * 1000.0 / new_docs.len().max(1) as f64;
    outln!(
        "topica  assign one new paper: {per:.3} ms (mean of {})",
        new_docs.len()
    );
    drop(model);
    let t = Instant::now();
    let model = topics::fit(
        data.docs.clone(),
        FitOptions {
            leaves: Some(data.names),
            ..FitOptions::default()
        },
    );
    let k_secs = t.elapsed().as_secs_f64();
    outln!(
        "topica  k={}: {:.1} s  NMI {:.3}",
        data.names,
        k_secs,
        quality::nmi(&data.labels, &model.leaf_of)
    );
    outln!(
        "peak memory (this process): {:.0} MB",
        crate::timings::peak_rss_mb()
    );
    drop(model);
    if !skip_baselines {
        let b = baselines("synth", &path, data.names, &vec![0; data.docs.len()], "nmf")?;
        let s = b["baselines"]["tfidf+nmf"]["seconds"]
            .as_f64()
            .unwrap_or(0.0);
        outln!(
            "sklearn tfidf+nmf k={}: {:.1} s  NMI {:.3}",
            data.names,
            s,
            b["baselines"]["tfidf+nmf"]["nmi"].as_f64().unwrap_or(0.0)
        );
        outln!(
            "=> time ratio topica/sklearn-NMF at k={}: {:.2}; topica auto-k {:.1} s vs NMF {:.1} s",
            data.names,
            k_secs / s.max(1e-9),
            auto_secs,
            s
        );
    }
    Ok(())
}
