//! Export commands (bibliographies, citations, keys). Wired as the engine's exporters land.
