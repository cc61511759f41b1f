//! The progress bar: on stderr, for runs long enough to want one, on a terminal only.

/// A progress bar on stderr for runs long enough to want one, on a terminal only.
pub struct Bar(Option<indicatif::ProgressBar>);

/// Runs with fewer pages are over before a bar would help.
const BAR_MIN_PAGES: usize = 2000;

impl Bar {
    pub fn new(enabled: bool) -> Bar {
        Bar(enabled.then(|| {
            let bar = indicatif::ProgressBar::hidden();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        }))
    }
}

impl pagelint::Progress for Bar {
    fn start(&self, pages: usize) {
        if let Some(bar) = &self.0
            && pages >= BAR_MIN_PAGES
        {
            bar.set_length(pages as u64);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    fn page_done(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
