import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundResolverRetries, resolverOptionsFor } from '../../src/cli/bound-resolver.js';
import { makePlan } from '../helpers/make-plan.js';

const cases: Array<{ name: string; dnsMs: number; expect: string }> = [
  { name: 'a 3 s dns timeout allows one 3 s try', dnsMs: 3000, expect: 'timeout:3 attempts:1' },
  { name: 'a 1.5 s timeout rounds the try up to 2 s', dnsMs: 1500, expect: 'timeout:2 attempts:1' },
  {
    name: 'under a second is still a 1 s try (glibc counts seconds)',
    dnsMs: 200,
    expect: 'timeout:1 attempts:1',
  },
  { name: 'the 5 s default is glibc`s one try', dnsMs: 5000, expect: 'timeout:5 attempts:1' },
  { name: '8 s keeps glibc`s second try', dnsMs: 8000, expect: 'timeout:5 attempts:2' },
  { name: 'a minute is never more than glibc`s own schedule', dnsMs: 60_000, expect: 'timeout:5 attempts:2' },
];
for (const c of cases) test(c.name, () => assert.equal(resolverOptionsFor(c.dnsMs), c.expect));

test('the longest dns timeout of the run sets RES_OPTIONS, and a RES_OPTIONS the user set stays', () => {
  const plans = [makePlan({ timeoutsMs: { dns: 1000 } }), makePlan({ timeoutsMs: { dns: 3000 } })];
  const env: NodeJS.ProcessEnv = {};
  boundResolverRetries(plans, env);
  assert.equal(env.RES_OPTIONS, 'timeout:3 attempts:1');
  const mine: NodeJS.ProcessEnv = { RES_OPTIONS: 'rotate' };
  boundResolverRetries(plans, mine);
  assert.equal(mine.RES_OPTIONS, 'rotate');
});
