//! JabRef's groups (`@Comment{jabref-meta: grouping: …}`, or `groupstree:` before JabRef 4)
//! read as Topica collections, so a JabRef library moves in with its folders: a static group is
//! a collection (nested groups nest: `Parent/Child`), its papers are those whose `groups` field
//! names it, or (JabRef 3) whose keys the group lists. Search and keyword groups are queries,
//! not folders: they are left out and said; their sub-groups are still read.

use std::collections::HashMap;

/// The groups of one file.
#[derive(Debug, Default)]
pub(super) struct Groups {
    /// Group name → collection path.
    paths: HashMap<String, String>,
    /// Lower-cased citation key → collection paths (JabRef 3's explicit lists).
    members: HashMap<String, Vec<String>>,
    /// Groups that are queries (name, JabRef's type), left out.
    pub dynamic: Vec<(String, String)>,
}

/// JabRef's default citation key pattern from a `@Comment{jabref-meta: keypatterndefault:…;}`
/// block (`[auth][year]`), if the block is that one. Topica reads JabRef's brackets, so the
/// import can say how to give new papers keys the same way.
pub(super) fn key_pattern(comment: &str) -> Option<String> {
    let body = comment.split_once("jabref-meta: keypatterndefault:")?.1;
    let pattern = body.split(';').next()?.trim().trim_end_matches('}').trim();
    (!pattern.is_empty()).then(|| pattern.to_string())
}

/// Reads the groups of a `@Comment` block, if it holds JabRef's group tree.
pub(super) fn read(comment: &str) -> Option<Groups> {
    let body = comment
        .split_once("jabref-meta: grouping:")
        .or_else(|| comment.split_once("jabref-meta: groupstree:"))?
        .1;
    let mut groups = Groups::default();
    // The path of the group last seen at each level.
    let mut stack: Vec<String> = Vec::new();
    for line in body.lines() {
        let line = line.trim().trim_end_matches('}').trim();
        let Some((level, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(level) = level.parse::<usize>() else {
            continue;
        };
        let Some((kind, spec)) = rest.split_once(':') else {
            continue;
        };
        if level == 0 {
            continue; // AllEntriesGroup: the whole library
        }
        // Each field ends with `\;`; the line ends with `;`.
        let spec = spec.strip_suffix(';').unwrap_or(spec);
        let fields: Vec<&str> = spec.split("\\;").collect();
        let Some(name) = fields.first().map(|n| n.trim()).filter(|n| !n.is_empty()) else {
            continue;
        };
        // A `/` in a group's name would read as nesting in a collection's.
        let segment = name.replace('/', "-");
        stack.truncate(level.saturating_sub(1));
        let path = match stack.last() {
            Some(parent) => format!("{parent}/{segment}"),
            None => segment,
        };
        stack.push(path.clone());
        match kind {
            "StaticGroup" | "ExplicitGroup" => {
                groups.paths.insert(name.to_string(), path.clone());
                // JabRef 3 lists its members' keys after the group's context field.
                for key in fields
                    .iter()
                    .skip(2)
                    .map(|k| k.trim())
                    .filter(|k| !k.is_empty())
                {
                    groups
                        .members
                        .entry(key.to_lowercase())
                        .or_default()
                        .push(path.clone());
                }
            }
            other => groups.dynamic.push((name.to_string(), other.to_string())),
        }
    }
    Some(groups)
}

impl Groups {
    /// The collections of the entry with `key` and `groups` field (as written).
    pub(super) fn collections_of(&self, key: &str, groups_field: Option<&str>) -> Vec<String> {
        let mut out: Vec<String> = self
            .members
            .get(&key.to_lowercase())
            .cloned()
            .unwrap_or_default();
        for name in groups_field
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            let path = match self.paths.get(name) {
                Some(p) => p.clone(),
                // A group the tree does not list is still the user's folder.
                None => name.replace('/', "-"),
            };
            if !out.contains(&path) {
                out.push(path);
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    #[test]
    fn static_groups_nest_and_the_groups_field_places_papers() {
        let g = read(
            "@Comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n1 StaticGroup:Markings\\;2\\;1\\;\\;\\;\\;;\n2 StaticGroup:jfd1:1\\;2\\;1\\;\\;\\;\\;;\n1 StaticGroup:Group1\\;2\\;1\\;\\;\\;\\;;\n2 StaticGroup:Group1a\\;2\\;1\\;\\;\\;\\;;\n1 KeywordGroup:Deep\\;0\\;keywords\\;deep\\;0\\;0\\;1\\;\\;\\;\\;;\n2 StaticGroup:Under a search\\;0\\;1\\;\\;\\;\\;;\n}",
        )
        .unwrap();
        assert_eq!(
            g.collections_of("k", Some("Group1a, jfd1:1, Elsewhere")),
            ["Group1/Group1a", "Markings/jfd1:1", "Elsewhere"]
        );
        assert_eq!(
            g.collections_of("k", Some("Under a search")),
            ["Deep/Under a search"]
        );
        assert_eq!(
            g.dynamic,
            [("Deep".to_string(), "KeywordGroup".to_string())]
        );
    }

    #[test]
    fn the_default_key_pattern_is_read_from_its_comment() {
        assert_eq!(
            key_pattern(
                "@Comment{jabref-meta: keypatterndefault:[auth:lower][year][veryshorttitle];}"
            )
            .as_deref(),
            Some("[auth:lower][year][veryshorttitle]")
        );
        assert_eq!(
            key_pattern("@Comment{jabref-meta: databaseType:bibtex;}"),
            None
        );
        assert_eq!(
            key_pattern("@Comment{jabref-meta: keypatterndefault:;}"),
            None
        );
    }

    #[test]
    fn jabref_3_explicit_groups_list_their_keys() {
        let g = read(
            "@Comment{jabref-meta: groupstree:\n0 AllEntriesGroup:;\n1 ExplicitGroup:Main\\;0\\;Doe2017\\;Roe2018\\;;\n2 ExplicitGroup:Sub\\;0\\;Doe2017\\;;\n}",
        )
        .unwrap();
        assert_eq!(g.collections_of("doe2017", None), ["Main", "Main/Sub"]);
        assert_eq!(g.collections_of("Roe2018", None), ["Main"]);
        assert!(g.collections_of("other", None).is_empty());
        assert!(read("@Comment{jabref-meta: databaseType:bibtex;}").is_none());
    }
}
