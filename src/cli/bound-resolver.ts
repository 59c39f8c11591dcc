// Keeps the system resolver's retry schedule within the longest dns timeout, so a silent resolver cannot hold the process.
import type { ProbePlan } from '../scenario/plan.js';

/** glibc's defaults (resolv.conf(5)): 5 s per try, 2 tries per name server. */
const GLIBC_TIMEOUT_S = 5;

/**
 * The RES_OPTIONS that truncate glibc's default schedule (5 s per try, 2 tries) at `dnsTimeoutMs`: a shorter
 * per-try wait and only as many tries as fit. An answer the probe would have waited for still arrives, since a
 * probe gives up at its dns timeout anyway; what goes is the getaddrinfo() call that runs on after that timeout in
 * libuv's thread pool, which nothing can cancel and which process.exit() waits for (libuv joins its threads).
 */
export function resolverOptionsFor(dnsTimeoutMs: number): string {
  const timeoutS = Math.max(1, Math.min(GLIBC_TIMEOUT_S, Math.ceil(dnsTimeoutMs / 1000)));
  const attempts = Math.max(1, Math.min(2, Math.ceil(dnsTimeoutMs / 1000 / timeoutS)));
  return `timeout:${timeoutS} attempts:${attempts}`;
}

/**
 * Sets RES_OPTIONS for this process from the plans' longest dns timeout, before the first lookup (glibc reads it
 * when a thread first resolves). A RES_OPTIONS the user set is left alone; other C libraries ignore the variable.
 */
export function boundResolverRetries(plans: readonly ProbePlan[], env: NodeJS.ProcessEnv): void {
  if (env.RES_OPTIONS !== undefined || plans.length === 0) return;
  const longestMs = Math.max(...plans.map((plan) => plan.timeoutsMs.dns));
  env.RES_OPTIONS = resolverOptionsFor(longestMs);
}
