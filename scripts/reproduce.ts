/**
 * `npm run reproduce -- <claim> [--seeds 0,1,2,3,4]`: runs the full example of a claim of
 * papers.md §5 and writes the data and plot its page shows (docs/reproductions/). The claim
 * tests (test/claims/) run reduced versions of the same examples in CI.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';

const claims: Record<string, { examples: [string, string][]; page: string }> = {
  '1': { examples: [['12-asgd-floor-lr.json', 'asgd-floor-lr']], page: 'asgd-floor-lr.md' },
  '2': { examples: [['13-asgd-floor-tau-sigma.json', 'asgd-floor-tau-sigma']], page: 'asgd-floor-tau-sigma.md' },
  '3': { examples: [['04-rl-response-asymmetry.json', 'rl-response-asymmetry']], page: 'rl-response-asymmetry.md' },
  '5': { examples: [['09-zero-shifting.json', 'zero-shifting'], ['14-zero-shifting-512.json', 'zero-shifting-512']], page: 'zero-shifting.md' },
  '6': { examples: [['07-sp-offset-study.json', 'sp-offset'], ['15-rider-tracking-rate.json', 'rider-tracking-rate']], page: 'rider-invariant.md' },
  '7': { examples: [['10-pulses-to-target.json', 'pulses-to-target']], page: 'pulses-to-target.md' },
  '8': { examples: [['08-chopper-sweep.json', 'chopper-sweep']], page: 'chopper-sweep.md' },
  '9': { examples: [['05-multi-tile-toy.json', 'multi-tile-toy']], page: 'multi-tile-toy.md' },
};
claims['4'] = claims['3']!;

const args = process.argv.slice(2);
const claim = args[0];
const seedsAt = args.indexOf('--seeds');
if (!claim || !claims[claim]) {
  process.stderr.write(`usage: npm run reproduce -- <claim> [--seeds 0,1,2,3,4]; claims: ${Object.keys(claims).sort().join(', ')}\n`);
  process.exit(2);
}
const { examples, page } = claims[claim]!;
for (const [example, name] of examples) {
  let file = join('examples', example);
  if (seedsAt >= 0) {
    // Another seed set: a copy of the example with those seeds, results beside the page's.
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.seeds = args[seedsAt + 1]!.split(',').map(Number);
    file = join(mkdtempSync(join(tmpdir(), 'aimsim-reproduce-')), example);
    writeFileSync(file, JSON.stringify(config));
  }
  const out = join('docs/reproductions', `${name}${seedsAt >= 0 ? '-other-seeds' : ''}.json`);
  const code = await main(['study', file, '--out', out, '--plot', out.replace(/\.json$/, '.svg')]);
  if (code !== 0) process.exit(code);
}
process.stdout.write(`\npage: docs/reproductions/${page}\n`);
