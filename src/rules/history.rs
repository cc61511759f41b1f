//! updated-at-not-bumped: a page whose body changed since the `--changed-since` base while
//! its `updated_at` stayed as it was. Only a run with `--changed-since` knows a page's
//! previous version (`PageCtx::previous`); in any other run, and for a page new since the
//! base, the rule has nothing to compare and says nothing.

use super::PageCtx as Ctx;
use super::dates::parse_date;
use crate::diagnostic::Finding;
use jiff::Timestamp;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::TimeZone;

pub fn updated_at_not_bumped(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(previous) = ctx.previous else {
        return;
    };
    if !previous.body_changed || !ctx.page.fields_valid() {
        return;
    }
    // A page without an updated field is not this rule's business (missing-field's, if
    // required); the first present of `site.updated_fields` is the one read.
    let Some((name, field)) = ctx.page.first_present(&ctx.settings.updated_fields) else {
        return;
    };
    let Some(written) = field.field.text() else {
        return;
    };
    let written = written.trim();
    let before = previous.updated.iter().find(|(n, _)| n == name);
    if before.map(|(_, v)| v.trim()) != Some(written) {
        return;
    }
    // A value that is not a date is invalid-date's to report.
    let Some(now) = now_written_like(written, ctx.now) else {
        return;
    };
    out.push(Finding {
        span: field.spot.span,
        position: field.spot.position,
        message: format!(
            "the body changed since {}, but `{name}` did not (still {written})",
            previous.since
        ),
        help: format!("set `{name}` to {now}, the date of this change"),
        target: None,
        repair: None,
    });
}

/// `now` written as `written` is: a plain date gives today's date (UTC), an RFC 3339
/// date-time gives now to the second, at the same offset (`Z` stays `Z`). `None` when
/// `written` is not a date.
pub fn now_written_like(written: &str, now: Timestamp) -> Option<String> {
    parse_date(written)?;
    if written.len() == 10 {
        return Some(now.strftime("%Y-%m-%d").to_string());
    }
    match Pieces::parse(written).ok()?.offset()? {
        PiecesOffset::Numeric(n) => Some(
            now.to_zoned_datetime(TimeZone::fixed(n.offset()))
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        ),
        _ => Some(now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::now_written_like;

    #[test]
    fn now_is_written_in_the_page_own_form() {
        let now: jiff::Timestamp = "2026-06-01T22:30:15.25Z".parse().expect("valid");
        let like = |w: &str| now_written_like(w, now);
        assert_eq!(like("2019-03-04").as_deref(), Some("2026-06-01"));
        assert_eq!(
            like("2019-03-04T10:00:00Z").as_deref(),
            Some("2026-06-01T22:30:15Z")
        );
        assert_eq!(
            like("2019-03-04T10:00:00+02:00").as_deref(),
            Some("2026-06-02T00:30:15+02:00")
        );
        assert_eq!(
            like("2019-03-04T10:00:00-05:30").as_deref(),
            Some("2026-06-01T17:00:15-05:30")
        );
        assert_eq!(like("last week"), None);
        assert_eq!(like("2019-03-04T10:00:00"), None);
    }
}
