//! What installing the command takes besides the binary: shell completions and
//! man pages, generated from the clap definition in `main.rs`, so they always
//! list the commands and options this binary has.

use std::io::Write;
use std::path::Path;

use clap_complete::Shell;

use crate::output::{CliError, EXIT_OK};

/// Prints the completion script for `shell` on stdout.
pub fn completions(mut command: clap::Command, shell: Shell) -> Result<u8, CliError> {
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    write_stdout(&script)
}

/// Prints the command's man page (roff) on stdout or, with `dir`, writes it and
/// one page per subcommand (`hybridtrust-store-check.1`, ...) into `dir`.
pub fn man(command: clap::Command, dir: Option<&Path>) -> Result<u8, CliError> {
    // `help` gets no page of its own (generate_to leaves it out): do not list one.
    let command = command.disable_help_subcommand(true);
    match dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(|e| CliError::io(format!("rendering the man page: {e}")))?;
            write_stdout(&page)
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .and_then(|()| clap_mangen::generate_to(command, dir))
                .map_err(|e| CliError::io(format!("{}: {e}", dir.display())))?;
            Ok(EXIT_OK)
        }
    }
}

/// Writes generated text to stdout; a reader that stops early (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<u8, CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(EXIT_OK),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => Err(CliError::io(format!("stdout: {e}"))),
    }
}
