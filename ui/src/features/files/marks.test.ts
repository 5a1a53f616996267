// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { clearMarks, markTerms } from './marks';

function layer(html: string) {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('markTerms', () => {
  it('wraps words starting with a term in <mark>, keeping each span’s text', () => {
    const l = layer('<span>Zygomorphic flowers are</span><br><span role="presentation">not quokkas.</span><span>none</span>');
    expect(markTerms(l, ['zygomorphic', 'quokka'])).toBe(2);
    expect([...l.querySelectorAll('mark.term')].map((m) => m.textContent)).toEqual(['Zygomorphic', 'quokkas']);
    expect([...l.querySelectorAll('span')].map((s) => s.textContent)).toEqual(['Zygomorphic flowers are', 'not quokkas.', 'none']);
  });
  it('marks again from scratch when the terms change, and clears back to the text', () => {
    const l = layer('<span>quokka and wombat</span>');
    markTerms(l, ['quokka']);
    expect(markTerms(l, ['wombat'])).toBe(1);
    expect(l.querySelector('mark')?.textContent).toBe('wombat');
    clearMarks(l);
    expect(l.querySelectorAll('mark').length).toBe(0);
    expect(l.innerHTML).toBe('<span>quokka and wombat</span>');
    expect(markTerms(l, [])).toBe(0);
  });
  it('treats the text as text: markup in a PDF is not markup here', () => {
    const l = document.createElement('div');
    const span = document.createElement('span');
    span.textContent = '<img src=x onerror=alert(1)> quokka';
    l.append(span);
    markTerms(l, ['quokka']);
    expect(l.querySelector('img')).toBeNull();
    expect(span.textContent).toBe('<img src=x onerror=alert(1)> quokka');
  });
  it('leaves spans that hold other spans alone (pdf.js marked content)', () => {
    const l = layer('<span class="markedContent"><span>quokka</span></span>');
    expect(markTerms(l, ['quokka'])).toBe(1);
    expect(l.querySelectorAll('mark').length).toBe(1);
  });
});
