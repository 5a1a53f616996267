//! `topica-embed`: a sentence encoder run in Rust. all-MiniLM-L6-v2 (a 6-layer BERT, 384
//! dimensions) loaded from its sentence-transformers folder (`config.json`, `tokenizer.json`,
//! `model.safetensors`) and run on the CPU by our own forward pass (`bert`, over `gemm`): token embeddings mean-pooled over the
//! attention mask and scaled to unit length, as sentence-transformers does, so cosine similarity
//! is a dot product. No Python and nothing downloaded: the folder comes from the user's data
//! directory (see `topica-core`'s model settings) or `scripts/install-model.sh`.

mod bert;
mod encoder;
mod error;
mod folder;

pub use encoder::{Encoder, EncoderOptions};
pub use error::EmbedError;
pub use folder::{model_files, ModelFile, ModelFolder, MODEL_NAME};

/// Dimensions of an all-MiniLM-L6-v2 vector.
pub const DIMENSIONS: usize = 384;
