//! How WebKitGTK draws the window on Linux.
//!
//! WebKitGTK composites pages with OpenGL. Without a GPU that GL is Mesa's software renderer
//! (llvmpipe), and entering compositing mode is the slowest step of a cold start: measured with
//! `npm run bench:startup` on a machine with no `/dev/dri`, first paint took 1,591 ms and 360 MB
//! (PSS) with compositing, 1,120 ms and 260 MB without — the first frame alone went from 280 ms
//! to 17 ms. So when there is no GPU render node we ask WebKit not to composite; with a GPU we
//! leave WebKit's default alone. A value the user set themselves always wins.

use std::path::Path;

/// WebKitGTK's switch for compositing (read by the UI and web processes at start).
const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Call first thing in `run`, before GTK or WebKit start (and before any thread does).
pub fn choose() {
    if cfg!(target_os = "linux")
        && std::env::var_os(DISABLE_COMPOSITING).is_none()
        && !has_render_node(Path::new("/dev/dri"))
    {
        // Single-threaded here: nothing else reads the environment yet.
        std::env::set_var(DISABLE_COMPOSITING, "1");
    }
}

/// Whether `dri` (normally `/dev/dri`) holds a GPU render node (`renderD128`, …).
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_means_a_gpu() {
        let dir = std::env::temp_dir().join(format!("topica-dri-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        let dri = dir.join("dri");
        assert!(!has_render_node(&dri), "no /dev/dri at all");
        std::fs::create_dir(&dri).unwrap();
        std::fs::write(dri.join("card0"), "").unwrap();
        assert!(
            !has_render_node(&dri),
            "a display card without a render node"
        );
        std::fs::write(dri.join("renderD128"), "").unwrap();
        assert!(has_render_node(&dri));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
