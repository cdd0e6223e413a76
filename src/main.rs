//! The `briefbot` command line: loads the config and the briefs, then runs one adapter
//! (interactive console, one-shot answer, listing, check, or the Discord bot).

use anyhow::Context as _;
use briefbot::app::{self, Options};
use briefbot::commands::Invoker;
use briefbot::core::qa::Semantics;
use briefbot::{console, reply::ReplyKind};
use clap::{Args, Parser, Subcommand};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// briefbot: brief news summaries (what's happening, why it matters, what's next), on
/// Discord or in the terminal.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Args, Clone)]
struct Common {
    /// Config file (default: config/briefbot.toml when it exists).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Folder of brief files; overrides `briefs.dir` (default: the embedded samples).
    #[arg(long, value_name = "DIR")]
    briefs: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Type slash commands and see the replies as text (e.g. `/brief query:grid section:next`).
    Console(Common),
    /// Answer one slash command line and exit, e.g. `briefbot ask "/brief"`.
    Ask {
        #[command(flatten)]
        common: Common,
        /// Print the reply as JSON.
        #[arg(long)]
        json: bool,
        /// The command line, e.g. "/ask why does the chip rule matter?".
        line: String,
    },
    /// List the loaded briefs.
    Briefs {
        #[command(flatten)]
        common: Common,
        /// Print them as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check the config and every brief, fetch each feed or page source once; print each
    /// problem; exit 1 if there is any.
    Check(Common),
    /// Measure the answers against a labelled evaluation set (see eval/qa/README.md):
    /// /ask right brief and section, answering sentences shown, off-topic refused; short
    /// answers keeping the key sentence, sentences leaning on a dropped one.
    Eval {
        /// The set's folder (briefs/, questions.toml, key_sentences.toml).
        #[arg(long, value_name = "DIR", default_value = "eval/qa")]
        dir: PathBuf,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
        /// Also list every question answered wrongly and every short answer that misses.
        #[arg(long)]
        misses: bool,
        /// Word vectors (GloVe text format) for /ask to meet words of like meaning with, as
        /// `[answers] vectors` does; unset: words are matched as written.
        #[arg(long, value_name = "FILE", conflicts_with = "model")]
        vectors: Option<PathBuf>,
        /// A sentence-transformers model folder for /ask to meet questions and sentences of
        /// like meaning with, as `[answers] model` does (see tools/model.sh).
        #[arg(long, value_name = "DIR")]
        model: Option<PathBuf>,
    },
    /// List the `[[sources]]` feeds and pages with the state the running bot saved (last and
    /// next fetch, status, last error, items).
    Sources {
        #[command(flatten)]
        common: Common,
        /// Print them as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run the Discord bot. The token is read from the environment variable named by
    /// `discord.token_env` (default DISCORD_TOKEN).
    Run(Common),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    app::init_tracing();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The runtime the terminal front ends answer on (the database is async).
fn terminal_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Prints to stdout; a closed pipe (`briefbot briefs --json | head`) ends quietly.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn options(c: &Common) -> Options {
    Options {
        config: c.config.clone(),
        briefs: c.briefs.clone(),
        defer_keyphrases: false,
        fetch_sources: true,
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Cmd::Console(common) => {
            let loaded = app::load(&options(&common))?;
            loaded.report_problems();
            let core = std::sync::Arc::new(loaded.core());
            let dispatcher = loaded.dispatcher(core.clone());
            let runtime = terminal_runtime()?;
            let stdin = std::io::stdin();
            let interactive = stdin.is_terminal();
            if interactive {
                println!(
                    "briefbot console: {} briefs loaded. Type /help, or /quit to leave.",
                    core.library().len()
                );
            }
            let mut out = std::io::stdout();
            loop {
                if interactive {
                    print!("briefbot> ");
                    out.flush().ok();
                }
                let mut line = String::new();
                if stdin
                    .lock()
                    .read_line(&mut line)
                    .context("reading the console")?
                    == 0
                {
                    break;
                }
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                if matches!(line, "/quit" | "/exit" | "quit" | "exit") {
                    break;
                }
                let reply = runtime.block_on(dispatcher.answer_line(line, Invoker::console()));
                println!("{}", console::render(&reply));
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Ask { common, json, line } => {
            let loaded = app::load(&options(&common))?;
            loaded.report_problems();
            let dispatcher = loaded.dispatcher(std::sync::Arc::new(loaded.core()));
            let reply =
                terminal_runtime()?.block_on(dispatcher.answer_line(&line, Invoker::console()));
            if json {
                emit(&format!("{}\n", serde_json::to_string_pretty(&reply)?))?;
            } else {
                print!("{}", console::render(&reply));
            }
            Ok(if reply.kind == ReplyKind::Error {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Cmd::Briefs { common, json } => {
            let loaded = app::load(&options(&common))?;
            loaded.report_problems();
            if json {
                let list: Vec<_> = loaded
                    .library
                    .briefs()
                    .iter()
                    .map(|b| app::brief_json(b))
                    .collect();
                emit(&format!("{}\n", serde_json::to_string_pretty(&list)?))?;
            } else {
                for b in loaded.library.briefs() {
                    let date = b
                        .published
                        .map_or("undated".to_owned(), |p| p.format("%Y-%m-%d").to_string());
                    println!("{:<28} {date}  {}", b.id, b.title);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            dir,
            json,
            misses,
            vectors,
            model,
        } => {
            let semantics = match (vectors, model) {
                (Some(path), _) => Some(Semantics::Vectors(std::sync::Arc::new(
                    briefbot::text::vectors::WordVectors::load(&path)
                        .context("--vectors: cannot use the word vectors")?,
                ))),
                (None, Some(dir)) => Some(Semantics::Encoder(std::sync::Arc::new(
                    briefbot::text::encoder::SentenceEncoder::load(&dir)
                        .context("--model: cannot use the model")?,
                ))),
                (None, None) => None,
            };
            let report = briefbot::eval::run_with(&dir, semantics)?;
            if json {
                emit(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
            } else {
                let mut text = report.to_string();
                if misses {
                    for (what, why) in report.ask.misses.iter().chain(&report.summary.misses) {
                        text.push_str(&format!("miss: {what}: {why}\n"));
                    }
                }
                emit(&text)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run(common) => {
            // Keyphrases are extracted in the background once the bot is up.
            let loaded = app::load(&Options {
                defer_keyphrases: true,
                fetch_sources: false,
                ..options(&common)
            })?;
            loaded.report_problems();
            match app::run_bot(loaded) {
                Ok(()) => Ok(ExitCode::SUCCESS),
                Err(e) => {
                    eprintln!("error: {e:#}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        Cmd::Sources { common, json } => {
            let loaded = app::load(&Options {
                defer_keyphrases: true,
                fetch_sources: false,
                ..options(&common)
            })?;
            let list = terminal_runtime()?.block_on(app::saved_sources(&loaded))?;
            if json {
                emit(&format!("{}\n", serde_json::to_string_pretty(&list)?))?;
            } else if list.is_empty() {
                println!("No [[sources]] in the config.");
            } else {
                for s in &list {
                    println!("{}", s.line());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Check(common) => {
            // Checking needs no keyphrases.
            let loaded = app::load(&Options {
                defer_keyphrases: true,
                ..options(&common)
            })?;
            for p in &loaded.problems {
                println!("{p}");
            }
            let statuses = loaded.board.list();
            let mut failed = 0;
            for s in &statuses {
                match &s.last_error {
                    Some(e) => {
                        failed += 1;
                        println!("source {} ({}): {e}", s.name, s.url);
                    }
                    None => println!(
                        "source {} ({}): {} briefs ({})",
                        s.name, s.url, s.items, s.kind
                    ),
                }
                for why in &s.skipped {
                    println!("source {}: skipped {why}", s.name);
                }
            }
            let answers = &loaded.config.answers;
            match (&loaded.semantics, &answers.vectors, &answers.model) {
                (Some(Semantics::Vectors(v)), Some(path), _) => println!(
                    "word vectors {}: {} words of {} numbers",
                    path.display(),
                    v.len(),
                    v.dimensions()
                ),
                (Some(Semantics::Encoder(e)), _, Some(dir)) => println!(
                    "sentence encoder {}: {} layers, vectors of {} numbers",
                    dir.display(),
                    e.layers(),
                    e.dimensions()
                ),
                _ => {}
            }
            let problems = loaded.problems.len() + failed;
            println!(
                "{}: {} briefs loaded, {} problem{}",
                loaded.source,
                loaded.library.len(),
                problems,
                if problems == 1 { "" } else { "s" }
            );
            Ok(if problems == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}
