//! The TypeScript types in ui/src/lib/bindings are generated from the Rust types; this test
//! fails when they are stale. Regenerate with:
//! `LOUPE_UPDATE_BINDINGS=1 cargo test -p loupe-core --test core bindings`

use std::path::PathBuf;

#[test]
fn typescript_bindings_are_up_to_date() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings");
    let update = std::env::var_os("LOUPE_UPDATE_BINDINGS").is_some();
    let mut stale = Vec::new();
    let generated = loupe_core::typescript_bindings();
    assert!(generated.len() > 20, "every boundary type is rendered");
    for (file, content) in &generated {
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).expect("create the bindings folder");
            std::fs::write(&path, content).expect("write a binding");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            stale.push(file.clone());
        }
    }
    let expected: Vec<&str> = generated.iter().map(|(file, _)| file.as_str()).collect();
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .expect("the bindings folder exists")
        // `shell/` holds the window shell's own types, checked by its own test.
        .filter_map(|entry| entry.ok().filter(|entry| entry.path().is_file())?.file_name().into_string().ok())
        .filter(|name| !expected.contains(&name.as_str()))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "TypeScript bindings are stale ({stale:?}) or orphaned ({extra:?}); run \
         LOUPE_UPDATE_BINDINGS=1 cargo test -p loupe-core --test core bindings"
    );
}
