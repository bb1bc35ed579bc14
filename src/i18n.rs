//! What readers and commenters read, in the site's language: one Fluent catalogue per
//! language under `locales/`, compiled into the binary. `site.language` picks one; a message
//! a catalogue lacks (or cannot format) is shown in English and logged once, never an empty
//! label or an error page. The admin stays English.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, Mutex};

use chrono::{Datelike, NaiveDateTime, Timelike};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;

/// The shipped catalogues: language code and the catalogue's text.
const CATALOGUES: [(&str, &str); 6] = [
    ("en", include_str!("../locales/en.ftl")),
    ("de", include_str!("../locales/de.ftl")),
    ("fr", include_str!("../locales/fr.ftl")),
    ("es", include_str!("../locales/es.ftl")),
    ("tr", include_str!("../locales/tr.ftl")),
    ("ar", include_str!("../locales/ar.ftl")),
];

/// The codes `site.language` may name (anything else reads as English).
pub fn shipped() -> impl Iterator<Item = &'static str> {
    CATALOGUES.iter().map(|(code, _)| *code)
}

pub struct Locale {
    code: &'static str,
    bundle: FluentBundle<FluentResource>,
    rtl: bool,
}

struct Catalogues {
    locales: Vec<Locale>,
    /// English text of every message without variables -> its id: errors built in English
    /// (shared with the API and the logs) are shown translated on pages.
    by_english: HashMap<String, String>,
    /// The same for messages with one number: (text before it, text after it, id, name).
    by_english_number: Vec<(String, String, String, &'static str)>,
    /// (language, id) pairs already logged as missing or broken.
    logged: Mutex<HashSet<(&'static str, String)>>,
}

static CATALOGUES_LOADED: LazyLock<Catalogues> = LazyLock::new(load);

fn load() -> Catalogues {
    let mut locales = Vec::new();
    for (code, source) in CATALOGUES {
        let resource = match FluentResource::try_new(source.to_string()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                // What parsed is kept; each broken message falls back to English.
                tracing::error!(language = code, errors = ?errors, "catalogue has syntax errors");
                resource
            }
        };
        let language = code.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![language]);
        // Values go into HTML text and mail subjects: no invisible bidi marks around them.
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(match code {
            "de" | "tr" => grouped::<'.', 1000, _>,
            "es" => grouped::<'.', 10_000, _>,
            "fr" => grouped::<'\u{202f}', 1000, _>,
            _ => grouped::<',', 1000, _>,
        }));
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(language = code, errors = ?errors, "catalogue has repeated messages");
        }
        let rtl = bundle
            .get_message("language-direction")
            .and_then(|m| m.value())
            .map(|p| bundle.format_pattern(p, None, &mut Vec::new()) == "rtl")
            .unwrap_or(false);
        locales.push(Locale { code, bundle, rtl });
    }
    let mut by_english = HashMap::new();
    let mut by_english_number = Vec::new();
    let english = &locales[0].bundle;
    let resource = FluentResource::try_new(CATALOGUES[0].1.to_string()).unwrap_or_else(|(r, _)| r);
    for entry in resource.entries() {
        if let fluent_syntax::ast::Entry::Message(message) = entry {
            let id = message.id.name;
            let Some(pattern) = english.get_message(id).and_then(|m| m.value()) else { continue };
            let mut errors = Vec::new();
            let text = english.format_pattern(pattern, None, &mut errors);
            if errors.is_empty() {
                by_english.entry(text.into_owned()).or_insert_with(|| id.to_string());
                continue;
            }
            // A marker in place of the number shows where it goes (the select falls to its
            // default variant, which is the plural one in English).
            for name in ["minutes", "count", "days", "hours", "max"] {
                let mut args = FluentArgs::new();
                args.set(name, "\u{1}");
                let mut errors = Vec::new();
                let text = english.format_pattern(pattern, Some(&args), &mut errors);
                if let (true, Some((before, after))) = (errors.is_empty(), text.split_once('\u{1}')) {
                    by_english_number.push((before.to_string(), after.to_string(), id.to_string(), name));
                    break;
                }
            }
        }
    }
    Catalogues { locales, by_english, by_english_number, logged: Mutex::new(HashSet::new()) }
}

/// Integers of `MIN` and more with `SEP` between groups of three ("12,345"); others as Fluent
/// writes them.
fn grouped<const SEP: char, const MIN: u64, M>(value: &FluentValue, _: &M) -> Option<String> {
    let FluentValue::Number(number) = value else { return None };
    let n = number.value;
    if n.fract() != 0.0 || n.abs() < MIN as f64 || n.abs() > 1e15 {
        return None;
    }
    let digits = format!("{}", n.abs() as u64);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0.0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(SEP);
        }
        out.push(digit);
    }
    Some(out)
}

/// One argument of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    Number(i64),
    Text(String),
}

/// A message built where the language is not known (a service's refusal, a field's
/// error): its id and arguments, put into words by the page (`t(msg=...)`) or, for the API
/// and the logs, in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub id: Cow<'static, str>,
    pub args: Vec<(Cow<'static, str>, Arg)>,
}

impl Text {
    pub fn new(id: impl Into<Cow<'static, str>>) -> Text {
        Text { id: id.into(), args: Vec::new() }
    }

    pub fn number(mut self, name: &'static str, value: i64) -> Text {
        self.args.push((name.into(), Arg::Number(value)));
        self
    }

    pub fn string(mut self, name: &'static str, value: impl Into<String>) -> Text {
        self.args.push((name.into(), Arg::Text(value.into())));
        self
    }

    pub fn in_english(&self) -> String {
        Locale::english().text(self)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_english())
    }
}

impl Locale {
    /// The catalogue for a language code or tag ("tr", "tr-TR", "TR"); English when none is
    /// shipped.
    pub fn get(code: &str) -> &'static Locale {
        // Called by every t() in a page: no allocation.
        let primary = code.split(['-', '_']).next().unwrap_or("");
        let loaded = &CATALOGUES_LOADED.locales;
        loaded.iter().find(|l| l.code.eq_ignore_ascii_case(primary)).unwrap_or(&loaded[0])
    }

    pub fn english() -> &'static Locale {
        &CATALOGUES_LOADED.locales[0]
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    /// `dir` of the page: "rtl" or "ltr".
    pub fn dir(&self) -> &'static str {
        if self.rtl {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The message `id` without arguments.
    pub fn get_text(&self, id: &str) -> String {
        self.format(id, None)
    }

    pub fn text(&self, text: &Text) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in &text.args {
            match value {
                Arg::Number(n) => args.set(name.clone(), *n),
                Arg::Text(s) => args.set(name.clone(), s.clone()),
            }
        }
        self.format(&text.id, Some(&args))
    }

    /// Message `id` with `args`; falls back to English per message, then to the id itself.
    pub(crate) fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        if let Some(text) = self.try_format(id, args) {
            return text;
        }
        note_missing(self.code, id);
        if self.code != "en" {
            if let Some(text) = Locale::english().try_format(id, args) {
                return text;
            }
            note_missing("en", id);
        }
        id.to_string()
    }

    fn try_format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        (errors.is_empty() && !text.trim().is_empty()).then(|| text.into_owned())
    }

    /// A message written in English elsewhere (an error shared with the API) in this
    /// language, when the English catalogue has it; otherwise as it is.
    pub fn translate_english<'a>(&self, english: &'a str) -> Cow<'a, str> {
        if self.code == "en" {
            return Cow::Borrowed(english);
        }
        let loaded = &*CATALOGUES_LOADED;
        if let Some(id) = loaded.by_english.get(english) {
            return Cow::Owned(self.get_text(id));
        }
        for (before, after, id, name) in &loaded.by_english_number {
            let number = english
                .strip_prefix(before.as_str())
                .and_then(|rest| rest.strip_suffix(after.as_str()))
                .and_then(|n| n.parse::<i64>().ok());
            if let Some(n) = number {
                return Cow::Owned(self.text(&Text::new(id.clone()).number(name, n)));
            }
        }
        Cow::Borrowed(english)
    }

    /// "November 23, 2026", "23. November 2026", "23 Kasım 2026".
    pub fn date(&self, at: NaiveDateTime) -> String {
        let mut args = FluentArgs::new();
        args.set("month", self.get_text(MONTHS[at.month0() as usize]));
        args.set("day", at.day());
        // As text: a year is not a quantity to group ("2,026").
        args.set("year", at.year().to_string());
        self.format("date-long", Some(&args))
    }

    /// The date with the time of day, in UTC (as stored).
    pub fn date_time(&self, at: NaiveDateTime) -> String {
        let mut args = FluentArgs::new();
        args.set("date", self.date(at));
        args.set("time", format!("{:02}:{:02}", at.hour(), at.minute()));
        self.format("date-time", Some(&args))
    }
}

const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8", "month-9",
    "month-10", "month-11", "month-12",
];

fn note_missing(code: &'static str, id: &str) {
    let Ok(mut logged) = CATALOGUES_LOADED.logged.lock() else { return };
    // Bounded: ids come from templates and code, but a template could be fed any string.
    if logged.len() < 10_000 && logged.insert((code, id.to_string())) {
        tracing::warn!(
            language = code,
            message = id,
            "message missing or broken in catalogue; shown in English"
        );
    }
}

/// The messages of a catalogue, for the completeness test.
#[cfg(test)]
fn ids_of(source: &str) -> Vec<String> {
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(14, 5, 0).unwrap()
    }

    #[test]
    fn every_catalogue_has_every_english_message_and_parses() {
        let english = ids_of(CATALOGUES[0].1);
        assert!(english.len() > 150, "the English catalogue is the full list");
        for (code, source) in &CATALOGUES[1..] {
            if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
                panic!("{code}.ftl has syntax errors: {errors:?}");
            }
            let ids: HashSet<String> = ids_of(source).into_iter().collect();
            let missing: Vec<&String> = english.iter().filter(|id| !ids.contains(*id)).collect();
            assert!(missing.is_empty(), "{code}.ftl lacks {missing:?}");
            let locale = Locale::get(code);
            for id in &english {
                assert!(
                    locale.try_format(id, Some(&sample_args())).is_some(),
                    "{code}: {id} does not format"
                );
            }
        }
    }

    fn sample_args() -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        for name in ["count", "page", "total", "days", "hours", "minutes", "max", "length", "comments"] {
            args.set(name, 3);
        }
        args.set("subscriptions", 1);
        args.set("mails", 2);
        for name in [
            "title", "author", "name", "site", "heading", "query", "email", "browser", "system", "month",
            "day", "year",
        ] {
            args.set(name, "x");
        }
        args.set("date", "x");
        args.set("time", "14:05");
        args
    }

    #[test]
    fn english_reads_as_before() {
        let en = Locale::get("en-GB");
        assert_eq!(en.code(), "en");
        assert_eq!(en.date(at(2026, 11, 23)), "November 23, 2026");
        assert_eq!(en.date_time(at(2026, 12, 1)), "December 1, 2026 at 14:05 UTC");
        let mut args = FluentArgs::new();
        args.set("count", 1);
        args.set("title", "Hello");
        assert_eq!(en.format("comments-heading", Some(&args)), "One thought on “Hello”");
        args.set("count", 12345);
        assert_eq!(en.format("comments-heading", Some(&args)), "12,345 thoughts on “Hello”");
    }

    #[test]
    fn plurals_dates_and_direction_follow_the_language() {
        let tr = Locale::get("tr-TR");
        assert_eq!(tr.code(), "tr");
        assert_eq!(tr.dir(), "ltr");
        assert!(tr.date(at(2026, 3, 5)).contains("Mart"));
        let ar = Locale::get("ar");
        assert_eq!(ar.dir(), "rtl");
        let mut counts = HashSet::new();
        for n in [0, 1, 2, 3, 11, 100] {
            let mut args = FluentArgs::new();
            args.set("count", n);
            counts.insert(ar.format("comment-count", Some(&args)));
        }
        assert_eq!(counts.len(), 6, "Arabic has six plural forms: {counts:?}");
        let de = Locale::get("de");
        let mut args = FluentArgs::new();
        args.set("count", 1234);
        assert!(de.format("comment-count", Some(&args)).starts_with("1.234 "));
    }

    #[test]
    fn the_reply_links_spoken_name_contains_its_visible_word() {
        // WCAG 2.5.3 (label in name): "Reply" is read out as "Reply to Ada".
        for code in shipped() {
            let locale = Locale::get(code);
            let visible = locale.get_text("comment-reply").to_lowercase();
            let spoken = locale.text(&Text::new("comment-reply-to").string("author", "Ada")).to_lowercase();
            assert!(
                spoken.split(|c: char| !c.is_alphanumeric()).any(|word| word == visible),
                "{code}: {spoken:?} lacks the word {visible:?}"
            );
        }
    }

    #[test]
    fn a_missing_message_falls_back_to_english_then_to_its_id() {
        let de = Locale::get("de");
        assert_eq!(de.get_text("no-such-message"), "no-such-message");
        assert_eq!(Locale::get("xx").code(), "en");
        // English errors written elsewhere are found by their text.
        let english = "Please enter your name.";
        assert_ne!(de.translate_english(english), english);
        assert_eq!(Locale::english().translate_english(english), english);
        assert_eq!(de.translate_english("Something new"), "Something new");
        let window = "A comment can be changed for 20 minutes after it is sent; that time has passed.";
        let translated = de.translate_english(window);
        assert!(translated.contains("20") && translated != window, "{translated}");
    }

    #[test]
    fn numbers_are_grouped_the_local_way() {
        let fmt = |v: f64| grouped::<'.', 1000, ()>(&FluentValue::from(v), &());
        assert_eq!(fmt(999.0), None);
        assert_eq!(fmt(1234.0).as_deref(), Some("1.234"));
        assert_eq!(fmt(1234567.0).as_deref(), Some("1.234.567"));
        assert_eq!(fmt(1.5), None);
    }
}
