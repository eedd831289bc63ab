//! Store assembly from the command line: the deployment's default sources,
//! `--store` paths, `--system`; progress on a terminal for large directories.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hybridtrust::{Profile, TrustStore, TrustStoreBuilder, UnixTime};

use crate::output::{CliError, Output};

/// Sources given on the command line.
pub struct Extra {
    pub paths: Vec<PathBuf>,
    pub system: bool,
}

/// What to start from.
pub struct Defaults {
    /// The embedded Webex cloud CAs (and require the profile's required ones).
    pub cloud_cas: bool,
    /// `[home]/.devicestool/certs`.
    pub device_tool: bool,
}

/// A directory this large shows a progress line on a terminal.
const PROGRESS_THRESHOLD: usize = 200;

/// Assembles a store. A `--store` path that does not exist is an input error
/// (exit 3), not a finding: the user named it explicitly.
pub fn assemble(
    out: &Output,
    defaults: &Defaults,
    extra: &Extra,
    at: Option<UnixTime>,
) -> Result<TrustStore, CliError> {
    let mut b = TrustStore::builder();
    if let Some(at) = at {
        b.at(at);
    }
    if defaults.cloud_cas {
        let profile = Profile::device_connector();
        b.add_profile_cas(&profile).map_err(core_err)?;
        b.require_profile(&profile);
    }
    if defaults.device_tool {
        b.add_device_tool_certs().map_err(core_err)?;
    }
    for path in &extra.paths {
        add_path(out, &mut b, path)?;
    }
    if extra.system {
        add_system(&mut b)?;
    }
    b.build().map_err(core_err)
}

/// Adds a file or directory named on the command line.
pub fn add_path(out: &Output, b: &mut TrustStoreBuilder, path: &Path) -> Result<(), CliError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| CliError::io(format!("{}: {}", path.display(), io_text(&e))))?;
    if meta.is_dir() {
        let ticker = (out.progress()
            && count_files(path, PROGRESS_THRESHOLD) >= PROGRESS_THRESHOLD)
            .then(|| Ticker::start(path));
        let result = b.add_dir(path).map(|_| ()).map_err(core_err);
        if let Some(t) = ticker {
            t.stop();
        }
        result
    } else {
        b.add_file(path).map(|_| ()).map_err(core_err)
    }
}

#[cfg(feature = "os-store")]
fn add_system(b: &mut TrustStoreBuilder) -> Result<(), CliError> {
    b.add_os_store().map(|_| ()).map_err(core_err)
}

#[cfg(not(feature = "os-store"))]
fn add_system(_: &mut TrustStoreBuilder) -> Result<(), CliError> {
    Err(CliError::usage(
        "--system needs the `os-store` feature, which this build lacks",
    ))
}

/// The core's error as a CLI error (all of them are about the input).
pub fn core_err(e: hybridtrust::Error) -> CliError {
    CliError::input(e.to_string())
}

/// Reads an input file (chain, CRL, zone, key) the way the library reads a
/// trust source: a regular file of at most `Limits::max_source_bytes`, so a
/// device such as `/dev/zero` or a huge file is an error, not an endless read.
///
/// `-` reads standard input, within the same limit, so that a chain can be
/// piped in (`openssl s_client -showcerts ... | hybridtrust chain verify -`).
pub fn read_input(path: &Path) -> Result<Vec<u8>, CliError> {
    let limits = hybridtrust::Limits::default();
    if path == Path::new("-") {
        return read_stdin(limits.max_source_bytes);
    }
    limits.read_file(path).map_err(|e| match e {
        hybridtrust::Error::Io { source, .. } => {
            CliError::io(format!("{}: {}", path.display(), io_text(&source)))
        }
        other => CliError::input(format!("{}: {other}", path.display())),
    })
}

/// Standard input, at most `limit` bytes (never reads more than one byte past it).
fn read_stdin(limit: usize) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::io(format!("standard input: {}", io_text(&e))))?;
    if bytes.len() > limit {
        return Err(CliError::input(format!(
            "standard input exceeds the limit of {limit} bytes"
        )));
    }
    Ok(bytes)
}

/// An I/O error in plain words.
pub fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Counts files under `dir`, stopping at `enough`.
fn count_files(dir: &Path, enough: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() && depth < 8 => stack.push((e.path(), depth + 1)),
                Ok(_) => count += 1,
                Err(_) => {}
            }
            if count >= enough {
                return count;
            }
        }
    }
    count
}

/// A progress line on stderr while a large directory is read.
struct Ticker {
    done: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<()>,
}

impl Ticker {
    fn start(dir: &Path) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        let name = dir.display().to_string();
        let shown = hybridtrust::text::escape_untrusted(&name).into_owned();
        let handle = std::thread::spawn(move || {
            let total = count_files(Path::new(&name), usize::MAX);
            let start = Instant::now();
            while !flag.load(Ordering::Relaxed) {
                eprint!(
                    "\rreading {shown}: {total} files, {}s ",
                    start.elapsed().as_secs()
                );
                let _ = std::io::stderr().flush();
                std::thread::sleep(Duration::from_millis(200));
            }
            eprint!("\r\x1b[K");
        });
        Self { done, handle }
    }

    fn stop(self) {
        self.done.store(true, Ordering::Relaxed);
        let _ = self.handle.join();
    }
}
