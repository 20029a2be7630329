/** The README's sample tracking issue is what the demo renders today (`npm run sample` regenerates it). */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { demoIssueBody, readmeWithSample, sampleBlock } from '../scripts/readme-sample.js';

describe('README sample issue', () => {
  it('is current (run npm run sample)', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const body = await demoIssueBody();
    expect(await readmeWithSample(readme, body)).toBe(readme);
  }, 60_000);

  it('fits about two screens before the folded sections', async () => {
    const shown = sampleBlock(await demoIssueBody());
    // a screen is ~50 rendered lines; a list item or paragraph line of up to ~160 characters wraps once
    const rendered = shown
      .split('\n')
      .filter((line) => line !== '>')
      .reduce((sum, line) => sum + Math.max(1, Math.ceil(line.replace(/\]\([^)]*\)/g, ']').length / 160)), 0);
    expect(rendered).toBeLessThanOrEqual(100);
  }, 60_000);
});
