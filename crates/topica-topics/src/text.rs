//! The text pipeline: words from titles and abstracts, scientific stop words, stemming, and
//! phrase candidates ("speech enhancement", "chain of thought"). Knows nothing about models.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// English function words: removed, and they break phrases.
const ENGLISH: &str = "a about above across after again against all almost along already also although always am among an and \
another any anyone anything are around as at be became because become becomes been before being below between both but by \
can cannot could did do does doing done down during each either else enough etc even ever every few for from further \
had has have having he her here hers herself him himself his how however i if in into is it its itself just least less \
let like made make makes many may me might more most mostly much must my myself neither no nor not now of off often on \
once one only onto or other others otherwise our ours ourselves out over own per perhaps quite rather really same \
several shall she should since so some such than that the their theirs them themselves then there thereby therefore \
these they this those though through throughout thus to together too toward towards under until up upon us very via \
was we well were what whatever when where whereas whether which while who whole whom whose why will with within \
without would yet you your yours yourself";

/// Words of scientific prose that say nothing about a topic ("we propose a novel method…").
const SCIENTIFIC: &str = "abstract achieve achieved achieves achieving address addressed addresses aim aims allow allows \
analyze analyzed approach approaches article based best better called case cases challenge challenges challenging \
clear compared comparison consider considered considering contribution contributions current currently demonstrate \
demonstrated demonstrates demonstrating describe described design designed despite develop developed different \
discuss discussed due easy effective effectively efficient efficiently especially establish evaluate evaluated \
evaluation example examples existing experiment experimental experiments extensive find finding findings first focus \
four framework furthermore given good great help high higher highly however important improve improved improvement \
improvements improves improving include included includes including increase increasing introduce introduced \
introduces investigate investigated issue issues key known large larger latter lead leads leverage leverages \
lower main mainly method methods moreover need needs new novel obtain obtained order outperform outperforms overall \
paper particular particularly perform performance performed performs plan possible potential present presented \
presents previous previously problem problems promising propose proposed proposes prove provide provided provides \
recent recently related remain remains report reported require required requires research researchers respectively \
result results second see seen set shown show showing shows significant significantly similar simple simply small \
state strong studied studies study successful successfully suggest superior support technique techniques three \
time times two type types typically understand understanding use used uses useful using usually various way ways \
whose wide widely work works yield yields able across therein thereof toward et al ie eg i.e e.g";

/// Words that never make a topic on their own but are fine inside a phrase ("language model").
const WEAK: &str = "model models modeling modelling data task tasks system systems approach level number based result \
large small value values function functions form process terms term order field fields effect effects properties \
property structure structures class classes space spaces point points general case version ability non";

fn set(words: &'static str) -> FxHashSet<&'static str> {
    words.split_whitespace().collect()
}

fn stop_words() -> &'static FxHashSet<&'static str> {
    static S: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| {
        let mut s = set(ENGLISH);
        s.extend(set(SCIENTIFIC));
        s
    })
}

fn weak_words() -> &'static FxHashSet<&'static str> {
    static S: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set(WEAK))
}

/// Whether a lower-case word is an English function word ("of", "and", "which").
pub fn is_function_word(word: &str) -> bool {
    static S: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    word == "of" || S.get_or_init(|| set(ENGLISH)).contains(word)
}

/// Whether a lower-case word carries no topic (English or scientific stop word).
pub fn is_stop_word(word: &str) -> bool {
    stop_words().contains(word)
}

/// Whether a lower-case word may appear in a topic term only inside a phrase.
pub fn is_weak_word(word: &str) -> bool {
    weak_words().contains(word)
}

/// One word of running text after cleaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// A content word: its stem and the surface form as written (case kept for acronyms).
    Word {
        stem: String,
        surface: String,
        weak: bool,
    },
    /// "of" between two content words may join them into a phrase ("chain of thought").
    Of,
    /// Anything that ends a phrase: punctuation, a stop word, a number.
    Break,
}

fn stemmer() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Glued words and their parts ("onshorttexts" → on, short, texts), as [`split_glued`] found them
/// in a corpus.
pub type Glued = FxHashMap<String, Vec<String>>;

/// Splits text into cleaned tokens. Tolerates the seed text's quirks: words glued at a case change
/// ("throughHypotheticalDocument"), footnote marks ("saving4.", "results¹") and LaTeX remnants.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_with(text, &Glued::default())
}

/// [`tokenize`], with the glued words of `glued` replaced by their parts.
pub fn tokenize_with(text: &str, glued: &Glued) -> Vec<Token> {
    // Plain ASCII has nothing to decompose: skipping NFKD there saves a tenth of a fit at 100k papers.
    let folded: Cow<str> = if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.nfkd()
                .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
                .collect(),
        )
    };
    let mut out = Vec::new();
    let mut word = String::new();
    // The word being read is a LaTeX command ("\mathcal", "\alpha" in an abstract's maths): a
    // name of markup, never a topic's word, so it only breaks the phrase.
    let mut command = false;
    let flush = |word: &mut String, command: &mut bool, out: &mut Vec<Token>| {
        if !word.is_empty() {
            if *command {
                if out.last() != Some(&Token::Break) {
                    out.push(Token::Break);
                }
            } else {
                push_word(word, out, glued);
            }
            word.clear();
        }
        *command = false;
    };
    let mut prev: Option<char> = None;
    for c in folded.chars() {
        if c.is_alphabetic() || c.is_ascii_digit() {
            // A lower-case letter followed by an upper-case one starts a new word: glued text.
            if c.is_uppercase() && prev.is_some_and(char::is_lowercase) && !word.is_empty() {
                flush(&mut word, &mut command, &mut out);
            }
            if word.is_empty() && prev == Some('\\') {
                command = true;
            }
            word.push(c);
        } else if (c == '-' || c == '\'') && !word.is_empty() {
            // Hyphenated compounds count as their parts; a hyphen does not break a phrase.
            // A possessive tail ("model's") is a one-letter word, dropped below.
            flush(&mut word, &mut command, &mut out);
        } else {
            flush(&mut word, &mut command, &mut out);
            if !c.is_whitespace() && out.last() != Some(&Token::Break) {
                out.push(Token::Break);
            }
        }
        prev = Some(c);
    }
    flush(&mut word, &mut command, &mut out);
    out
}

fn push_word(raw: &str, out: &mut Vec<Token>, glued: &Glued) {
    // Footnote marks glued to a word: "saving4", "learning12" → the letters.
    let trimmed = raw.trim_end_matches(|c: char| c.is_ascii_digit());
    let w: &str = if trimmed.len() >= 4
        && raw.len() - trimmed.len() <= 2
        && trimmed.chars().all(char::is_lowercase)
    {
        trimmed
    } else {
        raw
    };
    let lower = w.to_lowercase();
    if lower == "of" {
        out.push(Token::Of);
        return;
    }
    if !glued.is_empty() {
        if let Some(parts) = glued.get(&lower) {
            // Parts are known words: they are not split again.
            parts
                .iter()
                .for_each(|p| push_word(p, out, &Glued::default()));
            return;
        }
    }
    let alpha = lower.chars().filter(|c| c.is_alphabetic()).count();
    if alpha < 2 || lower.len() > 30 || is_stop_word(&lower) {
        if out.last() != Some(&Token::Break) {
            out.push(Token::Break);
        }
        return;
    }
    let (stem, weak) = stem_of(&lower);
    out.push(Token::Word {
        stem,
        surface: w.to_string(),
        weak,
    });
}

/// Word beginnings that make a rare word look glued when it is not: "inefficient" is not
/// "in efficient", nor "reweighting" "re weighting". A split never starts with one of them.
const PREFIXES: &str = "an in un re de dis non pre co im ir il sub mis over under out up inter \
multi semi self anti counter super micro macro auto post bi tri uni hyper meta cross off en em ex \
extra intra trans pro per";

/// Word endings that read as words of their own: "weightless" is not "weight less".
const SUFFIXES: &str = "less ness able ible ship wise like ward wards hood ment fold ism ist ize \
ise out";

/// Two-letter words that start glued text.
const JOINTS: &str = "of on to by is as we";

fn prefixes() -> &'static FxHashSet<&'static str> {
    static S: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set(PREFIXES))
}

fn suffixes() -> &'static FxHashSet<&'static str> {
    static S: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set(SUFFIXES))
}

/// The words of a glued word ("onshorttexts" → on, short, texts; "ofand" → of, and): text whose
/// spaces were lost on the way out of a PDF. `known` gives how common a lower-case word is (0:
/// unknown); the caller asks only about words it has not seen often itself. Splits into 2–3
/// known words of at least two letters each; fewer parts win, then the split whose rarest part
/// is commonest. `None` when no split is convincing.
pub fn split_glued(word: &str, known: impl Fn(&str) -> u32) -> Option<Vec<&str>> {
    if word.len() < 5 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let ok = |part: &str| part.len() >= 2 && known(part) > 0;
    let fine = |parts: &[&str]| {
        let (first, last) = (parts[0], parts[parts.len() - 1]);
        // Two letters end no glued word ("predict or", "intern et", "caus al") and begin one only
        // as a common joint ("ofand", "onresponses"; not "at tend", "be have", "me rely").
        let joint = first.len() > 2 || JOINTS.split(' ').any(|j| j == first);
        // Two content words glued ("smallcontinuous") are long; shorter ones are compounds
        // ("keyword", "gameplay", "shortcomings").
        let glue = parts.iter().any(|p| is_function_word(p)) || word.len() >= 13;
        // Function words alone are glued text only as a joint and one more ("ofand", "inthe"):
        // "weather" is not "we at her", "whatever" not "what ever".
        let content =
            parts.iter().any(|p| !is_function_word(p)) || (parts.len() == 2 && first.len() == 2);
        last.len() > 2
            && joint
            && glue
            && content
            && !prefixes().contains(first)
            && !suffixes().contains(last)
    };
    // (rarest part's frequency, parts) of the best split so far.
    let mut best: Option<(u32, Vec<&str>)> = None;
    let n = word.len();
    let splits = (2..=n - 2).map(|i| vec![&word[..i], &word[i..]]).chain(
        (2..=n - 4)
            .flat_map(|i| (i + 2..=n - 2).map(move |j| vec![&word[..i], &word[i..j], &word[j..]])),
    );
    for parts in splits {
        // Two parts first: a three-part split is tried only when no two-part one is convincing.
        if parts.len() == 3 && best.as_ref().is_some_and(|b| b.1.len() == 2) {
            break;
        }
        if !parts.iter().all(|p| ok(p)) || !fine(&parts) {
            continue;
        }
        let rarest = parts.iter().map(|p| known(p)).min().unwrap_or(0);
        if best.as_ref().is_none_or(|b| rarest > b.0) {
            best = Some((rarest, parts));
        }
    }
    best.map(|b| b.1)
}

/// The stem of a lower-case word and whether it is weak.
pub fn stem_word(lower: &str) -> (String, bool) {
    stem_of(lower)
}

/// Words a thread remembers the stems of before it starts over (bounds the memory).
const STEM_CACHE: usize = 200_000;

thread_local! {
    static STEMS: RefCell<FxHashMap<String, (String, bool)>> = RefCell::new(FxHashMap::default());
}

/// The stem of a lower-case word and whether it is weak. Snowball stemming was a sixth of a fit at
/// 100k papers; the same few thousand words recur, so each thread keeps the answers (a pure
/// function of the word: the cache cannot change a result).
fn stem_of(lower: &str) -> (String, bool) {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(hit) = cache.get(lower) {
            return hit.clone();
        }
        let stem = match stemmer().stem(lower) {
            Cow::Borrowed(s) => s.to_string(),
            Cow::Owned(s) => s,
        };
        let weak = is_weak_word(lower) || is_weak_word(&stem);
        if cache.len() >= STEM_CACHE {
            cache.clear();
        }
        cache.insert(lower.to_string(), (stem.clone(), weak));
        (stem, weak)
    })
}

/// Phrase candidates as the positions of their words in `tokens`: every span of 1–3 content words
/// inside a run that no stop word or punctuation breaks, where one "of" may join two words
/// ("mixture of experts"), never standing at an end. An "of" lies between two positions that are
/// not adjacent. Shorter spans come first, so a phrase's parts are seen before it.
pub fn spans(tokens: &[Token], mut visit: impl FnMut(&[usize])) {
    let word = |i: usize| matches!(tokens.get(i), Some(Token::Word { .. }));
    let mut pos = [0usize; 3];
    for i in 0..tokens.len() {
        if !word(i) {
            continue;
        }
        pos[0] = i;
        visit(&pos[..1]);
        let (mut n, mut j, mut of) = (1, i, false);
        while n < 3 {
            if word(j + 1) {
                j += 1;
            } else if !of && matches!(tokens.get(j + 1), Some(Token::Of)) && word(j + 2) {
                j += 2;
                of = true;
            } else {
                break;
            }
            pos[n] = j;
            n += 1;
            visit(&pos[..n]);
        }
    }
}

/// Term candidates of a token stream, as [`spans`] finds them: (stem key, surface as written,
/// whether it may stand alone). Keys join stems with spaces and keep "of" ("chain of thought"),
/// so labels read naturally; weak unigrams may not stand alone.
pub fn candidates(tokens: &[Token], mut visit: impl FnMut(&str, &str, bool)) {
    let mut key = String::new();
    let mut surface = String::new();
    spans(tokens, |pos| {
        key.clear();
        surface.clear();
        let mut weak_alone = false;
        for (n, &p) in pos.iter().enumerate() {
            let Token::Word {
                stem,
                surface: s,
                weak,
            } = &tokens[p]
            else {
                unreachable!("spans holds words only")
            };
            if n > 0 {
                let sep = if p == pos[n - 1] + 1 { " " } else { " of " };
                key.push_str(sep);
                surface.push_str(sep);
            }
            key.push_str(stem);
            surface.push_str(s);
            weak_alone = *weak && pos.len() == 1;
        }
        visit(&key, &surface, !weak_alone);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .filter_map(|t| match t {
                Token::Word { stem, .. } => Some(stem),
                _ => None,
            })
            .collect()
    }

    fn terms(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        candidates(&tokenize(text), |k, _, strong| {
            if strong {
                v.push(k.to_string())
            }
        });
        v
    }

    #[test]
    fn scientific_stop_words_carry_no_topic() {
        assert_eq!(
            stems("We propose a novel method and show results in this paper"),
            Vec::<String>::new()
        );
        assert_eq!(
            stems("Our approach improves speech enhancement"),
            vec!["speech", "enhanc"]
        );
    }

    #[test]
    fn glued_words_and_footnote_marks_are_split() {
        assert_eq!(
            stems("pivot throughHypotheticalDocument embeddings"),
            vec!["pivot", "hypothet", "document", "embed"]
        );
        assert_eq!(stems("saving4. tuning¹ GPT3"), vec!["save", "tune", "gpt3"]);
    }

    #[test]
    fn latex_commands_are_not_words() {
        assert_eq!(
            stems(r"bounds on $\mathcal{O}(\log n)$ in \emph{Banach spaces} over $\mathbb{R}^n$"),
            vec!["bound", "banach", "space"]
        );
        // A command breaks a phrase like punctuation does.
        assert!(!terms(r"Banach \alpha spaces").contains(&"banach space".to_string()));
    }

    #[test]
    fn phrases_are_terms() {
        let t = terms(
            "Chain of thought prompting elicits reasoning; prompt tuning and speech enhancement.",
        );
        for want in [
            "chain of thought",
            "thought prompt",
            "prompt tune",
            "speech enhanc",
            "elicit reason",
        ] {
            assert!(t.contains(&want.to_string()), "{want} missing from {t:?}");
        }
        // Punctuation and stop words break phrases.
        assert!(!t.contains(&"reason prompt".to_string()));
        assert!(
            !terms("the model we propose").iter().any(|k| k == "model"),
            "weak words do not stand alone"
        );
        assert!(terms("language model").contains(&"languag model".to_string()));
    }

    #[test]
    fn phrase_candidates_are_runs_of_one_to_three_content_words() {
        let t = terms("Sparse mixture of experts layers; neural machine translation of speech.");
        for want in [
            "spars",
            "spars mixtur",
            "spars mixtur of expert",
            "mixtur of expert",
            "mixtur of expert layer",
            "neural machin translat",
            "machin translat of speech",
        ] {
            assert!(t.contains(&want.to_string()), "{want} missing from {t:?}");
        }
        // Three words at most, one "of" at most, never "of" at an end, never across punctuation.
        assert!(t
            .iter()
            .all(|k| k.split(' ').filter(|w| *w != "of").count() <= 3));
        assert!(!t.iter().any(|k| k.starts_with("of") || k.ends_with(" of")));
        assert!(!t.iter().any(|k| k.contains("layer neural")));
        assert!(terms("chain of thought of agents")
            .iter()
            .all(|k| k.matches(" of ").count() <= 1));
        // Surfaces are as written, word for word.
        let mut surfaces = Vec::new();
        candidates(&tokenize("Diffusion Models for speech"), |_, s, _| {
            surfaces.push(s.to_string())
        });
        assert!(surfaces.contains(&"Diffusion Models".to_string()));
        assert!(!surfaces.iter().any(|s| s.contains("for")));
    }

    fn known<'a>(words: &'a [(&'a str, u32)]) -> impl Fn(&str) -> u32 + 'a {
        move |w| words.iter().find(|p| p.0 == w).map_or(0, |p| p.1)
    }

    #[test]
    fn glued_words_split_into_known_words() {
        let dict = [
            ("on", 900),
            ("in", 950),
            ("of", 990),
            ("and", 980),
            ("short", 30),
            ("texts", 20),
            ("efficient", 40),
            ("weight", 25),
            ("less", 300),
            ("model", 200),
            ("models", 150),
            ("tuning", 12),
            ("fine", 15),
            ("fin", 1),
            ("etuning", 0),
            ("speech", 30),
            ("enhancement", 20),
            ("speeche", 1),
            ("nhancement", 1),
            ("predict", 10),
            ("or", 900),
            ("at", 900),
            ("tend", 5),
            ("we", 700),
            ("her", 50),
            ("what", 300),
            ("ever", 40),
        ];
        let k = known(&dict);
        assert_eq!(
            split_glued("onshorttexts", &k),
            Some(vec!["on", "short", "texts"])
        );
        assert_eq!(split_glued("ofand", &k), Some(vec!["of", "and"]));
        // Function words alone only as a joint and one more.
        assert_eq!(split_glued("weather", &k), None);
        assert_eq!(split_glued("whatever", &k), None);
        // The split whose rarest part is commonest.
        assert_eq!(
            split_glued("speechenhancement", &k),
            Some(vec!["speech", "enhancement"])
        );
        // Two content words make a long glued word; a short one is a compound.
        assert_eq!(split_glued("finetuning", &k), None);
        assert_eq!(
            split_glued("finetuningand", &k),
            Some(vec!["fine", "tuning", "and"])
        );
        // Prefixes and suffixes are parts of words, not words.
        assert_eq!(split_glued("inefficient", &k), None);
        assert_eq!(split_glued("weightless", &k), None);
        // Two letters end no glued word and begin one only as a common joint.
        assert_eq!(split_glued("predictor", &k), None);
        assert_eq!(split_glued("attend", &k), None);
        // Unknown parts, short words, capitals and digits are left alone.
        assert_eq!(split_glued("onshortxyz", &k), None);
        assert_eq!(split_glued("onof", &k), None);
        assert_eq!(split_glued("Onshorttexts", &k), None);
        assert_eq!(split_glued("model2and", &k), None);
        // Four words are not a glued word but something else.
        assert_eq!(split_glued("onshorttextsmodel", &k), None);
    }

    #[test]
    fn tokens_of_glued_words_are_their_parts() {
        let mut glued = Glued::default();
        glued.insert(
            "onshorttexts".into(),
            vec!["on".into(), "short".into(), "texts".into()],
        );
        glued.insert("ofand".into(), vec!["of".into(), "and".into()]);
        let t = tokenize_with("clustering onshorttexts, ofand", &glued);
        let words: Vec<&str> = t
            .iter()
            .filter_map(|t| match t {
                Token::Word { surface, .. } => Some(surface.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(words, ["clustering", "short", "texts"]);
        // "on" breaks the phrase, "of" stays a joint.
        assert_eq!(t[1], Token::Break);
        assert!(t.contains(&Token::Of));
    }
}
