// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { dropPaperAt, planDrop } from './drop';

describe('planDrop', () => {
  it('sends PDFs and folders to the PDF import, bibliographies to the file import', () => {
    expect(planDrop(['/a/paper.pdf', '/a/refs.bib', '/a/Downloads', '/a/list.RIS', '/a/lib.json', '/a/SCAN.PDF'])).toEqual({
      pdfs: ['/a/paper.pdf', '/a/Downloads', '/a/SCAN.PDF'],
      bibliographies: ['/a/refs.bib', '/a/list.RIS', '/a/lib.json'],
    });
    expect(planDrop([])).toEqual({ pdfs: [], bibliographies: [] });
  });
  it('sends a Zotero database to the file import', () => {
    expect(planDrop(['/home/a/Zotero/zotero.sqlite']).bibliographies).toEqual(['/home/a/Zotero/zotero.sqlite']);
  });
});

describe('dropPaperAt', () => {
  it('finds the paper of the row or pane the pointer is over', () => {
    document.body.innerHTML = `
      <div class="list"><div class="row" data-drop-paper="42"><div class="title"><b id="deep">T</b></div></div></div>
      <section class="detail" data-drop-paper="7"><h3 id="files">Files</h3></section>
      <section class="detail" id="empty"></section>
      <div data-drop-paper="oops"><span id="bad"></span></div>`;
    expect(dropPaperAt(document.getElementById('deep'))).toBe(42);
    expect(dropPaperAt(document.getElementById('files'))).toBe(7);
    expect(dropPaperAt(document.getElementById('empty'))).toBeNull();
    expect(dropPaperAt(document.getElementById('bad'))).toBeNull();
    expect(dropPaperAt(null)).toBeNull();
  });
});
