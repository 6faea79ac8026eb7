//! "Did you mean": the one fuzzy matcher every checker uses (cedar-policy's `fuzzy_match.rs`
//! plays the same part there).

/// The candidate closest to `name`: an exact match ignoring ASCII case first, then the smallest
/// edit distance within a third of the name's length (at least 1). `None` when nothing is close
/// enough to be a likely typo.
pub fn closest<'candidate>(
    name: &str,
    candidates: impl IntoIterator<Item = &'candidate str>,
) -> Option<&'candidate str> {
    let length = name.chars().count();
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate.eq_ignore_ascii_case(name) {
            return Some(candidate);
        }
        // Names whose lengths differ by more than the limit cannot be close: skip the O(n·m)
        // distance for them (a pasted policy may hold thousands of unknown names).
        if candidate.chars().count().abs_diff(length) > limit {
            continue;
        }
        let distance = edit_distance(name, candidate);
        if distance <= limit && best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Levenshtein distance over chars, two rows.
fn edit_distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut previous: Vec<usize> = (0..=right.len()).collect();
    let mut current = Vec::with_capacity(right.len() + 1);
    for (i, left_char) in left.chars().enumerate() {
        current.clear();
        current.push(i + 1);
        for (j, right_char) in right.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(left_char != *right_char);
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, candidates: &[&str], expect: Option<&str>) {
        assert_eq!(closest(name, candidates.iter().copied()), expect, "closest({name:?})");
    }

    #[test]
    fn closest_prefers_case_then_distance() {
        check("compte", &["compute", "dns"], Some("compute"));
        check("COMPUTE", &["compote", "compute"], Some("compute"));
        check("StringEqual", &["StringEquals", "StringLike"], Some("StringEquals"));
        check("zzzzzzzzzz", &["compute", "dns"], None);
        check("", &["a"], Some("a"));
        check("ab", &[], None);
    }

    #[test]
    fn edit_distance_counts_chars_not_bytes() {
        assert_eq!(edit_distance("été", "ete"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
