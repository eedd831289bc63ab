//! Gives the shared library a SONAME on Linux (`libhybridtrust.so.MAJOR`), so
//! programs linked against an installed libhybridtrust record the ABI version
//! they need and keep loading it across compatible upgrades
//! (`bindings/c/install.sh` installs the versioned file and its links).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets it");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libhybridtrust.so.{major}");
    }
}
