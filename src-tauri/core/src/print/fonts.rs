//! The one face every page is set in: Noto Sans CJK SC (Latin and Chinese alike), from the
//! system's `fonts-noto-cjk` package. typst's own fonts have no CJK, and the Loupe .deb depends
//! on that package, so the files are read from disk (once per process: they are about 20 MB
//! each), never fetched and never bundled into the binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::error::{Error, Result};

/// The family every template sets.
pub(crate) const FAMILY: &str = "Noto Sans CJK SC";
/// Regular and bold: the templates use no other weight.
const FILES: [&str; 2] = ["NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"];
/// Where Debian, Fedora and Arch put them.
const FOLDERS: [&str; 4] = [
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/truetype/noto",
];

/// The faces in the font files, with typst's index of them.
pub(crate) struct Fonts {
    pub book: LazyHash<FontBook>,
    pub faces: Vec<Font>,
}

/// The fonts, read on first use; a missing file is an error every time it is asked for (the
/// dealer may install the package while the window is open, but the read is not retried).
pub(crate) fn fonts() -> Result<&'static Fonts> {
    static FONTS: OnceLock<std::result::Result<Fonts, String>> = OnceLock::new();
    match FONTS.get_or_init(load) {
        Ok(fonts) => Ok(fonts),
        Err(missing) => Err(Error::Io {
            path: missing.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the font Noto Sans CJK is missing: install the package fonts-noto-cjk \
                 (sudo apt install fonts-noto-cjk) to print",
            ),
        }),
    }
}

fn load() -> std::result::Result<Fonts, String> {
    let mut faces = Vec::new();
    for file in FILES {
        let path = find(file).ok_or_else(|| Path::new(FOLDERS[0]).join(file).display().to_string())?;
        let data = std::fs::read(&path).map_err(|_| path.display().to_string())?;
        // A .ttc holds every CJK variant (SC, TC, HK, JP, KR); all are indexed, FAMILY picks one.
        faces.extend(Font::iter(Bytes::new(data)));
    }
    if !faces.iter().any(|face| face.info().family == FAMILY) {
        return Err(Path::new(FOLDERS[0]).join(FILES[0]).display().to_string());
    }
    Ok(Fonts { book: LazyHash::new(FontBook::from_fonts(&faces)), faces })
}

fn find(file: &str) -> Option<PathBuf> {
    FOLDERS.iter().map(|folder| Path::new(folder).join(file)).find(|path| path.is_file())
}
