fn main() {
    // Capabilities live beside the shell's code rather than at the repository root; tauri-build
    // watches only its default folder, so a changed capability would not reach an incremental build.
    println!("cargo:rerun-if-changed=src-tauri/app/capabilities");
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/app/capabilities/*.json");
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build script failed: {error:#}");
    }
}
