// The papers-per-year chart of a topic: one bar per year from the first to the last (gaps shown
// as empty years), heights relative to the busiest year.

import type { TopicYear } from '../../lib/ipc/bindings';

export interface YearBar {
  year: number;
  papers: number;
  /** 0..1 of the busiest year. */
  height: number;
}

export function yearBars(years: TopicYear[], topic: number, maxYears = 30): YearBar[] {
  const mine = years.filter((y) => y.topic === topic);
  if (mine.length === 0) return [];
  const by = new Map(mine.map((y) => [y.year, y.papers]));
  const last = Math.max(...mine.map((y) => y.year));
  const first = Math.max(Math.min(...mine.map((y) => y.year)), last - maxYears + 1);
  const bars: YearBar[] = [];
  for (let y = first; y <= last; y++) bars.push({ year: y, papers: by.get(y) ?? 0, height: 0 });
  const top = Math.max(...bars.map((b) => b.papers), 1);
  for (const b of bars) b.height = b.papers / top;
  return bars;
}
