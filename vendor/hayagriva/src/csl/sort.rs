use std::cmp::Ordering;

use citationberg::taxonomy::Variable;
use citationberg::{
    DemoteNonDroppingParticle, InheritableNameOptions, LocaleCode, LongShortForm, Sort,
    SortDirection, SortKey,
};
use icu_collator::Collator;
use icu_collator::options::CollatorOptions;
use icu_locale::Locale as IcuLocale;

use crate::csl::BufWriteFormat;
use crate::csl::rendering::RenderCsl;

use super::taxonomy::EntryLike;
use super::{CitationItem, InstanceContext, StyleContext};

trait CollationOrd: Ord {
    fn collation_cmp(&self, other: &Self, locale: LocaleCode) -> Ordering;
}

impl CollationOrd for str {
    fn collation_cmp(&self, other: &Self, locale: LocaleCode) -> Ordering {
        if let Ok(locale) = locale.0.parse::<IcuLocale>() {
            let options = CollatorOptions::default();
            let collator = Collator::try_new(locale.into(), options).unwrap();
            collator.compare(self, other)
        } else {
            self.cmp(other)
        }
    }
}

impl<T: CollationOrd> CollationOrd for Option<T> {
    fn collation_cmp(&self, other: &Self, locale: LocaleCode) -> Ordering {
        match (self, other) {
            (Some(a), Some(b)) => a.collation_cmp(b, locale),
            (Some(_), None) => Ordering::Greater,
            (None, Some(_)) => Ordering::Less,
            (None, None) => Ordering::Equal,
        }
    }
}

impl CollationOrd for String {
    fn collation_cmp(&self, other: &Self, locale: LocaleCode) -> Ordering {
        CollationOrd::collation_cmp(self as &str, other, locale)
    }
}

/// Topica: one entry's value for one sort key, as `cmp_entries` computes it.
enum SortValue<'a> {
    Standard(Option<String>),
    Date(Option<std::borrow::Cow<'a, crate::types::Date>>),
    Names(Vec<std::borrow::Cow<'a, crate::types::Person>>),
    Number(Option<super::taxonomy::NumberVariableResult<'a>>),
    Page(Option<super::taxonomy::PageVariableResult>),
    Macro(Option<String>),
}

/// Topica: string collation for one sort, with the collator built once (the
/// same comparison as `CollationOrd for str`).
struct Collation(Option<icu_collator::CollatorBorrowed<'static>>);

impl Collation {
    fn new(locale: LocaleCode) -> Self {
        Self(locale.0.parse::<IcuLocale>().ok().map(|locale| {
            Collator::try_new(locale.into(), CollatorOptions::default()).unwrap()
        }))
    }

    fn cmp(&self, a: &Option<String>, b: &Option<String>) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => match &self.0 {
                Some(c) => c.compare(a, b),
                None => a.as_str().cmp(b.as_str()),
            },
            (Some(_), None) => Ordering::Greater,
            (None, Some(_)) => Ordering::Less,
            (None, None) => Ordering::Equal,
        }
    }
}

impl StyleContext<'_> {
    /// Topica: an entry's value for a sort key (what `cmp_entries` computes for
    /// each side).
    fn sort_value<'a, T: EntryLike>(
        &self,
        item: &CitationItem<'a, T>,
        idx: usize,
        key: &SortKey,
        term_locale: Option<&LocaleCode>,
    ) -> SortValue<'a> {
        match key {
            SortKey::Variable { variable: Variable::Standard(s), .. } => {
                SortValue::Standard(
                    InstanceContext::variable_sort_instance(item, idx)
                        .resolve_standard_variable(LongShortForm::default(), *s)
                        .map(|s| s.to_string().to_lowercase()),
                )
            }
            SortKey::Variable { variable: Variable::Date(d), .. } => {
                SortValue::Date(item.entry.resolve_date_variable(*d))
            }
            SortKey::Variable { variable: Variable::Name(n), .. } => {
                SortValue::Names(item.entry.resolve_name_variable(*n))
            }
            SortKey::Variable { variable: Variable::Number(n), .. } => SortValue::Number(
                InstanceContext::variable_sort_instance(item, idx)
                    .resolve_number_variable(*n),
            ),
            SortKey::Variable { variable: Variable::Page(pv), .. } => SortValue::Page(
                InstanceContext::variable_sort_instance(item, idx)
                    .resolve_page_variable(*pv),
            ),
            SortKey::MacroName {
                name,
                names_min,
                names_use_first,
                names_use_last,
                ..
            } => {
                let mut ctx = self.macro_sorting_ctx(
                    item,
                    idx,
                    item.locale.as_ref(),
                    term_locale,
                    false,
                );
                ctx.writing.name_options.push(InheritableNameOptions {
                    et_al_min: *names_min,
                    et_al_subsequent_min: *names_min,
                    et_al_use_first: *names_use_first,
                    et_al_subsequent_use_first: *names_use_first,
                    et_al_use_last: *names_use_last,
                    ..Default::default()
                });

                SortValue::Macro(self.get_macro(name).map(|m| {
                    for child in &m.children {
                        child.render(&mut ctx)
                    }
                    ctx.flush().0.into_iter().fold(String::new(), |mut s, f| {
                        f.write_buf(&mut s, BufWriteFormat::Plain).unwrap();
                        s.to_lowercase()
                    })
                }))
            }
        }
    }

    /// Topica: `cmp_entries` over values computed by `sort_value`.
    fn cmp_values(
        &self,
        a: &SortValue,
        b: &SortValue,
        key: &SortKey,
        collation: &Collation,
    ) -> Ordering {
        let (ordering, empty_value) = match (a, b) {
            (SortValue::Standard(a), SortValue::Standard(b)) => {
                (collation.cmp(a, b), a.is_none() || b.is_none())
            }
            (SortValue::Date(a), SortValue::Date(b)) => match (a, b) {
                (Some(a), Some(b)) => (a.csl_cmp(b), false),
                (Some(_), None) => (Ordering::Greater, true),
                (None, Some(_)) => (Ordering::Less, true),
                (None, None) => (Ordering::Equal, true),
            },
            (SortValue::Names(a), SortValue::Names(b)) => {
                for (a_pers, b_pers) in a.iter().zip(b.iter()) {
                    let ord = a_pers.csl_cmp(
                        b_pers,
                        LongShortForm::Long,
                        self.csl.settings.demote_non_dropping_particle
                            != DemoteNonDroppingParticle::Never,
                    );
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }

                (
                    if a.len() < b.len() {
                        Ordering::Less
                    } else if a.len() > b.len() {
                        Ordering::Greater
                    } else {
                        Ordering::Equal
                    },
                    false,
                )
            }
            (SortValue::Number(a), SortValue::Number(b)) => match (a, b) {
                (Some(a), Some(b)) => (a.csl_cmp(b), false),
                (Some(_), None) => (Ordering::Greater, true),
                (None, Some(_)) => (Ordering::Less, true),
                (None, None) => (Ordering::Equal, true),
            },
            (SortValue::Page(a), SortValue::Page(b)) => match (a, b) {
                (Some(a), Some(b)) => (a.csl_cmp(b), false),
                (Some(_), None) => (Ordering::Greater, true),
                (None, Some(_)) => (Ordering::Less, true),
                (None, None) => (Ordering::Equal, true),
            },
            (SortValue::Macro(a), SortValue::Macro(b)) => (collation.cmp(a, b), false),
            _ => unreachable!("values of one sort key"),
        };

        if empty_value || key.sort_direction() == SortDirection::Descending {
            ordering.reverse()
        } else {
            ordering
        }
    }

    /// Retrieve the ordering of two entries according to the given sort key.
    fn cmp_entries<T: EntryLike>(
        &self,
        a: &CitationItem<T>,
        a_idx: usize,
        b: &CitationItem<T>,
        b_idx: usize,
        key: &SortKey,
        term_locale: Option<&LocaleCode>,
    ) -> Ordering {
        let (ordering, empty_value) = match key {
            SortKey::Variable { variable: Variable::Standard(s), .. } => {
                let a = InstanceContext::variable_sort_instance(a, a_idx)
                    .resolve_standard_variable(LongShortForm::default(), *s)
                    .map(|s| s.to_string().to_lowercase());
                let b = InstanceContext::variable_sort_instance(b, b_idx)
                    .resolve_standard_variable(LongShortForm::default(), *s)
                    .map(|s| s.to_string().to_lowercase());

                (a.collation_cmp(&b, self.locale()), a.is_none() || b.is_none())
            }
            SortKey::Variable { variable: Variable::Date(d), .. } => {
                let a = a.entry.resolve_date_variable(*d);
                let b = b.entry.resolve_date_variable(*d);

                match (a, b) {
                    (Some(a), Some(b)) => (a.csl_cmp(&b), false),
                    (Some(_), None) => (Ordering::Greater, true),
                    (None, Some(_)) => (Ordering::Less, true),
                    (None, None) => (Ordering::Equal, true),
                }
            }
            SortKey::Variable { variable: Variable::Name(n), .. } => {
                let a = a.entry.resolve_name_variable(*n);
                let b = b.entry.resolve_name_variable(*n);

                for (a_pers, b_pers) in a.iter().zip(b.iter()) {
                    let ord = a_pers.csl_cmp(
                        b_pers,
                        LongShortForm::Long,
                        self.csl.settings.demote_non_dropping_particle
                            != DemoteNonDroppingParticle::Never,
                    );
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }

                (
                    if a.len() < b.len() {
                        Ordering::Less
                    } else if a.len() > b.len() {
                        Ordering::Greater
                    } else {
                        Ordering::Equal
                    },
                    false,
                )
            }
            SortKey::Variable { variable: Variable::Number(n), .. } => {
                let a = InstanceContext::variable_sort_instance(a, a_idx)
                    .resolve_number_variable(*n);
                let b = InstanceContext::variable_sort_instance(b, b_idx)
                    .resolve_number_variable(*n);

                match (a, b) {
                    (Some(a), Some(b)) => (a.csl_cmp(&b), false),
                    (Some(_), None) => (Ordering::Greater, true),
                    (None, Some(_)) => (Ordering::Less, true),
                    (None, None) => (Ordering::Equal, true),
                }
            }
            SortKey::Variable { variable: Variable::Page(pv), .. } => {
                let a = InstanceContext::variable_sort_instance(a, a_idx)
                    .resolve_page_variable(*pv);
                let b = InstanceContext::variable_sort_instance(b, b_idx)
                    .resolve_page_variable(*pv);

                match (a, b) {
                    (Some(a), Some(b)) => (a.csl_cmp(&b), false),
                    (Some(_), None) => (Ordering::Greater, true),
                    (None, Some(_)) => (Ordering::Less, true),
                    (None, None) => (Ordering::Equal, true),
                }
            }
            SortKey::MacroName {
                name,
                names_min,
                names_use_first,
                names_use_last,
                ..
            } => {
                let render = |entry: &CitationItem<T>, idx: usize| {
                    let mut ctx = self.macro_sorting_ctx(
                        entry,
                        idx,
                        entry.locale.as_ref(),
                        term_locale,
                        false,
                    );
                    ctx.writing.name_options.push(InheritableNameOptions {
                        et_al_min: *names_min,
                        et_al_subsequent_min: *names_min,
                        et_al_use_first: *names_use_first,
                        et_al_subsequent_use_first: *names_use_first,
                        et_al_use_last: *names_use_last,
                        ..Default::default()
                    });

                    self.get_macro(name).map(|m| {
                        for child in &m.children {
                            child.render(&mut ctx)
                        }
                        ctx.flush().0.into_iter().fold(String::new(), |mut s, f| {
                            f.write_buf(&mut s, BufWriteFormat::Plain).unwrap();
                            s.to_lowercase()
                        })
                    })
                };

                let a_rendered = render(a, a_idx);
                let b_rendered = render(b, b_idx);

                (a_rendered.collation_cmp(&b_rendered, self.locale()), false)
            }
        };

        // Per CSL 1.0.2 spec (https://docs.citationstyles.org/en/v1.0.2/specification.html):
        // Entries with empty values are always displayed at the end, even with reversed order.
        // So we always reverse the order if either entry is empty.
        if empty_value || key.sort_direction() == SortDirection::Descending {
            ordering.reverse()
        } else {
            ordering
        }
    }

    /// Sorts the given citation items by the style's sort keys.
    pub fn sort<T: EntryLike>(
        &self,
        cites: &mut [CitationItem<T>],
        sort: Option<&Sort>,
        term_locale: Option<&LocaleCode>,
        citation_number: impl Fn(&T) -> usize,
    ) {
        // Topica: when every item has its own entry, each item's value for each
        // sort key is computed once (lazily, as the comparisons ask for it) and
        // one collator serves the whole sort, instead of rendering the key (and
        // building an ICU collator) again at every comparison. The values are
        // what `cmp_entries` computes and are compared exactly as it does, and
        // the items are sorted by the same stable sort, so the order is the
        // same. Items sharing an entry (a citation citing it twice, with
        // different locators) take the original path.
        if let Some(sort) = sort
            && cites.len() > 1
        {
            let mut slots: std::collections::HashMap<*const T, usize> =
                std::collections::HashMap::with_capacity(cites.len());
            for (i, c) in cites.iter().enumerate() {
                slots.insert(c.entry as *const T, i);
            }
            if slots.len() == cites.len() {
                let collator = Collation::new(self.locale());
                let numbers: Vec<usize> =
                    cites.iter().map(|c| citation_number(c.entry)).collect();
                let items: Vec<CitationItem<T>> = cites
                    .iter()
                    .map(|c| CitationItem {
                        entry: c.entry,
                        locator: c.locator.clone(),
                        locale: c.locale.clone(),
                        hidden: c.hidden,
                        purpose: c.purpose.clone(),
                        initial_idx: c.initial_idx,
                    })
                    .collect();
                let mut values: Vec<Vec<Option<SortValue>>> = cites
                    .iter()
                    .map(|_| (0..sort.keys.len()).map(|_| None).collect())
                    .collect();
                cites.sort_by(|a, b| {
                    let sa = slots[&(a.entry as *const T)];
                    let sb = slots[&(b.entry as *const T)];
                    let mut ordering = Ordering::Equal;
                    for (k, key) in sort.keys.iter().enumerate() {
                        for s in [sa, sb] {
                            if values[s][k].is_none() {
                                values[s][k] = Some(self.sort_value(
                                    &items[s],
                                    numbers[s],
                                    key,
                                    term_locale,
                                ));
                            }
                        }
                        ordering = self.cmp_values(
                            values[sa][k].as_ref().unwrap(),
                            values[sb][k].as_ref().unwrap(),
                            key,
                            &collator,
                        );
                        if ordering != Ordering::Equal {
                            break;
                        }
                    }
                    ordering
                });
                return;
            }
        }
        if let Some(sort) = sort {
            cites.sort_by(|a, b| {
                let mut ordering = Ordering::Equal;
                for key in &sort.keys {
                    ordering = self.cmp_entries(
                        a,
                        citation_number(a.entry),
                        b,
                        citation_number(b.entry),
                        key,
                        term_locale,
                    );
                    if ordering != Ordering::Equal {
                        break;
                    }
                }
                ordering
            });
        }
    }
}
