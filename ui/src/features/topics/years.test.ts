import { describe, expect, it } from 'vitest';
import { yearBars } from './years';

describe('yearBars', () => {
  const years = [
    { topic: 1, year: 2019, papers: 2 },
    { topic: 1, year: 2022, papers: 4 },
    { topic: 2, year: 2023, papers: 9 },
  ];

  it('shows every year from the first to the last, gaps empty, heights relative', () => {
    expect(yearBars(years, 1)).toEqual([
      { year: 2019, papers: 2, height: 0.5 },
      { year: 2020, papers: 0, height: 0 },
      { year: 2021, papers: 0, height: 0 },
      { year: 2022, papers: 4, height: 1 },
    ]);
  });

  it('is empty for a topic without dated papers and caps the span', () => {
    expect(yearBars(years, 3)).toEqual([]);
    const long = [{ topic: 1, year: 1950, papers: 1 }, { topic: 1, year: 2020, papers: 1 }];
    const bars = yearBars(long, 1, 10);
    expect(bars.length).toBe(10);
    expect(bars[bars.length - 1].year).toBe(2020);
  });
});
