//! `site.locales`: which first path segments are locales (`/en/…`, `/pt-br/…`), which is the
//! default, and how the site serves a path without one — the Next.js, Hugo and Docusaurus
//! ways. Pure.

use crate::parse::uri::Uri;
use serde::Deserialize;

/// The site's locales, as `site.locales` gives them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locales {
    /// The locale of a path without one (`en`).
    pub default: String,
    /// Every locale the site serves, the default among them.
    pub all: Vec<String>,
    /// Whether the default locale's pages are served under its prefix (`/en/about`: Next.js
    /// sub-path routing as nodejs.org has it, Hugo's `defaultContentLanguageInSubdir`); when
    /// false, a page in the default locale's folder is served without it (Hugo's and
    /// Docusaurus's default: `en/about.md` is `/about`).
    #[serde(default = "yes")]
    pub prefix_default: bool,
    /// How the server answers a link without a locale prefix.
    #[serde(default)]
    pub unprefixed: Unprefixed,
    /// The placeholder of a redirect source that stands for one of `all` or for none
    /// (nodejs.org writes `/:locale/about` and its next.config makes it
    /// `/:locale(en|es|…|)?/about`).
    #[serde(default)]
    pub redirect_placeholder: Option<String>,
    /// What a locale serves where it has no page of its own.
    #[serde(default)]
    pub fallback: Fallback,
}

fn yes() -> bool {
    true
}

/// What a locale serves at a path where it has no page (`/fr/x` without `fr/x.md`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fallback {
    /// Nothing: a 404 (Hugo, VitePress and Next.js's built-in i18n routing serve only the
    /// pages a language has).
    #[default]
    None,
    /// The default locale's page, at the locale's URL (Docusaurus builds every locale from the
    /// default's docs where a translation is missing; nodejs.org's app reads `pages/en` for
    /// any enabled locale without the file).
    Default,
}

/// How a link without a locale prefix is served.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unprefixed {
    /// As the default locale's page, at that URL (Next.js's built-in i18n routing).
    #[default]
    Default,
    /// Redirected to the default locale's URL (a middleware that adds the locale, as
    /// nodejs.org's does): a redirected-link, which `fix` repoints.
    Redirect,
    /// As the linking page's own locale's page: the generator writes the page's locale into
    /// its root-relative links (Docusaurus's per-locale `baseUrl`).
    Page,
    /// The renderer writes the linking page's locale in front of every root-relative href of
    /// a hyperlink — a Markdown link or definition, a component listed in
    /// `site.link_attributes` — whatever it holds: next-intl's `Link` with `localePrefix:
    /// 'always'`, as nodejs.org renders its Markdown (`/blog/x` is served as `/en/blog/x`,
    /// `/en/x` as `/en/en/x`, `/static/a.pdf` as `/en/static/a.pdf`). Images, HTML tags and
    /// absolute links are written as they are.
    Links,
}

impl Locales {
    /// The locale `uri` starts with, if any.
    pub fn locale_of<'u>(&self, uri: &'u str) -> Option<&'u str> {
        let first = uri.trim_start_matches('/').split('/').next()?;
        self.all.iter().any(|l| l == first).then_some(first)
    }

    /// `uri` under `locale` (`/about` → `/es/about`; `/` → `/es`).
    pub fn under(&self, locale: &str, uri: &Uri) -> Uri {
        Uri::from_decoded(&format!("/{locale}{}", uri.as_str()))
    }

    /// Where a link to `uri`, written on a page at `page` (a URI), leads when the site serves
    /// unprefixed links under the linking page's locale (`Unprefixed::Page`); `None` when
    /// `uri` has a locale, or the page's locale is served without a prefix.
    pub fn under_page_locale(&self, uri: &Uri, page: &str) -> Option<Uri> {
        if self.unprefixed != Unprefixed::Page || self.locale_of(uri.as_str()).is_some() {
            return None;
        }
        self.under_locale_of(page, uri)
    }

    /// `uri` under the locale of the page at `page` (the default for a page in none), or
    /// `None` when that locale is served without a prefix.
    fn under_locale_of(&self, page: &str, uri: &Uri) -> Option<Uri> {
        let locale = self.locale_of(page).unwrap_or(&self.default);
        (locale != self.default || self.prefix_default).then(|| self.under(locale, uri))
    }

    /// Where a link to `uri`, written `href` in a `source` on a page at `page` (a URI), leads
    /// under `unprefixed` (`Page` and `Links`); `None` when it leads where it says.
    pub fn link_target(
        &self,
        uri: &Uri,
        page: &str,
        source: crate::parse::html::LinkSource,
        href: &str,
    ) -> Option<Uri> {
        use crate::parse::html::LinkSource::{ComponentProp, MdDefinition, MdLink};
        if self.unprefixed != Unprefixed::Links {
            return self.under_page_locale(uri, page);
        }
        let href = href.trim_start_matches(|c: char| c <= ' ');
        let root_relative = href.starts_with('/') && !href.starts_with("//");
        let hyperlink = matches!(source, MdLink | MdDefinition | ComponentProp);
        if !(root_relative && hyperlink) {
            return None;
        }
        self.under_locale_of(page, uri)
    }

    /// The URI of the default locale's page that serves `uri`, a path under another locale
    /// that has no page there (`fallback: default`); `None` when the site has no fallback or
    /// `uri` is under no other locale.
    pub fn fallback_of(&self, uri: &Uri) -> Option<Uri> {
        let locale = self.locale_of(uri.as_str())?;
        if self.fallback != Fallback::Default || locale == self.default {
            return None;
        }
        let rest = Uri::from_decoded(&uri.as_str()[1 + locale.len()..]);
        Some(self.served(self.under(&self.default, &rest)))
    }

    /// How a link on the page at `page` is written to reach `uri` where the renderer puts
    /// the page's locale in front of it: `uri` without that prefix; `None` when `uri` is
    /// under another locale (no such link reaches it).
    pub fn unlocalized(&self, uri: &Uri, page: &str) -> Option<Uri> {
        let locale = self.locale_of(page).unwrap_or(&self.default);
        let rest = uri.as_str().strip_prefix('/')?.strip_prefix(locale)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| Uri::from_decoded(rest))
    }

    /// Whether the renderer puts the page's locale in front of root-relative hyperlinks and
    /// drops their trailing slash (`unprefixed: links`: next-intl's `Link` makes `/blog/x/`
    /// `/en/blog/x`).
    pub fn localizes_hyperlinks(&self) -> bool {
        self.unprefixed == Unprefixed::Links
    }

    /// The URI of a page addressed by its path (`/en/about`): without the default locale's
    /// prefix when the site serves that locale without one.
    pub fn served(&self, uri: Uri) -> Uri {
        if self.prefix_default || self.locale_of(uri.as_str()) != Some(self.default.as_str()) {
            return uri;
        }
        let rest = &uri.as_str()[1 + self.default.len()..];
        Uri::from_decoded(rest)
    }

    /// What is wrong with the setting, if anything.
    pub fn problem(&self) -> Option<String> {
        if let Some(bad) = self
            .all
            .iter()
            .find(|l| l.is_empty() || l.contains(['/', '?', '#', ' ']))
        {
            return Some(format!(
                "locale {bad:?} is not one path segment (en, pt-br, zh-cn)"
            ));
        }
        (!self.all.contains(&self.default)).then(|| {
            format!(
                "the default locale `{}` is not one of `site.locales.all`",
                self.default
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales(prefix_default: bool, unprefixed: Unprefixed) -> Locales {
        Locales {
            default: "en".into(),
            all: vec!["en".into(), "es".into(), "pt-br".into()],
            prefix_default,
            unprefixed,
            redirect_placeholder: None,
            fallback: Fallback::None,
        }
    }

    #[test]
    fn a_locale_without_the_page_serves_the_default_locales_only_where_the_site_says_so() {
        let mut l = locales(true, Unprefixed::Default);
        assert_eq!(l.fallback_of(&Uri::from_path("/es/blog/x")), None);
        l.fallback = Fallback::Default;
        let of = |l: &Locales, p: &str| l.fallback_of(&Uri::from_path(p)).map(|u| u.to_string());
        assert_eq!(of(&l, "/es/blog/x").as_deref(), Some("/en/blog/x"));
        assert_eq!(of(&l, "/pt-br").as_deref(), Some("/en"));
        assert_eq!(
            of(&l, "/en/blog/x"),
            None,
            "the default locale has no fallback"
        );
        assert_eq!(of(&l, "/blog/x"), None, "a path under no locale");
        assert_eq!(of(&l, "/de/blog/x"), None, "de is not a locale of the site");
        // Docusaurus: the default locale's pages are served without its prefix.
        l.prefix_default = false;
        assert_eq!(of(&l, "/es/blog/x").as_deref(), Some("/blog/x"));
        assert_eq!(of(&l, "/es").as_deref(), Some("/"));
    }

    #[test]
    fn a_locale_is_a_first_segment_the_site_lists() {
        let l = locales(true, Unprefixed::Default);
        assert_eq!(l.locale_of("/pt-br/blog/x"), Some("pt-br"));
        assert_eq!(l.locale_of("/es"), Some("es"));
        assert_eq!(l.locale_of("/blog/es"), None);
        assert_eq!(l.locale_of("/de/blog"), None);
        assert_eq!(l.under("es", &Uri::from_path("/")).as_str(), "/es");
    }

    #[test]
    fn unprefixed_links_follow_the_linking_page_where_the_site_says_so() {
        let l = locales(false, Unprefixed::Page);
        let uri = Uri::from_path("/docs/intro");
        assert_eq!(
            l.under_page_locale(&uri, "/es/docs/a")
                .map(|u| u.to_string()),
            Some("/es/docs/intro".into())
        );
        // The default locale is served without its prefix: the link is right as written.
        assert_eq!(l.under_page_locale(&uri, "/docs/a"), None);
        assert_eq!(
            l.under_page_locale(&Uri::from_path("/es/x"), "/pt-br/a"),
            None
        );
        assert_eq!(
            locales(true, Unprefixed::Default).under_page_locale(&uri, "/es/a"),
            None
        );
    }

    #[test]
    fn a_renderer_that_prefixes_every_hyperlink_prefixes_only_root_relative_hyperlinks() {
        use crate::parse::html::LinkSource;
        let l = locales(true, Unprefixed::Links);
        let at = |href: &str, source| {
            l.link_target(&Uri::from_path(href), "/es/blog/a", source, href)
                .map(|u| u.to_string())
        };
        assert_eq!(
            at("/blog/x", LinkSource::MdLink).as_deref(),
            Some("/es/blog/x")
        );
        // Whatever the href holds: a locale already, a file.
        assert_eq!(
            at("/en/x", LinkSource::MdDefinition).as_deref(),
            Some("/es/en/x")
        );
        assert_eq!(
            at("/static/a.pdf", LinkSource::ComponentProp).as_deref(),
            Some("/es/static/a.pdf")
        );
        // Images, HTML tags and links that are not root-relative are left as written.
        assert_eq!(at("/static/a.png", LinkSource::MdImage), None);
        assert_eq!(at("/blog/x", LinkSource::AHref), None);
        assert_eq!(
            l.link_target(
                &Uri::from_path("/blog/x"),
                "/es/blog/a",
                LinkSource::MdLink,
                "https://example.org/blog/x"
            ),
            None
        );
        // A page in no locale's folder links under the default locale.
        assert_eq!(
            l.link_target(&Uri::from_path("/x"), "/about", LinkSource::MdLink, "/x")
                .map(|u| u.to_string())
                .as_deref(),
            Some("/en/x")
        );
    }

    #[test]
    fn the_default_locale_loses_its_prefix_only_where_it_is_served_without() {
        let uri = Uri::from_path("/en/about");
        assert_eq!(locales(true, Unprefixed::Default).served(uri.clone()), uri);
        assert_eq!(
            locales(false, Unprefixed::Default).served(uri).as_str(),
            "/about"
        );
        assert_eq!(
            locales(false, Unprefixed::Default)
                .served(Uri::from_path("/en"))
                .as_str(),
            "/"
        );
        assert!(locales(true, Unprefixed::Default).problem().is_none());
        let mut bad = locales(true, Unprefixed::Default);
        bad.default = "de".into();
        assert!(bad.problem().is_some_and(|p| p.contains("`de`")));
    }
}
