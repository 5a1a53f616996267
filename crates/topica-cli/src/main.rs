//! `topica-cli`: the engine headless. Parse arguments, call the [`topica_core::Library`] facade,
//! print, exit. `--json` output is one JSON document on stdout; messages go to stderr.

mod auto_export;
mod backups;
mod enrich;
mod export;
mod files;
mod manage;
mod organize;
mod paths;
mod semantic;
mod styles;
mod timings;
mod topics;

use std::path::PathBuf;
use std::process::ExitCode;

mod bench;

use clap::{Parser, Subcommand};
use serde::Serialize;
use topica_core::{Format, ImportOptions, Library};

// mimalloc rather than the system allocator: a bulk import allocates and frees small strings
// for every record and word, and glibc's malloc and free were 7 % of its CPU at 100k papers.
// With mimalloc the import used 5-10 % less CPU a paper (alternated runs, docs/benchmarks.md).
// Built without transparent huge pages (`no_thp`): with them the app's memory at 1M papers rose
// by 24 MB (PSS 399 against 375 MB); without, it is the system allocator's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "topica-cli",
    version,
    about = "Topica's library engine from the command line"
)]
struct Cli {
    /// Library directory (default: the desktop app's library).
    #[arg(long, global = true, env = "TOPICA_LIBRARY")]
    library: Option<PathBuf>,
    /// Semantic mode's model folder for this run (default: the desktop app's model folder, or
    /// TOPICA_MODEL_DIR). Checked first: a folder without the model is an error naming the
    /// file it lacks.
    #[arg(long, global = true, value_name = "PATH")]
    model_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import files (format detected from content unless --format is given).
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// seed, arxiv-jsonl, arxiv-atom, bibtex, ris, csl-json, id-list
        #[arg(long)]
        format: Option<Format>,
        /// All or nothing: refuse the import when any record cannot be read (by default every
        /// readable record comes in and each other one is reported).
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        json: bool,
    },
    /// Import the embedded sample library.
    ImportSample {
        #[arg(long)]
        json: bool,
    },
    /// List papers.
    List {
        #[arg(long, default_value_t = 0)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one paper (library id, arXiv id or citation key).
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Counts.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Search (title:, abstract:, author:, year:2021, year:2019..2022, tag:, id:, "phrases", prefix*).
    Search {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
        /// Also save the query under this name (a saved search: `saved` lists them).
        #[arg(long)]
        save: Option<String>,
        /// Of the best --limit hits, those listed under this topic (a leaf, or a parent's
        /// leaves): the app's facet.
        #[arg(long)]
        topic: Option<i64>,
        /// Also print how many hits fall in each leaf topic (to stderr; with --json, as
        /// `{"hits": …, "facets": …}`).
        #[arg(long)]
        facets: bool,
    },
    /// Saved searches with how many papers each matches now; --delete NAME removes one,
    /// --rename OLD NEW renames one.
    Saved {
        #[arg(long)]
        delete: Option<String>,
        /// Rename one: --rename OLD NEW.
        #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
        rename: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the search index from the database.
    Reindex,
    /// Topics of the library: broader topics and their leaves, with labels and papers.
    Topics {
        #[arg(long)]
        json: bool,
        /// Refit the model (user edits are carried over).
        #[arg(long)]
        recompute: bool,
        /// Number of leaf topics (remembered; implies --recompute).
        #[arg(long)]
        k: Option<usize>,
        /// How topics are found (remembered; implies --recompute): semantic (sentence
        /// embeddings, needs the model), lexical (words), or auto (semantic where the model is).
        #[arg(long, value_parser = ["semantic", "lexical", "auto"])]
        mode: Option<String>,
    },
    /// Semantic mode: the model's folder, the mode in use, how many papers are embedded
    /// (`--model-dir PATH` checks another folder and shows it in use).
    Semantic {
        #[arg(long)]
        json: bool,
    },
    /// Downloads semantic mode's model from its hub (resumable, checksum-verified) into the
    /// default model folder or `--to`.
    DownloadModel {
        #[arg(long)]
        to: Option<PathBuf>,
        /// The hub's base URL for the model's files (default: Hugging Face; env TOPICA_MODEL_HUB).
        #[arg(long, default_value = topica_core::DEFAULT_MODEL_HUB)]
        hub: String,
        #[arg(long)]
        json: bool,
    },
    /// Embeds every paper that has no current embedding (semantic mode's cache), with progress.
    Embed {
        #[arg(long)]
        json: bool,
    },
    /// Papers most related to one paper.
    Related {
        id: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// The map of papers: each paper's place on a plane (near papers like it) and each topic's
    /// label at the centre of its papers.
    Map {
        #[arg(long)]
        json: bool,
    },
    /// Edit topics: rename, merge, pin, move a paper.
    Topic {
        #[command(subcommand)]
        command: topics::TopicCommand,
    },
    /// Topic quality (NMI/ARI vs arXiv labels, beside scikit-learn) and speed at 100k papers.
    BenchTopics {
        /// Size of the synthetic corpus for the speed run.
        #[arg(long, default_value_t = 100_000)]
        synth_n: usize,
        /// Only Topica's figures (no Python).
        #[arg(long)]
        skip_baselines: bool,
        /// Comma-separated subset of combined,math,speed.
        #[arg(long)]
        only: Option<String>,
    },
    /// Fetch title, authors and metadata from the arXiv API for papers that only have an arXiv id.
    Enrich {
        /// arXiv API query URL (default http://export.arxiv.org/api/query).
        #[arg(long)]
        base_url: Option<String>,
        /// Seconds between requests (arXiv asks for 3).
        #[arg(long)]
        interval: Option<f64>,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Manage(manage::ManageCommand),
    #[command(flatten)]
    Files(files::FilesCommand),
    /// Back up the database now (`--to FILE`, or the library's backups/ folder); `backup list`;
    /// `backup restore FILE`.
    Backup(backups::BackupArgs),
    /// Tags on many papers at once: add, remove, rename (merge), list.
    Tag {
        #[command(subcommand)]
        command: organize::TagCommand,
    },
    /// Collections: put papers in, take them out, list.
    Collection {
        #[command(subcommand)]
        command: organize::CollectionCommand,
    },
    /// Keep-updated exports: files rewritten whenever what they hold changes.
    AutoExport {
        #[command(subcommand)]
        command: auto_export::AutoExportCommand,
    },
    /// Groups of papers that may be duplicates (the import's automatic merge left them apart).
    Duplicates {
        #[arg(long)]
        json: bool,
    },
    /// Merge papers into the first one named; the others go to the trash (one undo step).
    Merge {
        #[arg(required = true, num_args = 2..)]
        references: Vec<String>,
        /// Take a field's value from another paper than the first: FIELD=REF (repeatable).
        #[arg(long)]
        take: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Remember that these papers are not duplicates (never proposed again).
    NotDuplicates {
        #[arg(required = true, num_args = 2..)]
        references: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Mark papers read, unread, starred or not.
    Mark {
        #[arg(value_enum)]
        mark: organize::Mark,
        #[arg(required = true)]
        references: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Benchmarks: import throughput and search latency beside SQLite FTS5 (needs ../shared).
    Bench {
        #[arg(value_enum, default_value = "all")]
        what: bench::What,
        /// Timed rounds over the query set.
        #[arg(long, default_value_t = 10)]
        rounds: usize,
        /// Size of the synthetic corpus (import and search): 100000, or 1000000 for the 1M run.
        #[arg(long, default_value_t = 100_000)]
        papers: usize,
        /// Times the synthetic corpus is imported both ways (`bench import`), Topica then FTS5
        /// each time; with more than one, the median ratio is printed after the runs, since
        /// this machine's speed drifts between runs.
        #[arg(long, default_value_t = 1)]
        imports: usize,
    },
    /// Export a bibliography (BibTeX, BibLaTeX, RIS, CSL-JSON, or formatted in a CSL style).
    Export(export::ExportArgs),
    /// Citation styles: the bundled ones and the .csl files added to the library.
    Styles {
        #[command(subcommand)]
        command: styles::StylesCommand,
    },
    /// Citation keys: the pattern, regeneration, manual keys.
    Keys {
        #[command(subcommand)]
        command: export::KeysCommand,
    },
    /// Export benchmark: 10,000 papers to BibTeX, RIS, CSL-JSON, APA (needs ../shared).
    BenchExport {
        #[command(subcommand)]
        what: export::BenchCommand,
    },
}

/// `println!` that returns a write error instead of panicking, so a closed pipe
/// (`topica-cli list | head -1`) ends the command quietly (see `main`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?
    }};
}
pub(crate) use outln;

fn main() -> ExitCode {
    // A PDF is read by a copy of this program started for it (see topica_core::files).
    topica_core::serve_pdf_worker_if_asked();
    let cli = Cli::parse();
    timings::print_steps_if_asked();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`): what it wanted was written; say nothing, as cat does.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("topica-cli: {e}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::BenchTopics {
        synth_n,
        skip_baselines,
        only,
    } = cli.command
    {
        return topics::bench(synth_n, skip_baselines, only);
    }
    if let Command::Bench {
        what,
        rounds,
        papers,
        imports,
    } = cli.command
    {
        let runs = bench::Runs {
            rounds,
            papers,
            imports,
        };
        return bench::run(what, runs, cli.library.as_deref()); // scratch libraries of its own; `related` the one --library names
    }
    if let Command::DownloadModel { to, hub, json } = &cli.command {
        return semantic::download(to.as_deref(), hub, *json); // needs no library
    }
    if let Command::BenchExport { what } = cli.command {
        return export::run_bench(what); // benchmarks use their own temporary libraries
    }
    let dir = cli.library.unwrap_or_else(topica_core::default_library_dir);
    let lib = Library::open(&dir)?;
    if let Some(n) = lib.index_rebuilt_at_open() {
        eprintln!(
            "The search index was missing, out of date or damaged: rebuilt from the database ({n} papers)."
        );
    }
    // Semantic mode where the model is installed (`scripts/install-model.sh`, or the app's
    // download); TOPICA_MODEL_DIR points elsewhere, and --model-dir elsewhere again (checked).
    match &cli.model_dir {
        Some(d) => {
            lib.use_model_dir(d)?;
        }
        None => lib.set_model_dir(Some(&topica_core::semantic::default_model_dir())),
    }
    if let Ok(exe) = std::env::current_exe() {
        lib.set_pdf_reader(topica_core::PdfReader {
            worker: Some(exe),
            ..Default::default()
        });
    }
    match cli.command {
        Command::Import {
            files,
            format,
            strict,
            json,
        } => {
            let report = lib.import_files(&files, &ImportOptions { format, strict })?;
            for s in &report.skipped {
                eprintln!("skipped {s}");
            }
            for w in &report.warnings {
                eprintln!("warning {w}");
            }
            if json {
                print_json(&report)?;
            } else {
                eprintln!(
                    "added {}, merged {}, skipped {}",
                    report.added,
                    report.merged,
                    report.skipped.len()
                );
                if report.duplicates > 0 {
                    eprintln!(
                        "{} records duplicated papers added earlier in this import and were merged into them",
                        report.duplicates
                    );
                }
            }
        }
        Command::ImportSample { json } => {
            let report = lib.import_sample()?;
            if json {
                print_json(&report)?;
            } else {
                eprintln!("added {}, merged {}", report.added, report.merged);
            }
        }
        Command::List { limit, json } => {
            let papers = lib.papers(limit, 0)?;
            if json {
                print_json(&papers)?;
            } else {
                for p in papers {
                    outln!(
                        "{:>6}  {:<14} {:>4}  {}",
                        p.id,
                        p.arxiv_id.as_deref().unwrap_or("-"),
                        p.year.map_or("-".into(), |y| y.to_string()),
                        p.display_title()
                    );
                }
            }
        }
        Command::Show { id, json } => {
            let p = lib.find(&id)?;
            if json {
                print_json(&p)?;
            } else {
                outln!("{}", p.display_title());
                let names: Vec<String> = p.authors.iter().map(|a| a.display_name()).collect();
                if !names.is_empty() {
                    outln!("{}", names.join(", "));
                }
                if let Some(a) = &p.arxiv_id {
                    outln!(
                        "arXiv:{}{}",
                        a,
                        p.arxiv_version.map_or(String::new(), |v| format!("v{v}"))
                    );
                }
                if let Some(y) = p.year {
                    outln!("{y}");
                }
                // As the window shows it: glued words written as their words (`--json` gives
                // the paper as stored).
                if let Some(a) = lib.readable_abstract(p.id)?.or(p.abstract_text) {
                    outln!("\n{a}");
                }
            }
        }
        Command::Stats { json } => {
            let s = lib.stats()?;
            if json {
                print_json(&s)?;
            } else {
                outln!(
                    "papers: {}\nwith arXiv id: {}\nwith DOI: {}\nwithout title: {}",
                    s.papers,
                    s.with_arxiv_id,
                    s.with_doi,
                    s.without_title
                );
            }
        }
        Command::Saved {
            delete,
            rename,
            json,
        } => {
            if let Some(name) = delete {
                lib.delete_saved_search(&name)?;
            }
            if let [from, to] = rename.as_slice() {
                lib.rename_saved_search(from, to)?;
            }
            let list = lib.saved_searches()?;
            if json {
                print_json(&list)?;
            } else {
                for s in list {
                    outln!("{:>6}  {}  ({})", s.count, s.name, s.query);
                }
            }
        }
        Command::Search {
            query,
            limit,
            json,
            save,
            topic,
            facets,
        } => {
            if let Some(name) = save {
                lib.save_search(&name, &query)?;
                eprintln!("saved as {name:?}");
            }
            if topic.is_some() || facets {
                // Facets need topics: fitted first on a library without any, as the window does
                // (before searching: the fit adds topic labels to what a search matches).
                lib.topics_fitted()?;
            }
            let mut r = lib.search(&query, limit)?;
            if let Some(topic) = topic {
                let ids: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
                let kept: std::collections::HashSet<i64> =
                    lib.in_topic(&ids, topic)?.into_iter().collect();
                r.hits.retain(|h| kept.contains(&h.id));
            }
            let counts = if facets {
                lib.topic_counts(&query)?
            } else {
                vec![]
            };
            if json && facets {
                print_json(&serde_json::json!({ "hits": r.hits, "facets": counts }))?;
            } else if json {
                print_json(&r.hits)?;
            } else {
                for c in &counts {
                    eprintln!("{:>6} in [{}] {}", c.count, c.topic, c.label);
                }
                eprintln!(
                    "{} papers match{}",
                    r.total,
                    if r.fuzzy { " (typo-tolerant)" } else { "" }
                );
                for h in r.hits {
                    outln!(
                        "{:>6}  {:<14} {:6.2}  {}{}",
                        h.id,
                        h.arxiv_id.as_deref().unwrap_or("-"),
                        h.score,
                        h.title,
                        h.page.map_or(String::new(), |p| format!("  (p. {p})"))
                    );
                }
            }
        }
        Command::Bench { .. } => unreachable!("handled above"),
        Command::Manage(command) => manage::run(&lib, command)?,
        Command::Files(command) => files::run(&lib, command)?,
        Command::Backup(args) => backups::run(&lib, args)?,
        Command::Tag { command } => organize::tag(&lib, command)?,
        Command::Collection { command } => organize::collection(&lib, command)?,
        Command::Mark {
            mark,
            references,
            json,
        } => organize::mark(&lib, mark, &references, json)?,
        Command::Duplicates { json } => organize::duplicates(&lib, json)?,
        Command::Merge {
            references,
            take,
            json,
        } => organize::merge(&lib, &references, &take, json)?,
        Command::NotDuplicates { references, json } => {
            organize::not_duplicates(&lib, &references, json)?
        }
        Command::Reindex => {
            let n = lib.rebuild_index()?;
            eprintln!("indexed {n} papers");
        }
        Command::Topics {
            json,
            recompute,
            k,
            mode,
        } => topics::topics(&lib, json, recompute, k, mode.as_deref())?,
        Command::Semantic { json } => semantic::status(&lib, json)?,
        Command::Embed { json } => semantic::embed(&lib, json)?,
        Command::DownloadModel { .. } => unreachable!("handled before opening a library"),
        Command::Related { id, limit, json } => topics::related(&lib, &id, limit, json)?,
        Command::Map { json } => topics::map(&lib, json)?,
        Command::Topic { command } => topics::topic(&lib, command)?,
        Command::BenchTopics { .. } => unreachable!("handled before opening a library"),
        Command::Enrich {
            base_url,
            interval,
            json,
        } => enrich::run(&lib, base_url, interval, json)?,
        Command::Export(args) => export::run_export(&lib, args)?,
        Command::Keys { command } => export::run_keys(&lib, command)?,
        Command::Styles { command } => styles::run(&lib, command)?,
        Command::BenchExport { .. } => unreachable!("handled before opening the library"),
        Command::AutoExport { command } => auto_export::run(&lib, command)?,
    }
    // Whatever changed the library, its keep-updated exports follow before the process ends
    // (a command that changed nothing finds none behind, and renders nothing).
    auto_export::refresh(&lib)?;
    Ok(())
}
