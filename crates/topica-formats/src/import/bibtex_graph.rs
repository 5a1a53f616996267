//! The two graphs a BibTeX entry depends through, measured before anything resolves them.
//!
//! `@string` macros refer to other macros, and entries inherit fields through `crossref` and
//! `xdata`. Resolved naively, a 56-byte `@string{a = a # a}` overflowed the stack and aborted
//! the whole app, 39 doubling macros (1 KB) asked for 2^39 characters, and a 28-level `xdata`
//! diamond (2 KB) took exponential time. Here both graphs are walked once, without recursion,
//! and every node gets its expanded size and depth (or the cycle it is on), so the reader can
//! refuse an entry with a clear reason, or break a cycle, before it resolves anything.

use std::collections::HashMap;
use std::hash::Hash;

/// Longest `@string` chain accepted (real files use one or two levels).
pub(super) const MAX_STRING_DEPTH: u32 = 64;
/// Most characters one `@string` may expand to.
pub(super) const MAX_STRING_CHARS: u64 = 1 << 20;
/// Longest `crossref`/`xdata` chain accepted (biber's own data model nests two or three).
pub(super) const MAX_INHERIT_DEPTH: u32 = 32;
/// Most inherited entries one entry may expand to, counting each path through the graph
/// (the work the crate's recursive resolution does).
pub(super) const MAX_INHERIT_EXPANSION: u64 = 4096;

/// A node's expansion: its own size plus every child's expansion (each time it is reached),
/// and the longest chain below it (0 for a node with no children).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Expansion {
    pub size: u64,
    pub depth: u32,
}

/// Why a node cannot be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unexpandable<K> {
    /// The node reaches itself: the chain from the node back to it.
    Cycle(Vec<K>),
    /// The node refers (maybe through others) to a node on a cycle.
    Through(K),
}

/// Measures every node reachable from `nodes`. `children` lists a node's children that exist
/// (a reference to nothing is the caller's business, counted in `own_size`).
pub(super) fn expand<K: Clone + Eq + Hash>(
    nodes: impl IntoIterator<Item = K>,
    children: impl Fn(&K) -> Vec<K>,
    own_size: impl Fn(&K) -> u64,
) -> HashMap<K, Result<Expansion, Unexpandable<K>>> {
    enum State<K> {
        Open,
        Done(Result<Expansion, Unexpandable<K>>),
    }
    let mut state: HashMap<K, State<K>> = HashMap::new();
    let mut cycles: HashMap<K, Vec<K>> = HashMap::new();
    for root in nodes {
        if state.contains_key(&root) {
            continue;
        }
        state.insert(root.clone(), State::Open);
        // Depth-first, with an explicit stack: a 100,000-long chain must not recurse either.
        let mut stack: Vec<(K, Vec<K>, usize)> = vec![(root.clone(), children(&root), 0)];
        while let Some((node, kids, next)) = stack.last_mut() {
            if let Some(kid) = kids.get(*next).cloned() {
                *next += 1;
                match state.get(&kid) {
                    None => {
                        state.insert(kid.clone(), State::Open);
                        let grandkids = children(&kid);
                        stack.push((kid, grandkids, 0));
                    }
                    Some(State::Open) => {
                        // `kid` is on the stack: everything from it to here is a cycle.
                        let from = stack.iter().position(|(n, _, _)| *n == kid).unwrap_or(0);
                        let on_cycle = stack.get(from..).unwrap_or_default();
                        let mut chain: Vec<K> =
                            on_cycle.iter().map(|(n, _, _)| n.clone()).collect();
                        chain.push(kid);
                        for (n, _, _) in on_cycle {
                            cycles.entry(n.clone()).or_insert_with(|| chain.clone());
                        }
                    }
                    Some(State::Done(_)) => {}
                }
                continue;
            }
            let node = node.clone();
            let result = match cycles.get(&node) {
                Some(chain) => Err(Unexpandable::Cycle(chain.clone())),
                None => {
                    let mut total = Expansion {
                        size: own_size(&node),
                        depth: 0,
                    };
                    let mut failed = None;
                    for kid in kids.iter() {
                        match state.get(kid) {
                            Some(State::Done(Ok(e))) => {
                                total.size = total.size.saturating_add(e.size);
                                total.depth = total.depth.max(e.depth.saturating_add(1));
                            }
                            Some(State::Done(Err(Unexpandable::Cycle(_)))) => {
                                failed = Some(Unexpandable::Through(kid.clone()));
                                break;
                            }
                            Some(State::Done(Err(e))) => {
                                failed = Some(e.clone());
                                break;
                            }
                            // An open child is an ancestor, so this node is on its cycle and
                            // was found in `cycles` above.
                            Some(State::Open) | None => {}
                        }
                    }
                    failed.map_or(Ok(total), Err)
                }
            };
            stack.pop();
            state.insert(node, State::Done(result));
        }
    }
    state
        .into_iter()
        .filter_map(|(k, s)| match s {
            State::Done(r) => Some((k, r)),
            State::Open => None,
        })
        .collect()
}

/// "a → b → a"
pub(super) fn chain_text(chain: &[String]) -> String {
    chain.join(" → ")
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

    fn graph(
        edges: &[(&'static str, &[&'static str])],
    ) -> HashMap<&'static str, Vec<&'static str>> {
        edges.iter().map(|(k, v)| (*k, v.to_vec())).collect()
    }

    fn run(
        g: &HashMap<&'static str, Vec<&'static str>>,
    ) -> HashMap<&'static str, Result<Expansion, Unexpandable<&'static str>>> {
        let mut names: Vec<_> = g.keys().copied().collect();
        names.sort();
        expand(names, |k| g[k].clone(), |_| 1)
    }

    #[test]
    fn sizes_count_every_path_and_depths_the_longest_chain() {
        let g = graph(&[("a", &["b", "c"]), ("b", &["d"]), ("c", &["d"]), ("d", &[])]);
        let r = run(&g);
        assert_eq!(r["d"], Ok(Expansion { size: 1, depth: 0 }));
        assert_eq!(r["a"], Ok(Expansion { size: 5, depth: 2 }));
    }

    #[test]
    fn self_reference_and_mutual_reference_are_cycles_and_taint_their_users() {
        let g = graph(&[
            ("a", &["a"]),
            ("b", &["c"]),
            ("c", &["b"]),
            ("u", &["c"]),
            ("ok", &[]),
        ]);
        let r = run(&g);
        assert_eq!(r["a"], Err(Unexpandable::Cycle(vec!["a", "a"])));
        assert!(matches!(&r["b"], Err(Unexpandable::Cycle(c)) if c.len() == 3));
        assert!(matches!(&r["c"], Err(Unexpandable::Cycle(c)) if c.len() == 3));
        assert_eq!(r["u"], Err(Unexpandable::Through("c")));
        assert_eq!(r["ok"], Ok(Expansion { size: 1, depth: 0 }));
    }

    #[test]
    fn doubling_saturates_instead_of_overflowing_and_long_chains_do_not_recurse() {
        let names: Vec<String> = (0..200).map(|i| format!("n{i}")).collect();
        // n{i} = n{i-1} # n{i-1}: 2^199 characters.
        let r = expand(
            names.iter().cloned().rev(),
            |k| {
                let i: usize = k[1..].parse().unwrap();
                if i == 0 {
                    vec![]
                } else {
                    vec![names[i - 1].clone(), names[i - 1].clone()]
                }
            },
            |_| 1,
        );
        assert_eq!(r["n199"].as_ref().unwrap().size, u64::MAX);
        assert_eq!(r["n199"].as_ref().unwrap().depth, 199);
        let chain: Vec<usize> = (0..200_000).collect();
        let r = expand(
            [199_999usize],
            |&k| if k == 0 { vec![] } else { vec![chain[k - 1]] },
            |_| 1,
        );
        assert_eq!(r[&199_999].as_ref().unwrap().depth, 199_999);
    }
}
