import { describe, expect, it } from 'vitest';
import { modeChoice, progressText } from './semantic';
import type { SemanticStatus } from '../../lib/ipc/bindings';

const status = (chosen: SemanticStatus['chosen']): SemanticStatus => ({
  modelDir: '/m', modelPresent: true, problem: null, mode: 'semantic', chosen, embedded: 3, papers: 4,
});

describe('semantic settings', () => {
  it('shows the chosen mode, or automatic', () => {
    expect(modeChoice(status(null))).toBe('auto');
    expect(modeChoice(status('lexical'))).toBe('lexical');
  });
  it('says progress in papers, or in MB for a download', () => {
    expect(progressText(null)).toBe('starting…');
    expect(progressText({ phase: 'embedding', done: 64, total: 94 })).toBe('64 of 94 papers');
    expect(progressText({ phase: 'downloading the model', done: 10 << 20, total: 87 << 20 })).toBe('10 of 87 MB');
    expect(progressText({ phase: 'downloading the model', done: 3 << 20, total: null })).toBe('3 MB');
  });
});
