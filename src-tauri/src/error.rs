//! Errors at the IPC edge: every failure crosses to the web view as `{kind, message}`.
//!
//! `kind` is the engine's stable code (`topica_core::Error::kind`); `internal` errors carry a
//! generic message and their details go to the log only, so internals never reach the UI.

use serde::Serialize;

/// What a failed command returns to the front end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct IpcError {
    pub kind: String,
    pub message: String,
    /// For `invalidFields`: each refused field with its reason, for the form to show in place.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fields: Option<Vec<topica_core::FieldError>>,
}

/// The message shown for anything the user cannot act on.
pub const INTERNAL_MESSAGE: &str =
    "Something went wrong inside Topica. The details are in the log.";

impl IpcError {
    pub fn new(kind: &str, message: impl Into<String>) -> IpcError {
        IpcError {
            kind: kind.to_string(),
            message: message.into(),
            fields: None,
        }
    }

    /// A path the window asked for that the user did not choose (see `AppState::grant`).
    pub fn not_chosen(path: &std::path::Path) -> IpcError {
        IpcError::new(
            "notChosen",
            format!(
                "{} was not chosen in a dialog or dropped on the window; Topica reads and writes only the files you pick",
                path.display()
            ),
        )
    }

    /// An internal failure: log the details, show the generic message.
    pub fn internal(details: impl std::fmt::Display) -> IpcError {
        tracing::error!("internal error: {details}");
        eprintln!("topica: internal error: {details}");
        IpcError::new("internal", INTERNAL_MESSAGE)
    }
}

impl From<topica_core::Error> for IpcError {
    fn from(e: topica_core::Error) -> IpcError {
        match (e.kind(), &e) {
            ("internal", _) => IpcError::internal(&e),
            (kind, topica_core::Error::InvalidFields(fields)) => IpcError {
                fields: Some(fields.clone()),
                ..IpcError::new(kind, e.to_string())
            },
            (kind, _) => IpcError::new(kind, e.to_string()),
        }
    }
}

/// Result type of every command.
pub type CmdResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_kind_and_message() {
        let e: IpcError = topica_core::Error::NotFound("42".into()).into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "notFound", "message": "no paper matches \"42\""})
        );
        let e: IpcError = topica_core::Error::InvalidQuery {
            position: 3,
            reason: "unclosed quote".into(),
        }
        .into();
        assert_eq!(serde_json::to_value(&e).unwrap()["kind"], "invalidQuery");
        assert!(e.message.contains("character 3"), "{}", e.message);
    }

    #[test]
    fn internal_errors_hide_details() {
        let db = rusqlite_error();
        let e: IpcError = db.into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"kind": "internal", "message": INTERNAL_MESSAGE})
        );
    }

    fn rusqlite_error() -> topica_core::Error {
        // A database error without depending on rusqlite here: open a library on a file, not a dir.
        let dir = std::env::temp_dir().join(format!("topica-ipc-err-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("library.sqlite");
        std::fs::create_dir_all(&file).unwrap(); // a directory where the database file should be
        let err = topica_core::Library::open(&dir)
            .err()
            .expect("opening must fail");
        let _ = std::fs::remove_dir_all(&dir);
        err
    }
}
