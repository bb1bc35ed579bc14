//! URL slugs: lowercase ASCII letters, digits and single hyphens.

use deunicode::deunicode;

const MAX_LEN: usize = 80;

/// `"Does SMP Hair Treatment Treat Hair Loss?"` -> `"does-smp-hair-treatment-treat-hair-loss"`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in deunicode(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_string();
    if slug.len() > MAX_LEN {
        slug.truncate(MAX_LEN);
        if let Some(cut) = slug.rfind('-') {
            slug.truncate(cut);
        }
    }
    slug
}

/// True when `slug` is already in the form `slugify` produces.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty() && slugify(slug) == slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_title() {
        assert_eq!(
            slugify("Does SMP Hair Treatment Treat Hair Loss?"),
            "does-smp-hair-treatment-treat-hair-loss"
        );
    }

    #[test]
    fn slugify_collapses_and_trims_separators() {
        assert_eq!(slugify("  --Health &  Fitness!! "), "health-fitness");
    }

    #[test]
    fn slugify_transliterates_non_ascii() {
        assert_eq!(slugify("Ça coûte 1200 $ — Größe"), "ca-coute-1200-grosse");
        assert_eq!(slugify("🎉"), "tada");
    }

    #[test]
    fn slugify_limits_length_at_a_hyphen() {
        let long = "word ".repeat(40);
        let slug = slugify(&long);
        assert!(slug.len() <= MAX_LEN);
        assert!(!slug.ends_with('-'));
    }

    #[test]
    fn validity() {
        assert!(is_valid("health-and-fitness"));
        assert!(!is_valid("Health"));
        assert!(!is_valid("a--b"));
        assert!(!is_valid(""));
    }
}
