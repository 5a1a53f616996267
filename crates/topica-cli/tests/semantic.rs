//! `topica-cli --model-dir`: semantic mode's model read from a folder of the user's choosing,
//! checked first (the window's Settings → Semantic topics → Use a folder… does the same).

mod common;

use common::{cli, json};

fn installed_model() -> std::path::PathBuf {
    topica_core::semantic::installed_model_dir()
}

#[test]
fn model_dir_takes_a_copy_of_the_model_and_refuses_a_folder_without_it() {
    let scratch = tempfile::tempdir().unwrap();
    let lib = scratch.path().join("library");
    json(&cli(&lib, &["import-sample", "--json"]));

    // A copy of the model in a folder of its own.
    let copy = scratch.path().join("my model");
    std::fs::create_dir(&copy).unwrap();
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::copy(installed_model().join(f), copy.join(f))
            .unwrap_or_else(|e| panic!("{f}: {e}: run scripts/install-model.sh"));
    }
    let copy_arg = copy.to_str().unwrap();
    let status = json(&cli(&lib, &["semantic", "--model-dir", copy_arg, "--json"]));
    assert_eq!(status["modelDir"], copy_arg);
    assert_eq!(status["modelPresent"], true);
    assert_eq!(status["mode"], "semantic", "{status}");
    // The option is global: before the subcommand too, and in text form.
    let out = cli(&lib, &["--model-dir", copy_arg, "semantic"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!("model: {copy_arg} (present)")),
        "{text}"
    );

    // A folder without the model: an error naming the folder and the file, exit code 1.
    let empty = scratch.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = cli(
        &lib,
        &["semantic", "--model-dir", empty.to_str().unwrap(), "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(empty.to_str().unwrap()) && err.contains("config.json"),
        "{err}"
    );
}
