//! The encoder's forward pass: a BERT encoder (all-MiniLM-L6-v2's 6 layers) written for
//! inference on the CPU, with `gemm` for the matrix products.
//!
//! Why not a framework: candle's BERT spent 63 % of its time outside the matrix products
//! (one allocation and one single-threaded pass per element-wise op: erf GELU, softmax, copies),
//! and padded every text of a batch to the longest. Here a batch's texts are packed row after
//! row with no padding, so the dense layers are one product over every token of the batch and
//! only attention runs per text and head; bias, residual and activation are applied in place.
//! Measured on one 230-token abstract: 109 ms with candle, 39 ms here (docs/benchmarks.md, 2026-12-06).

use std::path::Path;

use gemm::Parallelism;
use rayon::prelude::*;
use safetensors::{Dtype, SafeTensors};
use serde::Deserialize;

use crate::EmbedError;

/// The fields of a sentence-transformers `config.json` the forward pass uses.
#[derive(Debug, Clone, Deserialize)]
pub struct BertConfig {
    pub hidden_size: usize,
    pub num_attention_heads: usize,
    pub num_hidden_layers: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub vocab_size: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "default_act")]
    pub hidden_act: String,
}

fn default_eps() -> f64 {
    1e-12
}

fn default_act() -> String {
    "gelu".into()
}

/// `y = x Wᵀ + b`, `W` as stored: (out, in), row-major.
struct Linear {
    w: Vec<f32>,
    b: Vec<f32>,
    inp: usize,
    out: usize,
}

struct Norm {
    gain: Vec<f32>,
    bias: Vec<f32>,
}

struct Layer {
    /// Query, key and value in one (3·hidden, hidden) product.
    qkv: Linear,
    attn_out: Linear,
    attn_norm: Norm,
    up: Linear,
    down: Linear,
    out_norm: Norm,
}

/// A loaded BERT encoder.
pub struct Bert {
    cfg: BertConfig,
    word: Vec<f32>,
    position: Vec<f32>,
    /// Token type 0's row: every text is one segment.
    segment: Vec<f32>,
    emb_norm: Norm,
    layers: Vec<Layer>,
    eps: f32,
}

/// A raw pointer shared by tasks that write disjoint parts of one buffer.
#[derive(Clone, Copy)]
struct Shared(*mut f32);
// Safety: only used by `attention`, whose tasks write disjoint (text, head) blocks.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

impl Bert {
    pub fn load(config: BertConfig, weights: &Path) -> Result<Bert, EmbedError> {
        let bad = |reason: String| EmbedError::BadFile {
            path: weights.to_path_buf(),
            reason,
        };
        if config.hidden_act != "gelu" {
            return Err(bad(format!(
                "activation {:?} is not supported (expected \"gelu\")",
                config.hidden_act
            )));
        }
        if config.num_attention_heads == 0 || config.hidden_size % config.num_attention_heads != 0 {
            return Err(bad("hidden size is not a multiple of the heads".into()));
        }
        let file = std::fs::File::open(weights).map_err(|e| bad(e.to_string()))?;
        // Mapped, not read: the tensors are copied out once below, so a read would hold the
        // file's 90 MB twice while loading. Safety: mapped read-only; Topica never writes a model
        // folder's files in place (a download writes a temporary file and renames it).
        let bytes = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| bad(e.to_string()))?;
        let st = SafeTensors::deserialize(&bytes).map_err(|e| bad(e.to_string()))?;
        // Some exports prefix every name with the model's kind.
        let prefix = if st.names().iter().any(|n| n.starts_with("bert.")) {
            "bert."
        } else {
            ""
        };
        let tensor = |name: &str, shape: &[usize]| -> Result<Vec<f32>, EmbedError> {
            let full = format!("{prefix}{name}");
            let t = st.tensor(&full).map_err(|e| bad(format!("{full}: {e}")))?;
            if t.dtype() != Dtype::F32 || t.shape() != shape {
                return Err(bad(format!(
                    "{full}: expected F32 {shape:?}, found {:?} {:?}",
                    t.dtype(),
                    t.shape()
                )));
            }
            Ok(t.data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect())
        };
        let h = config.hidden_size;
        let linear = |name: &str, out: usize, inp: usize| -> Result<Linear, EmbedError> {
            Ok(Linear {
                w: tensor(&format!("{name}.weight"), &[out, inp])?,
                b: tensor(&format!("{name}.bias"), &[out])?,
                inp,
                out,
            })
        };
        let norm = |name: &str| -> Result<Norm, EmbedError> {
            Ok(Norm {
                gain: tensor(&format!("{name}.weight"), &[h])?,
                bias: tensor(&format!("{name}.bias"), &[h])?,
            })
        };
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for i in 0..config.num_hidden_layers {
            let p = format!("encoder.layer.{i}");
            let (q, k, v) = (
                linear(&format!("{p}.attention.self.query"), h, h)?,
                linear(&format!("{p}.attention.self.key"), h, h)?,
                linear(&format!("{p}.attention.self.value"), h, h)?,
            );
            let qkv = Linear {
                w: [q.w, k.w, v.w].concat(),
                b: [q.b, k.b, v.b].concat(),
                inp: h,
                out: 3 * h,
            };
            layers.push(Layer {
                qkv,
                attn_out: linear(&format!("{p}.attention.output.dense"), h, h)?,
                attn_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                up: linear(
                    &format!("{p}.intermediate.dense"),
                    config.intermediate_size,
                    h,
                )?,
                down: linear(&format!("{p}.output.dense"), h, config.intermediate_size)?,
                out_norm: norm(&format!("{p}.output.LayerNorm"))?,
            });
        }
        let types = tensor("embeddings.token_type_embeddings.weight", &[2, h])
            .or_else(|_| tensor("embeddings.token_type_embeddings.weight", &[1, h]))?;
        Ok(Bert {
            word: tensor("embeddings.word_embeddings.weight", &[config.vocab_size, h])?,
            position: tensor(
                "embeddings.position_embeddings.weight",
                &[config.max_position_embeddings, h],
            )?,
            segment: types[..h].to_vec(),
            emb_norm: norm("embeddings.LayerNorm")?,
            layers,
            eps: config.layer_norm_eps as f32,
            cfg: config,
        })
    }

    /// Longest text in tokens the position table allows.
    pub fn max_tokens(&self) -> usize {
        self.cfg.max_position_embeddings
    }

    /// The mean of each text's last hidden states (not yet unit length). `texts` are token ids
    /// with their special tokens; an empty text gives a zero vector.
    pub fn mean_pooled(&self, texts: &[&[u32]]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let h = self.cfg.hidden_size;
        let mut starts = Vec::with_capacity(texts.len() + 1);
        starts.push(0usize);
        for t in texts {
            if t.len() > self.max_tokens() {
                return Err(EmbedError::Run(format!(
                    "a text of {} tokens is longer than the model's {}",
                    t.len(),
                    self.max_tokens()
                )));
            }
            starts.push(starts.last().copied().unwrap_or(0) + t.len());
        }
        let rows = starts.last().copied().unwrap_or(0);
        if rows == 0 {
            return Ok(vec![vec![0.0; h]; texts.len()]);
        }
        let mut x = vec![0f32; rows * h];
        for (t, ids) in texts.iter().enumerate() {
            for (p, &id) in ids.iter().enumerate() {
                let id = id as usize;
                if id >= self.cfg.vocab_size {
                    return Err(EmbedError::Run(format!(
                        "token id {id} is outside the vocabulary"
                    )));
                }
                let row = &mut x[(starts[t] + p) * h..(starts[t] + p + 1) * h];
                let (w, pos) = (
                    &self.word[id * h..(id + 1) * h],
                    &self.position[p * h..(p + 1) * h],
                );
                for (((o, a), b), c) in row.iter_mut().zip(w).zip(pos).zip(&self.segment) {
                    *o = a + b + c;
                }
            }
        }
        layer_norm(&mut x, &self.emb_norm, self.eps);
        let mut qkv = vec![0f32; rows * 3 * h];
        let mut ctx = vec![0f32; rows * h];
        let mut up = vec![0f32; rows * self.cfg.intermediate_size];
        // The next hidden states, written from `x` and then swapped with it.
        let mut next = vec![0f32; rows * h];
        for layer in &self.layers {
            linear(&x, &layer.qkv, &mut qkv, None);
            self.attention(&qkv, &starts, &mut ctx);
            // x ← norm(x + ctx Wᵀ + b): the residual is the product's starting value.
            linear(&ctx, &layer.attn_out, &mut next, Some(&x));
            layer_norm(&mut next, &layer.attn_norm, self.eps);
            std::mem::swap(&mut x, &mut next);
            linear(&x, &layer.up, &mut up, None);
            up.par_chunks_mut(4096)
                .for_each(|c| c.iter_mut().for_each(gelu));
            linear(&up, &layer.down, &mut next, Some(&x));
            layer_norm(&mut next, &layer.out_norm, self.eps);
            std::mem::swap(&mut x, &mut next);
        }
        Ok(starts
            .windows(2)
            .map(|w| {
                let mut mean = vec![0f32; h];
                for row in x[w[0] * h..w[1] * h].chunks_exact(h) {
                    mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
                }
                let n = (w[1] - w[0]).max(1) as f32;
                mean.iter_mut().for_each(|m| *m /= n);
                mean
            })
            .collect())
    }

    /// Scaled dot-product attention of every text with itself, one task per (text, head),
    /// written into `ctx` (rows × hidden, head h in columns h·d..(h+1)·d).
    fn attention(&self, qkv: &[f32], starts: &[usize], ctx: &mut [f32]) {
        let h = self.cfg.hidden_size;
        let heads = self.cfg.num_attention_heads;
        let d = h / heads;
        let scale = 1.0 / (d as f32).sqrt();
        let stride = 3 * h;
        let out = Shared(ctx.as_mut_ptr());
        let tasks: Vec<(usize, usize)> = (0..starts.len() - 1)
            .flat_map(|t| (0..heads).map(move |hd| (t, hd)))
            .collect();
        tasks.par_iter().for_each(|&(t, hd)| {
            let (r0, len) = (starts[t], starts[t + 1] - starts[t]);
            if len == 0 {
                return;
            }
            let q = &qkv[r0 * stride + hd * d..];
            let k = &qkv[r0 * stride + h + hd * d..];
            let v = &qkv[r0 * stride + 2 * h + hd * d..];
            let mut scores = vec![0f32; len * len];
            // Safety: every slice above holds `len` rows of `stride` from its start (less the
            // column offset, which stays inside the row), and `scores` is len × len.
            unsafe {
                // scores = (Q Kᵀ) · scale; Kᵀ is K read with its strides swapped.
                gemm::gemm(
                    len,
                    len,
                    d,
                    scores.as_mut_ptr(),
                    1,
                    len as isize,
                    false,
                    q.as_ptr(),
                    1,
                    stride as isize,
                    k.as_ptr(),
                    stride as isize,
                    1,
                    0.0,
                    scale,
                    false,
                    false,
                    false,
                    Parallelism::None,
                );
            }
            for row in scores.chunks_exact_mut(len) {
                softmax(row);
            }
            // Safety: the task owns rows r0..r0+len, columns hd·d..(hd+1)·d of ctx; no other
            // task writes them (tasks are distinct (text, head) pairs).
            unsafe {
                let dst = out;
                gemm::gemm(
                    len,
                    d,
                    len,
                    dst.0.add(r0 * h + hd * d),
                    1,
                    h as isize,
                    false,
                    scores.as_ptr(),
                    1,
                    len as isize,
                    v.as_ptr(),
                    1,
                    stride as isize,
                    0.0,
                    1.0,
                    false,
                    false,
                    false,
                    Parallelism::None,
                );
            }
        });
    }
}

/// `out = x Wᵀ + b (+ residual)`, rows of `x` independent. Uses every thread of the current
/// rayon pool.
fn linear(x: &[f32], l: &Linear, out: &mut [f32], residual: Option<&[f32]>) {
    let rows = x.len() / l.inp;
    debug_assert_eq!(out.len(), rows * l.out);
    out.par_chunks_mut(l.out).enumerate().for_each(|(r, row)| {
        row.copy_from_slice(&l.b);
        if let Some(res) = residual {
            row.iter_mut()
                .zip(&res[r * l.out..(r + 1) * l.out])
                .for_each(|(o, v)| *o += v);
        }
    });
    let threads = rayon::current_num_threads();
    // Safety: out is rows × l.out, x is rows × l.inp, w is l.out × l.inp (read transposed).
    unsafe {
        gemm::gemm(
            rows,
            l.out,
            l.inp,
            out.as_mut_ptr(),
            1,
            l.out as isize,
            true,
            x.as_ptr(),
            1,
            l.inp as isize,
            l.w.as_ptr(),
            l.inp as isize,
            1,
            1.0,
            1.0,
            false,
            false,
            false,
            if threads > 1 {
                Parallelism::Rayon(threads)
            } else {
                Parallelism::None
            },
        );
    }
}

fn layer_norm(x: &mut [f32], n: &Norm, eps: f32) {
    let h = n.gain.len();
    x.par_chunks_mut(h).for_each(|row| {
        let mean = row.iter().sum::<f32>() / h as f32;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / h as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((v, g), b) in row.iter_mut().zip(&n.gain).zip(&n.bias) {
            *v = (*v - mean) * inv * g + b;
        }
    });
}

fn softmax(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in row.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    let inv = 1.0 / sum;
    row.iter_mut().for_each(|v| *v *= inv);
}

/// BERT's exact GELU, `x/2 · (1 + erf(x/√2))`.
fn gelu(x: &mut f32) {
    *x = 0.5 * *x * (1.0 + erf(*x * std::f32::consts::FRAC_1_SQRT_2));
}

/// erf in single precision as a rational polynomial on [-4, 4] (outside it erf is ±1 to f32
/// precision): the approximation of Eigen and XLA, branch-free so the loop vectorises, which
/// `libm`'s erff (10 % of candle's time) does not.
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = x2 * -2.726_142_3e-10 + 2.770_681_4e-8;
    p = x2 * p + -2.101_024e-6;
    p = x2 * p + -5.692_506_4e-5;
    p = x2 * p + -7.349_906_3e-4;
    p = x2 * p + -2.954_600_3e-3;
    p = x2 * p + -1.609_603_3e-2;
    p *= x;
    let mut q = x2 * -1.456_607_2e-5 + -2.133_740_6e-4;
    q = x2 * q + -1.682_827e-3;
    q = x2 * q + -7.373_329e-3;
    q = x2 * q + -1.426_474e-2;
    p / q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_the_series_to_single_precision() {
        // erf by its Maclaurin series in f64, exact enough on |x| ≤ 3.
        let series = |x: f64| {
            let (mut term, mut sum) = (x, x);
            for n in 1..200 {
                term *= -x * x / n as f64;
                sum += term / (2 * n + 1) as f64;
            }
            sum * 2.0 / std::f64::consts::PI.sqrt()
        };
        for i in -300..=300 {
            let x = i as f64 / 100.0;
            assert!(
                (erf(x as f32) as f64 - series(x)).abs() < 2e-6,
                "erf({x}) = {} vs {}",
                erf(x as f32),
                series(x)
            );
        }
        assert_eq!(erf(10.0), 1.0);
        assert_eq!(erf(-10.0), -1.0);
    }

    #[test]
    fn softmax_sums_to_one_and_keeps_order() {
        let mut r = vec![1.0, 3.0, 2.0, -50.0];
        softmax(&mut r);
        assert!((r.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(r[1] > r[2] && r[2] > r[0] && r[0] > r[3]);
    }

    #[test]
    fn linear_adds_bias_and_residual() {
        // W = [[1, 2], [3, 4], [5, 6]] (3 out, 2 in), b = [1, 0, -1].
        let l = Linear {
            w: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            b: vec![1.0, 0.0, -1.0],
            inp: 2,
            out: 3,
        };
        let x = vec![1.0, 1.0, 2.0, -1.0];
        let res = vec![10.0, 20.0, 30.0, 0.0, 0.0, 0.0];
        let mut out = vec![0.0; 6];
        linear(&x, &l, &mut out, Some(&res));
        assert_eq!(out, vec![14.0, 27.0, 40.0, 1.0, 2.0, 3.0]);
    }
}
