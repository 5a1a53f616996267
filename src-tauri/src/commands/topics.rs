//! Topic commands (topic tree, map, related papers). Wired as the engine's topic model lands.
