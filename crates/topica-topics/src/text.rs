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

/// Splits text into cleaned tokens. Tolerates the seed text's quirks: words glued at a case change
/// ("throughHypotheticalDocument"), footnote marks ("saving4.", "results¹") and LaTeX remnants.
pub fn tokenize(text: &str) -> Vec<Token> {
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
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            push_word(word, out);
            word.clear();
        }
    };
    let mut prev: Option<char> = None;
    for c in folded.chars() {
        if c.is_alphabetic() || c.is_ascii_digit() {
            // A lower-case letter followed by an upper-case one starts a new word: glued text.
            if c.is_uppercase() && prev.is_some_and(char::is_lowercase) && !word.is_empty() {
                flush(&mut word, &mut out);
            }
            word.push(c);
        } else if (c == '-' || c == '\'') && !word.is_empty() {
            // Hyphenated compounds count as their parts; a hyphen does not break a phrase.
            // A possessive tail ("model's") is a one-letter word, dropped below.
            flush(&mut word, &mut out);
        } else {
            flush(&mut word, &mut out);
            if !c.is_whitespace() && out.last() != Some(&Token::Break) {
                out.push(Token::Break);
            }
        }
        prev = Some(c);
    }
    flush(&mut word, &mut out);
    out
}

fn push_word(raw: &str, out: &mut Vec<Token>) {
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

/// A term candidate in a document: a unigram, a bigram or an "X of Y" phrase, as stem keys
/// joined by spaces ("of" kept in the key so labels read naturally).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Candidate {
    pub key: String,
    /// Whether it may stand alone as a term (weak unigrams may not).
    pub strong: bool,
}

/// Term candidates of a token stream, with their surface forms: every content word, every pair of
/// adjacent content words, and "X of Y".
pub fn candidates(tokens: &[Token], mut visit: impl FnMut(&str, &str, bool)) {
    let mut key = String::new();
    let mut surface = String::new();
    for (i, t) in tokens.iter().enumerate() {
        let Token::Word {
            stem,
            surface: s,
            weak,
        } = t
        else {
            continue;
        };
        visit(stem, s, !*weak);
        if let Some(Token::Word {
            stem: s2,
            surface: sf2,
            ..
        }) = tokens.get(i + 1)
        {
            key.clear();
            surface.clear();
            key.push_str(stem);
            key.push(' ');
            key.push_str(s2);
            surface.push_str(s);
            surface.push(' ');
            surface.push_str(sf2);
            visit(&key, &surface, true);
        }
        if let (
            Some(Token::Of),
            Some(Token::Word {
                stem: s2,
                surface: sf2,
                ..
            }),
        ) = (tokens.get(i + 1), tokens.get(i + 2))
        {
            key.clear();
            surface.clear();
            key.push_str(stem);
            key.push_str(" of ");
            key.push_str(s2);
            surface.push_str(s);
            surface.push_str(" of ");
            surface.push_str(sf2);
            visit(&key, &surface, true);
        }
    }
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
}
