// The citation style picker's entries: what each option reads, and the chosen value kept
// selectable when it is no longer listed (an added style removed by the CLI).
import type { StyleEntry } from '../../lib/ipc/bindings';

/** An option's text: the style's title, an added style marked with its name (and parent). */
export function styleLabel(e: StyleEntry): string {
  if (e.bundled) return e.title;
  return e.parent ? `${e.title} (added: ${e.name}, as ${e.parent})` : `${e.title} (added: ${e.name})`;
}

/** The entries, with the chosen style first appended when the list lacks it. */
export function styleChoices(entries: StyleEntry[], chosen: string): StyleEntry[] {
  const known = entries.some((e) => e.name === chosen || (e.bundled && aliases[chosen] === e.name));
  if (known || !chosen) return entries;
  return [...entries, { name: chosen, title: `${chosen} (not in this library)`, bundled: false, parent: null }];
}

/** Names settings saved before styles were listed by name. */
const aliases: Record<string, string> = { 'chicago-author-date': 'chicago' };

/** The option value to select for the saved style. */
export function chosenValue(chosen: string): string {
  return aliases[chosen] ?? chosen;
}
