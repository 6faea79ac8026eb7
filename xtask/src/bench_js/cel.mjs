// The Node half of `cargo xtask bench-peers`'s CEL-in-JavaScript comparison, written into
// target/bench-peers/ by xtask and run there: iamlab-cel compiled to wasm (the playground's
// profile, driven through a bench-only wasm-bindgen class) against @marcbachmann/cel-js and
// cel-js, on the expressions and variables of iamlab-cel's peer benchmark. Each engine compiles
// an expression once and is evaluated in a loop on its own side of the boundary; a peer whose
// answer differs from iamlab's (or that cannot run the expression) is reported, not timed.
// Prints `bench-peers<TAB>celjs<TAB>name<TAB>iamlab ns<TAB>marcbachmann ns<TAB>cel-js ns` (`-`
// where not timed, with the reason on a `note` line) and `bench-peers<TAB>bundle<TAB>engine<TAB>gzip bytes`.
// Usage: node cel.mjs CASES.json WASM_GLUE.cjs BUNDLE_DIR [--smoke]
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const [casesPath, gluePath, bundleDir] = process.argv.slice(2);
const smoke = process.argv.includes('--smoke');
const require = createRequire(import.meta.url);
const { CelBench } = require(gluePath);
const marc = await import('@marcbachmann/cel-js');
const celjs = await import('cel-js');
const { variables, cases } = JSON.parse(readFileSync(casesPath, 'utf8'));

// The dialect functions the JavaScript engines lack, registered on their side as the cel-rust
// comparison does: Scaleway's global `inIpRange(ip, range)`, Exoscale's `ip.inIpRange(range)`
// and `map.has('key')`.
function ipBits(text) {
  if (text.includes(':')) {
    const [head, tail = ''] = text.split('::');
    const left = head ? head.split(':') : [];
    const right = text.includes('::') ? (tail ? tail.split(':') : []) : [];
    const groups = text.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
    if (groups.length !== 8) return null;
    return { bits: 128, value: groups.reduce((sum, group) => (sum << 16n) + BigInt(parseInt(group, 16)), 0n) };
  }
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !(part >= 0 && part <= 255))) return null;
  return { bits: 32, value: parts.reduce((sum, part) => (sum << 8n) + BigInt(part), 0n) };
}
function inIpRange(ip, range) {
  const [network, prefixText] = String(range).split('/');
  const address = ipBits(String(ip));
  const base = ipBits(network);
  const prefix = BigInt(Number(prefixText));
  if (!address || !base || address.bits !== base.bits) return false;
  const shift = BigInt(address.bits) - prefix;
  return address.value >> shift === base.value >> shift;
}
const environment = new marc.Environment({ unlistedVariablesAreDyn: true })
  .registerFunction('inIpRange(string, string): bool', inIpRange)
  .registerFunction('string.inIpRange(string): bool', inIpRange)
  .registerFunction('map.has(string): bool', (map, key) => (map instanceof Map ? map.has(key) : Object.hasOwn(map, key)));
const celjsFunctions = { inIpRange };

// The JavaScript engines read timestamps as Date objects (iamlab's declarations type
// `request.time` as a timestamp when they read the same JSON).
const context = structuredClone(variables);
if (context.request && typeof context.request.time === 'string') context.request.time = new Date(context.request.time);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
const SAMPLES = smoke ? 1 : 31;
const ITERATIONS = smoke ? 1 : 2000;
// The median time of one evaluation in nanoseconds; `loop(n)` evaluates n times. The warm-up
// lasts 200 ms, not a number of loops: V8 optimises hot wasm functions (as hot JavaScript) on a
// background thread, which a loaded machine delays, so that with 2,000 evaluations of warm-up
// the first expression was timed partly in V8's baseline code (the same expression measured
// again at the end of the run was 1.5x faster).
const WARM_UP_NANOS = 200_000_000n;
function time(loop) {
  if (!smoke) {
    const until = process.hrtime.bigint() + WARM_UP_NANOS;
    do loop(ITERATIONS); while (process.hrtime.bigint() < until);
  }
  const samples = [];
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    const start = process.hrtime.bigint();
    loop(ITERATIONS);
    samples.push(Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  return median(samples);
}
const render = (value) => (typeof value === 'boolean' ? String(value) : `not a boolean: ${String(value)}`);
const format = (nanos) => (smoke ? '0' : nanos.toFixed(1));

for (const { name, dialect, expression } of cases) {
  const ours = new CelBench(dialect, expression, JSON.stringify(variables));
  const expected = ours.value();
  const iamlab = time((n) => ours.run(n));
  const peers = [];
  const attempts = [
    ['@marcbachmann/cel-js', () => environment.parse(expression), (compiled) => compiled(context)],
    ['cel-js', () => { const parsed = celjs.parse(expression); if (!parsed.isSuccess) throw new Error(parsed.errors.join(', ')); return parsed.cst; },
      (cst) => celjs.evaluate(cst, context, celjsFunctions)],
  ];
  for (const [peer, compile, evaluate] of attempts) {
    let compiled;
    let answer;
    try {
      compiled = compile();
      answer = render(evaluate(compiled));
    } catch (error) {
      answer = `error: ${String(error.message).split('\n')[0]}`;
    }
    if (answer !== expected) {
      console.log(`bench-peers\tnote\t${name}\t${peer} not timed: it answers ${answer}, iamlab ${expected}`);
      peers.push('-');
      continue;
    }
    peers.push(format(time((n) => { let matched = 0; for (let i = 0; i < n; i += 1) if (evaluate(compiled) === true) matched += 1; return matched; })));
  }
  ours.free();
  console.log(`bench-peers\tceljs\t${name}\t${format(iamlab)}\t${peers.join('\t')}`);
}

// Bundle sizes: what a page downloads for each engine, gzip level 9.
for (const engine of readdirSync(bundleDir).sort()) {
  const files = readdirSync(join(bundleDir, engine)).sort();
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(bundleDir, engine, file)), { level: 9 }).length, 0);
  console.log(`bench-peers\tbundle\t${engine}\t${bytes}\t${files.join(' + ')}`);
}
