import { describe, expect, it } from 'vitest';
import { accepts, parseTarget, type Payload } from './drag.svelte';

describe('drop targets', () => {
  it('reads data-drop values, collection paths with slashes and colons included', () => {
    expect(parseTarget('collection:Thesis/Ch 2: methods')).toEqual({ kind: 'collection', path: 'Thesis/Ch 2: methods' });
    expect(parseTarget('tag:to read')).toEqual({ kind: 'tag', name: 'to read' });
    expect(parseTarget('topic:12')).toEqual({ kind: 'topic', id: 12 });
    expect(parseTarget('topic:x')).toBeNull();
    expect(parseTarget('collections-root')).toEqual({ kind: 'collections-root' });
    expect(parseTarget(undefined)).toBeNull();
  });

  it('papers go onto collections, tags and topics; a collection never into itself or where it is', () => {
    const papers: Payload = { kind: 'papers', ids: [1] };
    expect(accepts(papers, { kind: 'tag', name: 't' })).toBe(true);
    expect(accepts(papers, { kind: 'collections-root' })).toBe(false);
    const thesis = { kind: 'collection', path: 'Thesis' } as const;
    expect(accepts(thesis, { kind: 'collection', path: 'Reading' })).toBe(true);
    expect(accepts(thesis, { kind: 'collection', path: 'Thesis' })).toBe(false);
    expect(accepts(thesis, { kind: 'collection', path: 'Thesis/Ch 1' })).toBe(false);
    expect(accepts(thesis, { kind: 'tag', name: 't' })).toBe(false);
    expect(accepts(thesis, { kind: 'collections-root' })).toBe(false); // already at the top
    const child = { kind: 'collection', path: 'Thesis/Ch 1' } as const;
    expect(accepts(child, { kind: 'collections-root' })).toBe(true);
    expect(accepts(child, { kind: 'collection', path: 'Thesis' })).toBe(false); // already there
  });
});
