//! Date rules: invalid-date, updated-before-created, future-date, stale-updated-at. Each reads
//! the site's date fields (`site.updated_fields`, `site.created_fields`: the first present
//! counts) and names the field it read.

use super::PageCtx as Ctx;
use crate::diagnostic::Finding;
use crate::parse::page::{PageField, Spot};
use jiff::{SignedDuration, Timestamp, civil::Date};

const DAY: i64 = 86_400;

/// Parse an RFC 3339 date-time, or a plain `YYYY-MM-DD` date (taken as midnight UTC).
pub fn parse_date(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    if text.len() == 10 {
        let date: Date = text.parse().ok()?;
        return date
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    None
}

/// A date field's value, when the page has it as non-blank text.
fn date_text<'a>(ctx: &'a Ctx<'_>, name: &str) -> Option<(&'a PageField, String)> {
    if !ctx.page.fields_valid() {
        return None;
    }
    let field = ctx.page.fields.get(name)?;
    if field.field.is_blank() {
        return None;
    }
    Some((field, field.field.text()?))
}

/// A date field's value and where it is written, when it is a valid date.
fn date(ctx: &Ctx<'_>, name: &str) -> Option<(Timestamp, Spot)> {
    let (field, text) = date_text(ctx, name)?;
    Some((parse_date(&text)?, field.spot))
}

/// The first of `fields` the page has (`site.updated_fields`, `site.created_fields`), and its
/// date when it is one.
fn first_date<'f>(ctx: &Ctx<'_>, fields: &'f [String]) -> Option<(&'f str, Timestamp, Spot)> {
    if !ctx.page.fields_valid() {
        return None;
    }
    let (name, _) = ctx.page.first_present(fields)?;
    let (ts, spot) = date(ctx, name)?;
    Some((name, ts, spot))
}

/// Every date field the site names, updated first, each once.
fn date_fields<'s>(ctx: &Ctx<'s>) -> impl Iterator<Item = &'s str> {
    let settings = ctx.settings;
    let all = settings
        .updated_fields
        .iter()
        .chain(&settings.created_fields);
    all.enumerate().filter_map(move |(i, name)| {
        let earlier = settings
            .updated_fields
            .iter()
            .chain(&settings.created_fields)
            .take(i);
        (!earlier.clone().any(|e| e == name)).then_some(name.as_str())
    })
}

fn day(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d").to_string()
}

/// Two instants as text that tells them apart: days, or full times when on the same day.
fn pair(a: Timestamp, b: Timestamp) -> (String, String) {
    if day(a) == day(b) {
        (a.to_string(), b.to_string())
    } else {
        (day(a), day(b))
    }
}

pub fn invalid_date(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for name in date_fields(ctx) {
        let Some((field, text)) = date_text(ctx, name) else {
            continue;
        };
        if parse_date(&text).is_none() {
            out.push(Finding {
                span: field.spot.span,
                position: field.spot.position,
                message: format!("`{name}` is not a date: {text:?}"),
                help: "write an RFC 3339 date-time (2017-10-27T18:49:24Z) or a date (2017-10-27)"
                    .into(),
                target: None,
                repair: None,
            });
        }
    }
}

pub fn updated_before_created(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let settings = ctx.settings;
    let (Some((u_name, updated, spot)), Some((c_name, created, _))) = (
        first_date(ctx, &settings.updated_fields),
        first_date(ctx, &settings.created_fields),
    ) else {
        return;
    };
    // One field read as both (`date`, where a page has neither of the others).
    if u_name == c_name {
        return;
    }
    if updated < created {
        out.push(Finding {
            span: spot.span,
            position: spot.position,
            message: {
                let (u, c) = pair(updated, created);
                format!("`{u_name}` ({u}) is before `{c_name}` ({c})")
            },
            help: "correct whichever date is wrong: a page cannot be updated before it exists"
                .into(),
            target: None,
            repair: None,
        });
    }
}

pub fn future_date(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let limit = ctx.now + SignedDuration::from_secs(DAY);
    for name in date_fields(ctx) {
        let Some((ts, spot)) = date(ctx, name) else {
            continue;
        };
        if ts > limit {
            out.push(Finding {
                span: spot.span,
                position: spot.position,
                message: format!("`{name}` ({}) is in the future", day(ts)),
                help: format!(
                    "correct the date; it is more than a day after now ({})",
                    day(ctx.now)
                ),
                target: None,
                repair: None,
            });
        }
    }
}

pub fn stale_updated_at(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // A page with an empty body (a placeholder, a redirect) has nothing to review, as
    // missing-authorship also judges.
    if ctx.page.body_empty {
        return;
    }
    let Some((name, updated, spot)) = first_date(ctx, &ctx.settings.updated_fields) else {
        return;
    };
    let max_days = ctx
        .params
        .get("max_age_days")
        .and_then(|v| v.as_i64())
        .unwrap_or(1095);
    let age_days = (ctx.now.as_second() - updated.as_second()).div_euclid(DAY);
    if age_days > max_days {
        out.push(Finding {
            span: spot.span,
            position: spot.position,
            message: format!(
                "`{name}` ({}) is {age_days} days old, more than {max_days}",
                day(updated)
            ),
            help: format!("review the page and set `{name}` to the date of the review"),
            target: None,
            repair: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_and_plain_dates_parse() {
        let t = |s: &str| parse_date(s).map(|t| t.to_string());
        assert_eq!(
            t("2017-10-27T18:49:24Z").as_deref(),
            Some("2017-10-27T18:49:24Z")
        );
        assert_eq!(
            t("2017-10-27T20:49:24+02:00").as_deref(),
            Some("2017-10-27T18:49:24Z")
        );
        assert_eq!(t("2017-10-27").as_deref(), Some("2017-10-27T00:00:00Z"));
        for bad in [
            "27/10/2017",
            "2017-13-01",
            "2017-02-30",
            "yesterday",
            "2017-10-27T18:49:24",
            "",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }
}
