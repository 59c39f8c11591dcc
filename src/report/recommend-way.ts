// The one line `mqttprobe check` ends with: which way into the endpoint to use from this network, and why not others.
import { familyName, OUTCOME_CODES } from '../probe/diagnosis/family-words.js';
import type { PlanSummary, Recommendation, RunReport, ScenarioOutcome } from '../run/result.js';
import { phaseFigure } from './cells.js';
import { formatMs } from './format-ms.js';

export type { Recommendation } from '../run/result.js';

const BLOCKED = new Set([
  'tcp.timeout',
  'tcp.refused',
  'tcp.reset',
  // A reset or close on the ClientHello (an SNI filter, a DPI box): what tcp.reset during tls used to report.
  'tls.closed-before-server-hello',
  'proxy.refused',
  'tls.timeout',
]);

/** "443 with ALPN x-amzn-mqtt-ca through the proxy" */
export function describeWay(plan: PlanSummary): string {
  const ws = plan.transport === 'wss' || plan.transport === 'ws';
  const alpn =
    !ws && plan.alpn.length > 0
      ? ` with ALPN ${plan.alpn.join(',')}`
      : !ws && plan.transport === 'mqtts' && plan.port === 443
        ? ' without ALPN'
        : '';
  return `${ws ? 'MQTT over WebSockets on ' : ''}${plan.port}${alpn}${plan.proxy ? ' through the proxy' : ''}`;
}

function latency(o: ScenarioOutcome): string {
  const f = phaseFigure(o, 'total');
  return f.kind === 'stats' ? `p50 ${formatMs(f.p50Ms)}` : formatMs(o.representative.totalMs);
}

function why(o: ScenarioOutcome): string {
  const code = o.diagnosis?.code ?? 'failed';
  // A proxy judges the port it is asked for; when that is not the one the way names (the emulator's own ports),
  // say which it was, or "443 through the proxy is blocked" would be about a port the proxy never saw.
  const d = o.diagnosis;
  const asked = d?.code === 'proxy.refused' || d?.code === 'proxy.timeout' ? d.evidence.port : undefined;
  const port = asked !== undefined && asked !== o.plan.port ? `, the proxy was asked for port ${asked}` : '';
  return `${describeWay(o.plan)} ${BLOCKED.has(code) ? 'is blocked' : 'fails'} (${code}${port})`;
}

/** When the way worked over one IP family only (the other failed to connect): which, and the other's code. */
function workingFamily(o: ScenarioOutcome): { used: string; failed: string; code: string } | undefined {
  for (const probe of o.probes) {
    const used = probe.familyAttempts?.find((a) => a.used);
    const failed = probe.familyAttempts?.find((a) => a.outcome !== 'connected');
    if (used && failed && failed.outcome !== 'connected') {
      return {
        used: familyName(used.family),
        failed: familyName(failed.family),
        code: OUTCOME_CODES[failed.outcome],
      };
    }
  }
  return undefined;
}

/** Picks the first way, in the file's order of preference, whose probes all passed. Ways are scenarios tagged `way`. */
export function recommendWay(report: RunReport): Recommendation {
  const ways = report.scenarios.filter((o) => o.plan.tags.includes('way'));
  const best = ways.find((o) => o.met && o.verdict === 'pass');
  const failed = ways.filter((o) => !o.met).map(why);
  if (!best) {
    return {
      found: false,
      text: `No way through from this network: ${failed.join('; ') || 'no way was tried'}.`,
    };
  }
  const others = failed.length > 0 ? `; ${failed.join('; ')}` : '';
  const family = workingFamily(best);
  return {
    found: true,
    text: `From this network use ${describeWay(best.plan)}${family ? ` over ${family.used}` : ''} (${latency(best)}${family ? `; ${family.failed} fails there: ${family.code}` : ''})${others}.`,
  };
}
