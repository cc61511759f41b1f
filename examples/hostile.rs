//! Build the hostile site of issue 9 at full size, for measuring:
//! `cargo run --release --example hostile -- /tmp/hostile [small]` then
//! `/usr/bin/time -f "%e s %M KB" pagelint check --root /tmp/hostile/site /tmp/hostile/site`.

#[path = "../tests/common/hostile.rs"]
mod hostile;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: hostile DIR (an empty or missing folder)");
        std::process::exit(2);
    };
    let dir = std::path::Path::new(&dir);
    let scale = if std::env::args().nth(2).as_deref() == Some("small") {
        &hostile::Scale::SMALL
    } else {
        &hostile::Scale::FULL
    };
    let bad = hostile::build(&dir.join("site"), &dir.join("outside"), scale);
    println!(
        "{} bad files under {}",
        bad.len(),
        dir.join("site").display()
    );
}
