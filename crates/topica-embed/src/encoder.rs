//! Texts → unit vectors. Texts are tokenized once and packed into batches of a few thousand
//! tokens with no padding (see `bert`); a batch uses every thread of the encoder's pool, in its
//! matrix products, its attention heads and its element-wise steps, so one text alone (a paper
//! just added) is as parallel as a library's worth.

use tokenizers::{Tokenizer, TruncationParams};

use crate::bert::{Bert, BertConfig};
use crate::{EmbedError, ModelFolder, DIMENSIONS};

/// How texts are cut and batched.
#[derive(Debug, Clone, Copy)]
pub struct EncoderOptions {
    /// Tokens kept per text (sentence-transformers' `max_seq_length` for this model: 256).
    pub max_tokens: usize,
    /// Tokens per batch at most (a text longer than this is a batch of its own). Bigger batches
    /// make bigger, more efficient matrix products; progress and Cancel are checked per batch.
    pub batch_tokens: usize,
    /// Threads of the encoder's pool; 0 = one per core.
    pub threads: usize,
}

impl Default for EncoderOptions {
    fn default() -> Self {
        EncoderOptions {
            max_tokens: 256,
            batch_tokens: 4096,
            threads: 0,
        }
    }
}

/// A loaded all-MiniLM-L6-v2.
pub struct Encoder {
    model: Bert,
    tokenizer: Tokenizer,
    opts: EncoderOptions,
    pool: rayon::ThreadPool,
}

/// Whether to go on: called after each batch with (texts done, texts in all).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) -> bool + Sync);

impl Encoder {
    pub fn load(folder: &ModelFolder, opts: EncoderOptions) -> Result<Encoder, EmbedError> {
        let config_path = folder.file("config.json");
        let config: BertConfig = std::fs::read_to_string(&config_path)
            .map_err(|e| e.to_string())
            .and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string()))
            .map_err(|reason| EmbedError::BadFile {
                path: config_path.clone(),
                reason,
            })?;
        if config.hidden_size != DIMENSIONS {
            return Err(EmbedError::BadFile {
                path: config_path,
                reason: format!(
                    "vectors of {} dimensions, where Topica stores {DIMENSIONS}",
                    config.hidden_size
                ),
            });
        }
        let tok_path = folder.file("tokenizer.json");
        let mut tokenizer = Tokenizer::from_file(&tok_path).map_err(|e| EmbedError::BadFile {
            path: tok_path.clone(),
            reason: e.to_string(),
        })?;
        tokenizer.with_padding(None);
        let model = Bert::load(config, &folder.file("model.safetensors"))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: opts.max_tokens.min(model.max_tokens()),
                ..Default::default()
            }))
            .map_err(|e| EmbedError::BadFile {
                path: tok_path,
                reason: e.to_string(),
            })?;
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            opts.threads
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("embed-{i}"))
            .build()
            .map_err(|e| EmbedError::Run(e.to_string()))?;
        Ok(Encoder {
            model,
            tokenizer,
            opts,
            pool,
        })
    }

    /// One unit vector per text, in order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(self
            .embed_with_progress(texts, &|_, _| true)?
            .expect("never cancelled"))
    }

    /// [`Encoder::embed`], reporting progress; `None` when `progress` returned false (cancelled).
    pub fn embed_with_progress(
        &self,
        texts: &[&str],
        progress: Progress<'_>,
    ) -> Result<Option<Vec<Vec<f32>>>, EmbedError> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError::Run(e.to_string()))?;
        let ids: Vec<&[u32]> = encodings.iter().map(|e| e.get_ids()).collect();
        let mut out = Vec::with_capacity(texts.len());
        for batch in batches(&ids, self.opts.batch_tokens) {
            let pooled = self.pool.install(|| self.model.mean_pooled(&ids[batch]))?;
            out.extend(pooled.iter().map(|v| unit(v)));
            if !progress(out.len(), texts.len()) {
                return Ok(None);
            }
        }
        Ok(Some(out))
    }
}

/// Consecutive runs of texts of at most `budget` tokens together (at least one text each).
fn batches(ids: &[&[u32]], budget: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut tokens) = (0, 0);
    for (i, t) in ids.iter().enumerate() {
        if i > start && tokens + t.len() > budget {
            out.push(start..i);
            (start, tokens) = (i, 0);
        }
        tokens += t.len();
    }
    if start < ids.len() {
        out.push(start..ids.len());
    }
    out
}

fn unit(v: &[f32]) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter().map(|x| x / norm).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_keep_order_within_the_budget() {
        let texts: Vec<Vec<u32>> = [5, 200, 7, 190, 6, 600]
            .iter()
            .map(|&n| vec![1u32; n])
            .collect();
        let ids: Vec<&[u32]> = texts.iter().map(|t| t.as_slice()).collect();
        assert_eq!(batches(&ids, 400), vec![0..3, 3..5, 5..6]);
        assert_eq!(batches(&ids, 10_000), vec![0..6]);
        assert!(batches(&[], 400).is_empty());
    }
}
