//! Every input the fuzz targets found a defect with (`fixtures/fuzz/<target>/`, minimized),
//! fed to the same check the target runs (`fuzz/src/lib.rs`, included here): no panic, and
//! every promise the target checks holds. A new reproducer needs no new code here. The same
//! checks also run on every fixture page and configuration (what the corpora are seeded with),
//! so they hold on ordinary input too.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

use std::path::Path;

/// What a fuzz target checks of one input (panics when a promise does not hold).
type Check = fn(&[u8]);

/// Run `check` on each reproducer of `target`.
fn replay(target: &str, check: Check) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fuzz")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    let failing: Vec<String> = files
        .iter()
        .filter(|file| {
            let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            std::panic::catch_unwind(|| check(&data)).is_err()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(failing.is_empty(), "these fail their check: {failing:#?}");
}

/// Every file under `fixtures/` whose name ends with one of `extensions`.
fn fixture_files(extensions: &[&str]) -> Vec<Vec<u8>> {
    fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() && name != "fuzz" {
                walk(&path, extensions, out);
            } else if extensions.iter().any(|e| name.ends_with(e)) {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        extensions,
        &mut paths,
    );
    paths.sort();
    assert!(!paths.is_empty(), "fixtures hold {extensions:?} files");
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

#[test]
fn the_checks_hold_on_every_fixture() {
    for (i, page) in fixture_files(&[".html", ".htm", ".md"]).iter().enumerate() {
        checks::check_front_matter(page);
        checks::check_html(page);
        // The first byte picks the repairs: each kind in turn.
        let mut input = vec![i as u8];
        input.extend_from_slice(page);
        checks::check_fix(&input);
    }
    for page in fixture_files(&[".md", ".mdx", ".markdown"]) {
        checks::check_markdown(&page);
    }
    for config in fixture_files(&[".yaml"]) {
        checks::check_config(&config);
    }
}

#[test]
fn every_reproducer_passes_its_targets_check() {
    let targets: [(&str, Check); 7] = [
        ("frontmatter", checks::check_front_matter),
        ("html", checks::check_html),
        ("uri", checks::check_uri),
        ("config", checks::check_config),
        ("cache", checks::check_cache),
        ("fix", checks::check_fix),
        ("markdown", checks::check_markdown),
    ];
    for (target, check) in targets {
        replay(target, check);
    }
}
