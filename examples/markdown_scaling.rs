//! How the Markdown reader's time grows on hostile bodies: each shape at 1 MB and at 4 MB,
//! read as Markdown and as MDX (the best of `RUNS` runs, default 3, in milliseconds of CPU
//! time of this thread), and the ratio, which stays near 4 when the reader is linear.
//!
//! `RUNS=3 cargo run --release --example markdown_scaling`

use pagelint::parse::markdown::{self, LinkAttributes, Options};
use pagelint::parse::slug::HeadingIds;
use std::time::Duration;

/// This thread's CPU time (timings on a shared machine: wall time counts the others' work).
fn cpu_time() -> Duration {
    let mut t = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { clock_gettime(3, &mut t) }; // CLOCK_THREAD_CPUTIME_ID
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

unsafe extern "C" {
    fn clock_gettime(clock: i32, t: *mut Timespec) -> i32;
}

/// `unit` repeated to about `n` bytes.
fn rep(unit: &str, n: usize) -> String {
    unit.repeat(n / unit.len().max(1))
}

/// Backtick runs of every length 1, 2, 3, … (no two alike, none closes another).
fn backtick_runs(n: usize) -> String {
    let mut s = String::new();
    let mut k = 1;
    while s.len() < n {
        s.push_str(&"`".repeat(k));
        s.push(' ');
        k += 1;
    }
    s
}

/// One definition with a long destination and many links to it (md4c #238).
fn one_definition_many_uses(n: usize) -> String {
    format!("[x]: /{}\n{}", "x".repeat(n / 2), rep("\n[x]", n / 2))
}

/// Many definitions, each used once.
fn many_definitions(n: usize) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < n {
        s.push_str(&format!("[l{i}]: /p{i}\n[l{i}]\n"));
        i += 1;
    }
    s
}

/// A hostile shape: its name, and how to make about `n` bytes of it.
type Shape = (&'static str, fn(usize) -> String);

fn main() {
    let shapes: Vec<Shape> = vec![
        ("100k-style [", |n| rep("[", n)),
        ("<", |n| rep("<", n)),
        ("[a](<b", |n| rep("[a](<b", n)),
        ("[ (](", |n| rep("[ (](", n)),
        ("[](", |n| rep("[](", n)),
        ("a***", |n| rep("a***", n)),
        ("* * * a", |n| rep("* ", n) + "a"),
        ("[*_a", |n| rep("[*_a", n)),
        ("``\\", |n| rep("``\\", n)),
        ("]([\\n", |n| rep("]([\n", n)),
        ("a <![CDATA[", |n| rep("a <![CDATA[", n)),
        ("<>", |n| rep("<>", n)),
        ("> deep quote", |n| rep(">", n) + " x\n"),
        ("- deep list", |n| rep("- ", n) + "x\n"),
        ("  - nested list lines", |n| {
            let mut s = String::new();
            let mut d = 0;
            while s.len() < n {
                s.push_str(&" ".repeat(d * 2));
                s.push_str("- [a](/b)\n");
                d = (d + 1) % 200;
            }
            s
        }),
        ("backtick runs", backtick_runs),
        ("![", |n| rep("![", n)),
        ("(https://a.b", |n| rep("(https://a.b", n)),
        ("www. line", |n| rep("www.a.b ", n)),
        ("long URL line", |n| {
            format!("https://a.b/{}", "x(".repeat(n / 2))
        }),
        ("[x] one def", one_definition_many_uses),
        ("many defs", many_definitions),
        ("{ expressions", |n| rep("{", n / 2) + &rep("`", n / 2)),
        ("MDX <A  one paragraph", |n| rep("<A ", n)),
        ("MDX x<y", |n| rep("x<y ", n)),
        ("MDX <Link href=\"", |n| rep("<Link href=\"a ", n)),
        ("# headings", |n| rep("# a\n", n)),
        ("[^n] footnotes", |n| rep("[^n] ", n) + "\n\n[^n]: x\n"),
        ("| table |", |n| {
            "| a |\n|---|\n".to_owned() + &rep("| [a](/b) |\n", n)
        }),
        ("<a href> inline", |n| rep("a <a href=\"/x\">b</a> ", n)),
    ];
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let attributes = LinkAttributes::from([("Link".to_owned(), vec!["href".to_owned()])]);
    println!(
        "{:<24} {:>10} {:>10} {:>6}",
        "shape", "1 MB ms", "4 MB ms", "ratio"
    );
    for (name, make) in shapes {
        let time = |n: usize| {
            let text = make(n);
            let mut best = Duration::MAX;
            for _ in 0..runs {
                let started = cpu_time();
                for mdx in [false, true] {
                    let options = Options {
                        heading_ids: HeadingIds::Github,
                        mdx,
                        link_attributes: &attributes,
                    };
                    std::hint::black_box(markdown::scan(&text, 0, &options));
                }
                best = best.min(cpu_time() - started);
            }
            best.as_secs_f64() * 1000.0
        };
        let (one, four) = (time(1 << 20), time(4 << 20));
        println!("{name:<24} {one:>10.1} {four:>10.1} {:>6.2}", four / one);
    }
}
