// The modifier key a shortcut is shown with: ⌘ on macOS, Ctrl elsewhere. The handlers accept
// both (`ctrlKey || metaKey`); only what the user reads differs.

/** "⌘" on a Mac, "Ctrl" on Windows and Linux; `platform` is `navigator.platform`'s kind of
 *  string ("MacIntel", "Win32", "Linux x86_64"). */
export function modKey(platform: string): string {
  return /Mac|iPhone|iPad/.test(platform) ? '⌘' : 'Ctrl';
}

/** This machine's modifier key. */
export const MOD = modKey(typeof navigator === 'undefined' ? '' : navigator.platform);
