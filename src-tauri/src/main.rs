// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// mimalloc, as topica-cli: the same engine with the same allocator (why: topica-cli's main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // A PDF is read in a child process (this program, started with a worker argument): serve
    // that and exit before anything of the app starts.
    topica_core::serve_pdf_worker_if_asked();
    topica_app::run();
}
