//! Shared helpers: a temporary library per test and paths to committed fixtures.

use std::path::PathBuf;

use topica_core::{Library, Topic};

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

/// A topic with the papers listed under it (most central first) as they were when it was read:
/// the tree itself carries sizes only.
#[derive(Debug, Clone)]
pub struct Listed {
    pub topic: Topic,
    pub papers: Vec<i64>,
}

impl std::ops::Deref for Listed {
    type Target = Topic;
    fn deref(&self) -> &Topic {
        &self.topic
    }
}

/// `topics` (the tree `topics` or `recompute_topics` returned), each with its papers now.
pub fn listed(lib: &Library, topics: Vec<Topic>) -> Vec<Listed> {
    topics
        .into_iter()
        .map(|topic| Listed {
            papers: lib.topic_members(topic.id).expect("topic members"),
            topic,
        })
        .collect()
}

/// The library's topic tree, each topic with its papers.
pub fn topics_listed(lib: &Library) -> Vec<Listed> {
    listed(lib, lib.topics().expect("topics"))
}

/// `tests/fixtures/<rel>` at the repository root.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel)
}

/// A real HTTP/1.1 server on 127.0.0.1 for the online paths: each request is answered by the
/// test's handler, on a thread of its own (so a reply held back to test timeouts blocks only
/// itself).
pub mod http {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// What the server saw of one request.
    #[derive(Debug, Clone)]
    pub struct Request {
        /// Path and query, as sent.
        pub target: String,
        pub accept: String,
        /// The `Range` header, when sent.
        pub range: String,
    }

    /// The answer to one request.
    pub struct Reply {
        pub status: u16,
        pub headers: Vec<(&'static str, String)>,
        pub body: Vec<u8>,
        /// Held back this long before anything is written.
        pub delay: Duration,
    }

    impl Reply {
        pub fn new(status: u16, content_type: &str, body: impl Into<String>) -> Reply {
            Reply::bytes(status, content_type, body.into().into_bytes())
        }

        pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
            Reply {
                status,
                headers: vec![("Content-Type", content_type.to_string())],
                body,
                delay: Duration::ZERO,
            }
        }
    }

    pub struct Server {
        /// `http://127.0.0.1:PORT`
        pub base: String,
        pub requests: Arc<Mutex<Vec<Request>>>,
    }

    impl Server {
        pub fn seen(&self) -> Vec<Request> {
            self.requests.lock().unwrap().clone()
        }
    }

    pub fn serve(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let seen = requests.clone();
        let handler = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let seen = seen.clone();
                let handler = handler.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    if reader.read_line(&mut line).is_err() {
                        return;
                    }
                    let mut accept = String::new();
                    let mut range = String::new();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                            break;
                        }
                        if let Some(v) = h.to_ascii_lowercase().strip_prefix("accept:") {
                            accept = v.trim().to_string();
                        }
                        if let Some(v) = h.to_ascii_lowercase().strip_prefix("range:") {
                            range = v.trim().to_string();
                        }
                    }
                    let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
                    let request = Request {
                        target,
                        accept,
                        range,
                    };
                    seen.lock().unwrap().push(request.clone());
                    let reply = handler(&request);
                    std::thread::sleep(reply.delay);
                    let mut head = format!("HTTP/1.1 {} Status\r\n", reply.status);
                    for (k, v) in &reply.headers {
                        head.push_str(&format!("{k}: {v}\r\n"));
                    }
                    head.push_str(&format!(
                        "Content-Length: {}\r\nConnection: close\r\n\r\n",
                        reply.body.len()
                    ));
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&reply.body);
                });
            }
        });
        Server { base, requests }
    }
}
