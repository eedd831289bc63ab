//! The `hybridtrust` command: a thin command line over the `hybridtrust` crate.
//!
//! * `hybridtrust preflight`: is the trust store of this hybrid deployment ready?
//! * `hybridtrust store check|export`: inspect a store, or export it as one bundle.
//! * `hybridtrust chain verify`: verify a chain from files, explain the verdict.
//! * `hybridtrust endpoint check`: handshake with a server and verify what it presented.
//! * `hybridtrust completions SHELL`, `hybridtrust man`: shell completions and
//!   man pages, for installing the command.
//!
//! Every command takes `--json` (schema `hybridtrust/1`, see the README).
//! Exit codes: 0 trusted/ok, 1 not trusted or error findings, 2 usage, 3 input or I/O error.

mod chain;
mod endpoint;
mod install;
mod output;
mod preflight;
mod render;
mod sources;
mod store;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use output::{CliError, Output};

/// Certificate trust for hybrid cloud/on-premises deployments (Webex Device
/// Connector, Expressway-E SIP mutual TLS, calendar connector to Exchange).
#[derive(Parser, Debug)]
#[command(name = "hybridtrust", version, propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 trusted/ok, 1 not trusted or error findings, 2 usage error, 3 input or I/O error."
)]
struct Cli {
    /// Print one JSON document (schema "hybridtrust/1") on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check the default trust store of the hybrid deployment: required cloud
    /// CAs, findings, certificates close to expiry, and a one-line verdict.
    Preflight(PreflightArgs),
    /// Check or export trust stores.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Verify certificate chains.
    #[command(subcommand)]
    Chain(ChainCommand),
    /// Check TLS endpoints.
    #[command(subcommand)]
    Endpoint(EndpointCommand),
    /// Print the shell completion script for SHELL on stdout.
    #[command(
        after_help = "Install, e.g.:\n  hybridtrust completions bash > ~/.local/share/bash-completion/completions/hybridtrust\n  hybridtrust completions zsh > ~/.zfunc/_hybridtrust   (with fpath+=~/.zfunc)\n  hybridtrust completions fish > ~/.config/fish/completions/hybridtrust.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout, or write it and one page per
    /// subcommand into a directory.
    #[command(
        after_help = "Install, e.g.:\n  hybridtrust man --dir ~/.local/share/man/man1\n  hybridtrust man | man -l -"
    )]
    Man {
        /// Write hybridtrust.1 and hybridtrust-SUBCOMMAND.1 pages into DIR instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Where the trusted CAs come from, besides a command's defaults.
#[derive(Args, Debug, Clone)]
struct StoreArgs {
    /// A certificate file (PEM or DER, by content) or a directory of them; repeatable.
    #[arg(long = "store", value_name = "PATH")]
    stores: Vec<PathBuf>,
    /// Add the operating system's trusted roots.
    #[arg(long)]
    system: bool,
}

#[derive(Args, Debug)]
struct PreflightArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The time to check validity at (RFC 3339 UTC, e.g. 2026-06-01T00:00:00Z); default: now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
}

#[derive(Subcommand, Debug)]
enum StoreCommand {
    /// Read certificate files and directories and report every finding.
    Check {
        /// Certificate files or directories.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The time to check validity at (RFC 3339 UTC); default: now.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
    /// Export the combined store (the embedded cloud CAs and every `--store`)
    /// as one PEM bundle (what an Expressway's trusted CA list takes) or a
    /// directory of DER files.
    Export {
        #[command(flatten)]
        store: StoreArgs,
        /// Leave out the embedded Webex cloud CAs.
        #[arg(long)]
        no_cloud_cas: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "pem")]
        format: ExportFormat,
        /// The time to check validity at (RFC 3339 UTC); default: now.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        /// The output file (pem) or directory (der-dir); `-` writes PEM to stdout.
        #[arg(value_name = "OUT")]
        out: PathBuf,
    },
}

/// The export formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ExportFormat {
    /// One PEM bundle.
    Pem,
    /// A directory with one DER file per certificate, named by fingerprint.
    DerDir,
}

/// The usage a chain is verified for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum UsageArg {
    /// A TLS server's chain (serverAuth).
    Server,
    /// A TLS client's chain (clientAuth, mutual TLS inbound).
    Client,
}

/// The EKU mode for client certificates.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum EkuModeArg {
    /// clientAuth is required.
    Strict,
    /// serverAuth-only certificates are accepted (clientAuth sunset).
    Transition,
}

/// Whether certificate-profile violations (RFC 5280 MUSTs, CA/Browser
/// Forum rules) refuse a chain or are warnings.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ProfileChecksArg {
    /// Every violated rule refuses the chain.
    Strict,
    /// RFC 5280 rules OpenSSL enforces refuse every chain; strict-verifier and
    /// CA/Browser Forum rules refuse chains to public roots, warn on private CAs.
    ByAnchorOrigin,
    /// Every violation is a warning.
    Lenient,
}

impl ProfileChecksArg {
    fn core(self) -> hybridtrust::ProfileChecks {
        match self {
            ProfileChecksArg::Strict => hybridtrust::ProfileChecks::Strict,
            ProfileChecksArg::ByAnchorOrigin => hybridtrust::ProfileChecks::ByAnchorOrigin,
            ProfileChecksArg::Lenient => hybridtrust::ProfileChecks::Lenient,
        }
    }
}

/// Who the peer must be.
#[derive(Args, Debug, Clone)]
struct IdentityArgs {
    /// A zone: `webex-hybrid` (callservice.webex.com) or a zone definition file (JSON).
    #[arg(long, value_name = "webex-hybrid|FILE", conflicts_with = "name")]
    zone: Option<String>,
    /// The name the peer must carry (a SAN for servers; CN or SAN for clients).
    #[arg(long, value_name = "HOST")]
    name: Option<String>,
}

#[derive(Subcommand, Debug)]
enum ChainCommand {
    /// Verify chains (each file: leaf first, then intermediates; PEM or DER).
    Verify(ChainVerifyArgs),
}

#[derive(Args, Debug)]
struct ChainVerifyArgs {
    /// Chain files (`-` reads one chain from standard input).
    #[arg(required = true, value_name = "CHAIN")]
    chains: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    identity: IdentityArgs,
    /// What the chain's leaf is used for.
    #[arg(long, value_enum, default_value = "server")]
    usage: UsageArg,
    /// EKU checking for client certificates (default: the zone's, else strict).
    #[arg(long, value_enum)]
    eku_mode: Option<EkuModeArg>,
    /// Certificate-profile checks (default: the zone's, else by-anchor-origin).
    #[arg(long, value_enum)]
    profile_checks: Option<ProfileChecksArg>,
    /// The validation time (RFC 3339 UTC); default: now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// A CRL file (PEM or DER); repeatable. With CRLs, revocation is checked.
    #[arg(long = "crl", value_name = "FILE")]
    crls: Vec<PathBuf>,
    /// Which certificates the CRLs must cover: the leaf only, or every
    /// certificate of the chain (then each issuer's CRL is needed).
    #[arg(long, value_enum, default_value = "chain", requires = "crls")]
    crl_scope: CrlScopeArg,
    /// Accept certificates whose revocation status no given CRL covers.
    #[arg(long, requires = "crls")]
    allow_unknown_status: bool,
}

/// The certificates CRLs are checked for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum CrlScopeArg {
    /// The leaf only.
    Leaf,
    /// Every certificate of the chain except the anchor.
    Chain,
}

#[derive(Subcommand, Debug)]
enum EndpointCommand {
    /// Handshake with HOST:PORT, capture the chain it presents and verify it.
    Check(EndpointArgs),
}

#[derive(Args, Debug)]
struct EndpointArgs {
    /// The server, as HOST:PORT.
    #[arg(value_name = "HOST:PORT")]
    target: String,
    /// The server name to send (SNI); default: HOST, unless it is an IP address.
    #[arg(long, value_name = "NAME")]
    sni: Option<String>,
    #[command(flatten)]
    identity: IdentityArgs,
    #[command(flatten)]
    store: StoreArgs,
    /// Our client certificate chain (PEM/DER), for mutual TLS.
    #[arg(long, value_name = "FILE", requires = "client_key")]
    client_cert: Option<PathBuf>,
    /// The private key of the client certificate (PEM).
    #[arg(long, value_name = "FILE", requires = "client_cert")]
    client_key: Option<PathBuf>,
    /// Seconds before giving up (connect and handshake together).
    #[arg(long, value_name = "S", default_value = "10")]
    timeout: f64,
    /// Certificate-profile checks (default: the zone's, else by-anchor-origin).
    #[arg(long, value_enum)]
    profile_checks: Option<ProfileChecksArg>,
    /// The validation time (RFC 3339 UTC); default: now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return parse_error(e),
    };
    let out = Output::new(cli.json);
    let (name, result) = match cli.command {
        Command::Preflight(a) => ("preflight", preflight::run(&out, a)),
        Command::Store(StoreCommand::Check { paths, at }) => {
            ("store check", store::check(&out, &paths, at.as_deref()))
        }
        Command::Store(StoreCommand::Export {
            store: s,
            no_cloud_cas,
            format,
            at,
            out: path,
        }) => (
            "store export",
            store::export(&out, &s, !no_cloud_cas, format, at.as_deref(), &path),
        ),
        Command::Chain(ChainCommand::Verify(a)) => ("chain verify", chain::verify(&out, a)),
        Command::Endpoint(EndpointCommand::Check(a)) => {
            ("endpoint check", endpoint::check(&out, a))
        }
        Command::Completions { shell } => {
            ("completions", install::completions(Cli::command(), shell))
        }
        Command::Man { dir } => ("man", install::man(Cli::command(), dir.as_deref())),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            out.error(name, &e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// Reports an argument error: as clap's text (exit 2), or, when `--json` was
/// asked for, as a JSON error document (exit 2). Help and version exit 0.
fn parse_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let informational = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
    let wants_json = std::env::args_os().skip(1).any(|a| a == "--json");
    if informational || !wants_json {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() {
            output::EXIT_USAGE
        } else {
            output::EXIT_OK
        });
    }
    let message = e.kind().to_string();
    let detail = e.render().to_string();
    let first = detail
        .lines()
        .next()
        .unwrap_or(&message)
        .trim_start_matches("error: ")
        .to_string();
    let words: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .take(2)
        .collect();
    let command = match words.first().map(String::as_str) {
        Some("store" | "chain" | "endpoint") => words.join(" "),
        Some(w) => w.to_string(),
        None => String::new(),
    };
    Output::new(true).error(&command, &CliError::usage(first));
    ExitCode::from(output::EXIT_USAGE)
}

impl From<&StoreArgs> for sources::Extra {
    fn from(a: &StoreArgs) -> Self {
        sources::Extra {
            paths: a.stores.clone(),
            system: a.system,
        }
    }
}

/// Parses `--at`, or now.
fn time_arg(at: Option<&str>) -> Result<Option<hybridtrust::UnixTime>, CliError> {
    at.map(|t| hybridtrust::parse_time(t).map_err(|e| CliError::usage(format!("--at: {e}"))))
        .transpose()
}
