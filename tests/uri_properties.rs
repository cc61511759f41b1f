//! Properties of URIs, over generated hrefs (proptest): normalization is idempotent, no
//! resolved internal path has a dot segment (so none climbs out of the root, whether the dots
//! were written or percent-encoded), and percent-decoding and `fix`'s encoding undo each other.

use globset::GlobSet;
use pagelint::fix;
use pagelint::parse::link::{Resolver, Target};
use pagelint::parse::uri::{Uri, percent_decode};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;

fn resolver() -> Resolver {
    Resolver::new(&["www.example.org".to_owned()], GlobSet::empty(), "")
}

/// The internal URI an href resolves to from a page three folders deep, if it is internal.
fn resolved(href: &str) -> Option<Uri> {
    let r = resolver();
    match r.resolve(&r.page_url("/a/b/c/page"), href)? {
        Target::Internal { uri, .. } => Some(uri),
        _ => None,
    }
}

/// The href `fix` writes for `uri`, as an HTML parser hands it back (entities decoded).
fn written(uri: &Uri) -> String {
    fix::href_path(uri)
}

fn dot_segments(uri: &Uri) -> Vec<&str> {
    uri.as_str()
        .split('/')
        .filter(|s| *s == "." || *s == "..")
        .collect()
}

/// Path segments as hrefs write them: names, dots written or percent-encoded (`%2e`, `%2E`),
/// encoded slashes and backslashes around dots, doubly encoded dots, odd characters.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("..".to_owned()),
        Just(".".to_owned()),
        Just("%2e%2e".to_owned()),
        Just("%2E.".to_owned()),
        Just(".%2e".to_owned()),
        Just("..%2F".to_owned()),
        Just("%2F..".to_owned()),
        Just("%2f..%2f".to_owned()),
        Just("..%5C".to_owned()),
        Just("%5C..".to_owned()),
        Just("%252e%252e".to_owned()),
        Just("".to_owned()),
        "[a-zé %&;?#\\\\]{1,4}",
    ]
}

/// An href: a prefix (root-relative, relative, the site's own host) and segments joined by
/// slashes or backslashes.
fn href() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just(""),
            Just("/"),
            Just("//www.example.org/"),
            Just("https://www.example.org/")
        ],
        prop::collection::vec((segment(), prop_oneof![Just("/"), Just("\\")]), 0..6),
    )
        .prop_map(|(prefix, parts)| {
            let mut s = prefix.to_owned();
            for (seg, sep) in parts {
                s.push_str(&seg);
                s.push_str(sep);
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_resolved_path_has_a_dot_segment(href in href()) {
        let r = resolver();
        let from_page = resolved(&href);
        let as_field = match r.resolve_field(&href) {
            Some(Target::Internal { uri, .. }) => Some(uri),
            _ => None,
        };
        let as_site_path = match r.resolve_site_path(&href) {
            Some(Target::Internal { uri, .. }) => Some(uri),
            _ => None,
        };
        for uri in [from_page, as_field, as_site_path].into_iter().flatten() {
            prop_assert!(dot_segments(&uri).is_empty(), "{href:?} resolves to {uri}");
        }
        for uri in [Uri::from_path(&href), Uri::from_field(&href), Uri::from_file_path(&href)] {
            prop_assert!(dot_segments(&uri).is_empty(), "{href:?} normalizes to {uri}");
        }
    }

    #[test]
    fn normalization_is_idempotent(href in href()) {
        if let Some(uri) = resolved(&href) {
            prop_assert_eq!(resolved(&written(&uri)), Some(uri.clone()), "{:?}", href);
            prop_assert_eq!(Uri::from_path(&written(&uri)), uri);
        }
        let uri = Uri::from_path(&href);
        prop_assert_eq!(Uri::from_path(&written(&uri)), uri.clone());
        if !uri.as_str().contains('%') {
            prop_assert_eq!(Uri::from_path(uri.as_str()), uri);
        }
    }

    #[test]
    fn an_href_is_percent_decoded_once(name in "[a-z%0-9é .]{1,8}") {
        let href = format!("/{}", utf8_percent_encode(&name, NON_ALPHANUMERIC));
        prop_assert_eq!(resolved(&href), Some(Uri::from_decoded(&name)), "{}", href);
    }

    #[test]
    fn percent_decoding_undoes_encoding(text in "\\PC{0,12}") {
        let encoded = utf8_percent_encode(&text, NON_ALPHANUMERIC).to_string();
        prop_assert_eq!(percent_decode(&encoded), text.as_str());
    }

    #[test]
    fn fix_writes_a_uri_that_decodes_to_itself(text in "\\PC{0,12}") {
        let uri = Uri::from_field(&text);
        let href = written(&uri);
        prop_assert_eq!(Uri::from_path(&href), uri.clone(), "written as {:?}", href);
        // Decoding then encoding gives the same href back: one way to write each URI.
        prop_assert_eq!(written(&Uri::from_path(&href)), href);
    }
}
