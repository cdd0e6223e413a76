//! The embedded sample set: original briefs compiled into the binary so that briefbot answers
//! out of the box, with no `briefs.dir`. Together they cover every layout the parser accepts.

use super::{Loaded, SourceOptions};
use std::path::PathBuf;

/// Loads the samples.
pub fn load(opts: &SourceOptions) -> Loaded {
    let files = SAMPLES.iter().map(|(name, text)| {
        (
            PathBuf::from(format!("<embedded>/{name}")),
            text.as_bytes().to_vec(),
        )
    });
    super::from_files(files, opts)
}

/// (file name, contents) of each sample, in file-name order.
pub const SAMPLES: &[(&str, &str)] = &[
    (
        "01-grid-storage-auction.md",
        include_str!("samples/01-grid-storage-auction.md"),
    ),
    (
        "02-harbor-metro-line.md",
        include_str!("samples/02-harbor-metro-line.md"),
    ),
    (
        "03-flu-vaccine-rollout.md",
        include_str!("samples/03-flu-vaccine-rollout.md"),
    ),
    (
        "04-reusable-booster-test.txt",
        include_str!("samples/04-reusable-booster-test.txt"),
    ),
    (
        "05-chip-export-rules.md",
        include_str!("samples/05-chip-export-rules.md"),
    ),
    (
        "06-valley-drought-water.md",
        include_str!("samples/06-valley-drought-water.md"),
    ),
    (
        "07-league-salary-cap.md",
        include_str!("samples/07-league-salary-cap.md"),
    ),
];
