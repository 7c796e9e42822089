import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const THEME = join(import.meta.dirname, '../../renderer/src/styles/theme.css');

/** The custom properties of the light (:root) and dark (inside the media query) themes. */
async function themes(): Promise<{ light: Map<string, string>; dark: Map<string, string> }> {
  const css = await readFile(THEME, 'utf8');
  const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
  const read = (block: string): Map<string, string> => new Map([...block.matchAll(/(--[a-z0-9-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!.toLowerCase()]));
  return { light: read(css.slice(0, darkStart)), dark: read(css.slice(darkStart)) };
}

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Text on its backgrounds: 4.5:1 (WCAG AA for normal text). */
const TEXT_PAIRS: Array<[string, string]> = [
  ['--text', '--bg'],
  ['--text', '--surface'],
  ['--text', '--surface-2'],
  ['--text', '--info-soft'],
  ['--text-muted', '--bg'],
  ['--text-muted', '--surface'],
  ['--accent', '--surface'],
  ['--accent', '--bg'],
  ['--on-accent', '--accent'],
  ['--on-accent', '--accent-hover'],
  ['--danger', '--surface'],
  ['--danger', '--danger-soft'],
  ['--danger', '--error-soft'],
  ['--warning-text', '--warning-soft'],
  ['--warning-text', '--surface'],
  ['--success-text', '--success-soft'],
  ['--success-text', '--surface'],
  ['--speaking', '--surface'],
  ['--preview', '--surface'],
];

/** Focus rings (drawn 2px off the control, on the page), speaking rings and meters against what is around them: 3:1 (WCAG non-text contrast). */
const GRAPHIC_PAIRS: Array<[string, string]> = [
  ['--focus', '--bg'],
  ['--focus', '--surface'],
  ['--speaking', '--surface-2'],
  ['--meter-active', '--surface-2'],
  ['--meter', '--surface-2'],
  // The threshold line is --text edged in --surface: one of the two stands out on the track and on the bar.
  ['--text', '--surface-2'],
  ['--surface', '--meter-active'],
];

describe('theme contrast', () => {
  it.each(['light', 'dark'] as const)('%s theme: every colour pair is readable', async (name) => {
    const theme = (await themes())[name];
    const failures: string[] = [];
    const check = (pairs: Array<[string, string]>, minimum: number): void => {
      for (const [fg, bg] of pairs) {
        const a = theme.get(fg);
        const b = theme.get(bg);
        if (a === undefined || b === undefined) failures.push(`${fg} or ${bg} missing`);
        else if (contrast(a, b) < minimum) failures.push(`${fg} on ${bg}: ${contrast(a, b).toFixed(2)} < ${minimum}`);
      }
    };
    check(TEXT_PAIRS, 4.5);
    check(GRAPHIC_PAIRS, 3);
    expect(failures).toEqual([]);
  });

  it('defines the same properties in both themes', async () => {
    const { light, dark } = await themes();
    expect([...dark.keys()].sort()).toEqual([...light.keys()].sort());
  });
});
