// The Node half of `cargo xtask bench-peers`'s AWS comparison, written into target/bench-peers/
// by xtask and run there: every case of the generated corpus (one identity policy and one
// request each) simulated by @cloud-copilot/iam-simulate (installed at bench time, AGPL-3.0:
// none of its code is in iamlab's repository), library to library: `runSimulation` called in
// the same process for each request, in strict mode. Prints one
// `bench-peers<TAB>aws-decision<TAB>index<TAB>effect` line per case (iamlab's effect names),
// then `bench-peers<TAB>aws<TAB>cases<TAB>median ns per request` over 11 passes (none
// with --smoke, the figure is then 0). The same again with each policy read once for the
// requests asked of it (`aws-once-decision`, `aws-once`): iam-policy's `createValidatedPolicy`
// validates the document once, and `runSimulation` reuses that validation (it still wraps the
// document with `loadPolicy` per request), as iamlab's `simulate_each` reads a policy once.
// Usage: node aws.mjs CORPUS.json [--smoke]
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { createValidatedPolicy, validateIdentityPolicy } from '@cloud-copilot/iam-policy';

const smoke = process.argv.includes('--smoke');
const corpus = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const account = corpus.account;
const simulations = corpus.cases.map(({ policy, request }) => ({
  request: {
    principal: `arn:aws:iam::${account}:user/bench`,
    action: request.action,
    resource: { resource: request.resource, accountId: account },
    contextVariables: request.context,
  },
  identityPolicies: [{ name: 'policy', policy }],
  serviceControlPolicies: [],
  resourceControlPolicies: [],
}));
const EFFECTS = { Allowed: 'allow', ExplicitlyDenied: 'explicit_deny', ImplicitlyDenied: 'implicit_deny' };
function effectOf(result) {
  if (result.resultType === 'error') return `error: ${result.errors?.message ?? 'unknown'}`;
  return EFFECTS[result.overallResult] ?? `error: result ${result.overallResult} (${result.resultType})`;
}
for (const [index, simulation] of simulations.entries()) {
  let effect;
  try {
    effect = effectOf(await runSimulation(simulation, {}));
  } catch (error) {
    effect = `error: ${String(error.message).split('\n')[0]}`;
  }
  console.log(`bench-peers\taws-decision\t${index}\t${effect}`);
}
const samples = [];
for (let pass = 0; pass < (smoke ? 0 : 11); pass += 1) {
  const start = process.hrtime.bigint();
  for (const simulation of simulations) {
    await runSimulation(simulation, {});
  }
  samples.push(Number(process.hrtime.bigint() - start) / simulations.length);
}
samples.sort((a, b) => a - b);
const median = samples.length ? samples[Math.floor(samples.length / 2)] : 0;
console.log(`bench-peers\taws\t${simulations.length}\t${median.toFixed(1)}`);

// Consecutive cases of the corpus share their policy: one group per policy.
const groups = [];
for (const [index, { policy }] of corpus.cases.entries()) {
  const text = JSON.stringify(policy);
  if (groups.length === 0 || groups[groups.length - 1].text !== text) groups.push({ text, policy, indices: [] });
  groups[groups.length - 1].indices.push(index);
}
async function runGroupsOnce(report) {
  for (const group of groups) {
    const validated = createValidatedPolicy(group.policy, validateIdentityPolicy);
    for (const index of group.indices) {
      const simulation = { ...simulations[index], identityPolicies: [{ name: 'policy', policy: validated }] };
      const result = await runSimulation(simulation, {});
      if (report) console.log(`bench-peers\taws-once-decision\t${index}\t${effectOf(result)}`);
    }
  }
}
await runGroupsOnce(true);
const onceSamples = [];
for (let pass = 0; pass < (smoke ? 0 : 11); pass += 1) {
  const start = process.hrtime.bigint();
  await runGroupsOnce(false);
  onceSamples.push(Number(process.hrtime.bigint() - start) / simulations.length);
}
onceSamples.sort((a, b) => a - b);
const onceMedian = onceSamples.length ? onceSamples[Math.floor(onceSamples.length / 2)] : 0;
console.log(`bench-peers\taws-once\t${simulations.length}\t${onceMedian.toFixed(1)}`);
