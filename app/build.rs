//! The main and workshop files are linked with their relocations (`--emit-relocs`):
//! `xtask/split.mjs` reads them to cut the parts a page opens later (`app::parts`) into files of
//! their own, which share their file's memory, Yew and standard library. Native builds and the
//! home screen's file link as usual.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        for bin in ["app", "workshop"] {
            println!("cargo:rustc-link-arg-bin={bin}=--emit-relocs");
        }
    }
}
