import { describe, expect, it } from 'vitest';
import { modeChoice, modelLine, progressText } from './semantic';
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
  it('says where the model is read from, and whose folder that is', () => {
    const line = (st: SemanticStatus, chosen: string | null) => {
      const l = modelLine(st, chosen);
      return l.before + l.dir + l.after;
    };
    expect(line(status(null), null)).toBe('Model: all-MiniLM-L6-v2, in /m (the default folder).');
    expect(line(status(null), '/m')).toBe('Model: all-MiniLM-L6-v2, in /m (your folder).');
    const missing = { ...status(null), modelPresent: false, modelDir: '/d' };
    expect(line(missing, null)).toBe('No model in the default folder, /d: topics are found by words alone.');
    expect(modelLine({ ...missing, modelDir: null }, null).dir).toBe('the model folder');
  });
});
