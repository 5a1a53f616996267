import { describe, expect, it } from 'vitest';
import { modKey } from './keys';

describe('modKey', () => {
  it('is Cmd on macOS and Ctrl on Windows and Linux', () => {
    expect(modKey('MacIntel')).toBe('⌘');
    expect(modKey('Win32')).toBe('Ctrl');
    expect(modKey('Linux x86_64')).toBe('Ctrl');
    expect(modKey('')).toBe('Ctrl');
  });
});
