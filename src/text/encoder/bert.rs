//! A BERT encoder's forward pass (the architecture of all-MiniLM-L6-v2 and its kin): word,
//! position and segment embeddings, then layers of self-attention and a GELU feed-forward
//! block, each followed by a residual sum and layer normalization. Weights are read from a
//! `model.safetensors` file with the names Hugging Face's `BertModel` gives them (with or
//! without a `bert.` prefix); the shape comes from the model's `config.json`.
//!
//! Written here rather than with a tensor framework (candle, tract, ort): one forward pass
//! of one sentence is a few dozen matrix products, which `matrixmultiply` does at full
//! speed, and a framework would multiply the build time on two cores.

use safetensors::{Dtype, SafeTensors};
use serde::Deserialize;

/// The parts of `config.json` the forward pass needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub vocab_size: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f32,
    #[serde(default = "default_act")]
    pub hidden_act: String,
}

fn default_eps() -> f32 {
    1e-12
}

fn default_act() -> String {
    "gelu".into()
}

/// A dense layer: `y = x · Wᵀ + b`, `W` row-major `[out, in]` as PyTorch keeps it.
struct Linear {
    weight: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

struct Norm {
    gain: Vec<f32>,
    bias: Vec<f32>,
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    intermediate: Linear,
    output: Linear,
    output_norm: Norm,
}

/// A BERT encoder's weights.
pub struct Bert {
    config: Config,
    words: Vec<f32>,
    positions: Vec<f32>,
    segment: Vec<f32>,
    embeddings_norm: Norm,
    layers: Vec<Layer>,
}

impl Bert {
    /// Reads the weights `config` describes from the bytes of a safetensors file.
    pub fn new(config: Config, bytes: &[u8]) -> Result<Bert, String> {
        if config.hidden_act != "gelu" {
            return Err(format!(
                "config.json: hidden_act {:?} is not supported (gelu is)",
                config.hidden_act
            ));
        }
        let h = config.hidden_size;
        if h == 0
            || config.num_attention_heads == 0
            || !h.is_multiple_of(config.num_attention_heads)
        {
            return Err(format!(
                "config.json: hidden_size {h} is not a multiple of num_attention_heads {}",
                config.num_attention_heads
            ));
        }
        let tensors = SafeTensors::deserialize(bytes).map_err(|e| e.to_string())?;
        let prefix = if tensors.names().iter().any(|n| n.starts_with("bert.")) {
            "bert."
        } else {
            ""
        };
        let get = |name: &str, shape: &[usize]| -> Result<Vec<f32>, String> {
            let full = format!("{prefix}{name}");
            let t = tensors
                .tensor(&full)
                .map_err(|_| format!("model.safetensors has no tensor {full}"))?;
            if t.dtype() != Dtype::F32 {
                return Err(format!("{full} is {:?}; F32 is supported", t.dtype()));
            }
            if t.shape() != shape {
                return Err(format!(
                    "{full} has shape {:?} where config.json implies {shape:?}",
                    t.shape()
                ));
            }
            Ok(t.data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect())
        };
        let linear = |name: &str, inputs: usize, outputs: usize| -> Result<Linear, String> {
            Ok(Linear {
                weight: get(&format!("{name}.weight"), &[outputs, inputs])?,
                bias: get(&format!("{name}.bias"), &[outputs])?,
                inputs,
                outputs,
            })
        };
        let norm = |name: &str| -> Result<Norm, String> {
            Ok(Norm {
                gain: get(&format!("{name}.weight"), &[h])?,
                bias: get(&format!("{name}.bias"), &[h])?,
            })
        };
        let i = config.intermediate_size;
        let layers = (0..config.num_hidden_layers)
            .map(|l| {
                let p = format!("encoder.layer.{l}");
                Ok(Layer {
                    query: linear(&format!("{p}.attention.self.query"), h, h)?,
                    key: linear(&format!("{p}.attention.self.key"), h, h)?,
                    value: linear(&format!("{p}.attention.self.value"), h, h)?,
                    attention_out: linear(&format!("{p}.attention.output.dense"), h, h)?,
                    attention_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                    intermediate: linear(&format!("{p}.intermediate.dense"), h, i)?,
                    output: linear(&format!("{p}.output.dense"), i, h)?,
                    output_norm: norm(&format!("{p}.output.LayerNorm"))?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let segments = tensors
            .tensor(&format!("{prefix}embeddings.token_type_embeddings.weight"))
            .map(|t| t.shape().first().copied().unwrap_or(0))
            .unwrap_or(0);
        Ok(Bert {
            words: get("embeddings.word_embeddings.weight", &[config.vocab_size, h])?,
            positions: get(
                "embeddings.position_embeddings.weight",
                &[config.max_position_embeddings, h],
            )?,
            segment: get(
                "embeddings.token_type_embeddings.weight",
                &[segments.max(1), h],
            )?[..h]
                .to_vec(),
            embeddings_norm: norm("embeddings.LayerNorm")?,
            layers,
            config,
        })
    }

    /// The model's shape.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The last layer's states of the tokens `ids` (one sentence, no padding), row-major
    /// `[ids.len(), hidden_size]`. Ids past the vocabulary are read as 0 and a sentence is
    /// cut at the model's longest (the caller keeps within both).
    pub fn forward(&self, ids: &[u32]) -> Vec<f32> {
        let h = self.config.hidden_size;
        let n = ids.len().min(self.config.max_position_embeddings);
        let mut x = vec![0.0f32; n * h];
        for (t, &id) in ids[..n].iter().enumerate() {
            let id = if (id as usize) < self.config.vocab_size {
                id as usize
            } else {
                0
            };
            let row = &mut x[t * h..(t + 1) * h];
            let word = &self.words[id * h..(id + 1) * h];
            let position = &self.positions[t * h..(t + 1) * h];
            for (j, v) in row.iter_mut().enumerate() {
                *v = word[j] + position[j] + self.segment[j];
            }
        }
        layer_norm(&mut x, h, &self.embeddings_norm, self.config.layer_norm_eps);
        let heads = self.config.num_attention_heads;
        let width = h / heads;
        let scale = 1.0 / (width as f32).sqrt();
        let (mut q, mut k, mut v) = (Vec::new(), Vec::new(), Vec::new());
        let mut context = vec![0.0f32; n * h];
        let mut scores = vec![0.0f32; n * n];
        let (mut attended, mut inner, mut out) = (Vec::new(), Vec::new(), Vec::new());
        for layer in &self.layers {
            layer.query.apply(&x, n, &mut q);
            layer.key.apply(&x, n, &mut k);
            layer.value.apply(&x, n, &mut v);
            for head in 0..heads {
                let at = head * width;
                // scores = Q_h · K_hᵀ × scale
                gemm(
                    n,
                    width,
                    n,
                    scale,
                    (&q[at..], h, 1),
                    (&k[at..], 1, h),
                    0.0,
                    (&mut scores[..], n, 1),
                );
                for row in scores.chunks_exact_mut(n) {
                    softmax(row);
                }
                // context_h = softmax(scores) · V_h
                gemm(
                    n,
                    n,
                    width,
                    1.0,
                    (&scores[..], n, 1),
                    (&v[at..], h, 1),
                    0.0,
                    (&mut context[at..], h, 1),
                );
            }
            layer.attention_out.apply(&context, n, &mut attended);
            for (a, xi) in attended.iter_mut().zip(&x) {
                *a += xi;
            }
            layer_norm(
                &mut attended,
                h,
                &layer.attention_norm,
                self.config.layer_norm_eps,
            );
            layer.intermediate.apply(&attended, n, &mut inner);
            for z in inner.iter_mut() {
                *z = gelu(*z);
            }
            layer.output.apply(&inner, n, &mut out);
            for (o, a) in out.iter_mut().zip(&attended) {
                *o += a;
            }
            layer_norm(&mut out, h, &layer.output_norm, self.config.layer_norm_eps);
            std::mem::swap(&mut x, &mut out);
        }
        x
    }
}

impl Linear {
    /// `out = x · Wᵀ + b` for `rows` rows of `x`.
    fn apply(&self, x: &[f32], rows: usize, out: &mut Vec<f32>) {
        out.clear();
        for _ in 0..rows {
            out.extend_from_slice(&self.bias);
        }
        gemm(
            rows,
            self.inputs,
            self.outputs,
            1.0,
            (x, self.inputs, 1),
            (&self.weight, 1, self.inputs),
            1.0,
            (&mut out[..], self.outputs, 1),
        );
    }
}

/// `c = alpha · a · b + beta · c` for an `m × k` matrix `a` and a `k × n` matrix `b`, each
/// given as a slice and its row and column strides.
#[allow(clippy::too_many_arguments)]
fn gemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: (&[f32], usize, usize),
    b: (&[f32], usize, usize),
    beta: f32,
    c: (&mut [f32], usize, usize),
) {
    let last = |rows: usize, cols: usize, rs: usize, cs: usize| {
        if rows == 0 || cols == 0 {
            0
        } else {
            (rows - 1) * rs + (cols - 1) * cs + 1
        }
    };
    // The strides stay inside each slice: the unsafe call below reads and writes no further.
    assert!(a.0.len() >= last(m, k, a.1, a.2));
    assert!(b.0.len() >= last(k, n, b.1, b.2));
    assert!(c.0.len() >= last(m, n, c.1, c.2));
    // SAFETY: the asserts above keep every element the product touches inside its slice;
    // `c` is borrowed mutably, so it overlaps neither `a` nor `b`.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            alpha,
            a.0.as_ptr(),
            a.1 as isize,
            a.2 as isize,
            b.0.as_ptr(),
            b.1 as isize,
            b.2 as isize,
            beta,
            c.0.as_mut_ptr(),
            c.1 as isize,
            c.2 as isize,
        );
    }
}

/// Normalizes each row of `width` numbers to mean 0 and variance 1, then scales and shifts.
fn layer_norm(x: &mut [f32], width: usize, norm: &Norm, eps: f32) {
    for row in x.chunks_exact_mut(width) {
        let mean = row.iter().sum::<f32>() / width as f32;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / width as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((v, g), b) in row.iter_mut().zip(&norm.gain).zip(&norm.bias) {
            *v = (*v - mean) * inv * g + b;
        }
    }
}

fn softmax(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in row.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in row.iter_mut() {
        *v /= sum;
    }
}

/// BERT's GELU, with erf (not the tanh approximation).
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemm_multiplies_with_strides() {
        // a = [[1, 2], [3, 4]], b = aᵀ read through strides
        let a = [1.0, 2.0, 3.0, 4.0];
        let mut c = [1.0; 4];
        gemm(2, 2, 2, 1.0, (&a, 2, 1), (&a, 1, 2), 1.0, (&mut c, 2, 1));
        assert_eq!(c, [6.0, 12.0, 12.0, 26.0]);
    }

    #[test]
    fn gelu_and_softmax_match_their_definitions() {
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-6);
        assert!(gelu(-10.0).abs() < 1e-6);
        let mut row = [1.0, 2.0, 3.0];
        softmax(&mut row);
        assert!((row[2] - 0.665_240_9).abs() < 1e-6);
    }
}
