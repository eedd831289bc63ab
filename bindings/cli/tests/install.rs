//! What installing the command puts beside the binary: the shell completions
//! (`hybridtrust completions SHELL`) and the man pages (`hybridtrust man`),
//! checked by the shells and by `man` where they are installed.

use std::path::Path;
use std::process::{Command, Output};

/// Every command a user can type after `hybridtrust`.
const SUBCOMMANDS: &[&str] = &[
    "preflight",
    "store",
    "chain",
    "endpoint",
    "completions",
    "man",
];

fn hybridtrust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hybridtrust"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs `args`, expects exit 0, returns stdout.
fn generate(args: &[&str]) -> String {
    let out = hybridtrust(args);
    assert!(
        out.status.success(),
        "hybridtrust {args:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Whether `program` can be run (it is on PATH).
fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `program args...`, expects exit 0, returns stdout.
fn check_with(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn bash_completion_is_valid_bash_and_completes_the_subcommands() {
    let script = generate(&["completions", "bash"]);
    for sub in SUBCOMMANDS {
        assert!(script.contains(sub), "bash completion lacks {sub}");
    }
    for option in ["--store", "--zone", "--profile-checks", "--json"] {
        assert!(script.contains(option), "bash completion lacks {option}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hybridtrust.bash", &script);
    check_with("bash", &["-n", &path]);
    // Loaded into a shell, it completes `hybridtrust st` and `hybridtrust store `.
    let probe = format!(
        r#"source '{path}'
complete -p hybridtrust >/dev/null || exit 9
COMP_WORDS=(hybridtrust st); COMP_CWORD=1; COMP_LINE='hybridtrust st'; COMP_POINT=14
_hybridtrust hybridtrust st hybridtrust; echo "first: ${{COMPREPLY[*]}}"
COMP_WORDS=(hybridtrust store ''); COMP_CWORD=2; COMP_LINE='hybridtrust store '; COMP_POINT=18
_hybridtrust hybridtrust '' store; echo "second: ${{COMPREPLY[*]}}""#
    );
    let out = check_with("bash", &["-c", &probe]);
    let first = out.lines().find(|l| l.starts_with("first:")).unwrap();
    assert!(first.split_whitespace().any(|w| w == "store"), "{out}");
    let second = out.lines().find(|l| l.starts_with("second:")).unwrap();
    for sub in ["check", "export"] {
        assert!(second.split_whitespace().any(|w| w == sub), "{out}");
    }
}

#[test]
fn zsh_and_fish_completions_name_the_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    let zsh = generate(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef hybridtrust"), "{zsh}");
    let fish = generate(&["completions", "fish"]);
    assert!(fish.contains("complete -c hybridtrust"), "{fish}");
    for sub in SUBCOMMANDS {
        assert!(zsh.contains(sub), "zsh completion lacks {sub}");
        assert!(fish.contains(sub), "fish completion lacks {sub}");
    }
    // Parsed by the shells themselves where they are installed.
    if have("zsh") {
        check_with("zsh", &["-n", &write(dir.path(), "_hybridtrust", &zsh)]);
    }
    if have("fish") {
        check_with(
            "fish",
            &["-n", &write(dir.path(), "hybridtrust.fish", &fish)],
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = hybridtrust(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn man_page_is_roff_with_every_subcommand_and_renders() {
    let page = generate(&["man"]);
    assert!(page.contains(".TH hybridtrust 1"), "{page}");
    assert!(
        page.contains(env!("CARGO_PKG_VERSION")),
        "the page names the version"
    );
    for sub in SUBCOMMANDS {
        assert!(page.contains(sub), "man page lacks {sub}");
    }
    assert!(
        page.contains("Exit codes"),
        "the page carries the exit codes"
    );
    if !have("man") {
        eprintln!("man is not installed: rendering not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hybridtrust.1", &page);
    let out = Command::new("man")
        .args(["-l", &path])
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("man runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "man -l: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    for word in ["NAME", "SYNOPSIS", "preflight", "endpoint"] {
        assert!(text.contains(word), "rendered page lacks {word}:\n{text}");
    }
}

#[test]
fn man_dir_writes_one_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let man1 = dir.path().join("man1");
    generate(&["man", "--dir", man1.to_str().unwrap()]);
    for name in [
        "hybridtrust.1",
        "hybridtrust-preflight.1",
        "hybridtrust-store.1",
        "hybridtrust-store-check.1",
        "hybridtrust-store-export.1",
        "hybridtrust-chain-verify.1",
        "hybridtrust-endpoint-check.1",
        "hybridtrust-completions.1",
        "hybridtrust-man.1",
    ] {
        let page = std::fs::read_to_string(man1.join(name))
            .unwrap_or_else(|e| panic!("{name} not written: {e}"));
        assert!(page.contains(".TH"), "{name} is not a man page");
    }
}
