/**
 * `npm run bench [-- --time MS]`: runs every benchmark, prints a table and writes
 * bench/results/latest.json (machine, date, command). Record notable runs in BENCHMARKS.md.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { machineInfo } from './machine.js';
import { benchTile } from './tile.bench.js';

const timeFlag = process.argv.indexOf('--time');
const time = timeFlag > 0 ? Number(process.argv[timeFlag + 1]) : 3000;

const machine = machineInfo();
const rows = await benchTile(time);
console.log(`aimsim benchmarks — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}`);
console.log('| benchmark | ms per call | ± % | throughput |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.msPerCall.toFixed(2)} | ${r.rme.toFixed(1)} | ${r.value.toFixed(2)} ${r.unit} |`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json.tmp', JSON.stringify({ machine, rows }, null, 2));
renameSync('bench/results/latest.json.tmp', 'bench/results/latest.json');
