import { type Usage, WHOLE_MACHINE } from '../support/procStats.ts';
import { round } from '../support/stats.ts';
import type { Report } from './summary.ts';

const table = (headers: string[], rows: (string | number)[][]) =>
  [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

const ms = (value: number) => (Number.isFinite(value) ? `${round(value, value < 10 ? 1 : 0)}` : '–');
const pct = (value: number) => `${round(value * 100, 1)}%`;
const failures = (counts: Record<string, number> | undefined) =>
  Object.entries(counts ?? {})
    .filter(([status]) => !status.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);

const STEPS: Record<string, string> = {
  place: 'POST /orders',
  status: 'GET /orderStatus/{id} right after the 201',
  read: 'GET /orders/{id}',
  cancel: 'POST /orders/{id}/cancel',
};

/** Answers other than 2xx per step: a 404 on the status right after placing is the read model catching up. */
function unexpected(counts: Record<string, Record<string, number>>): string {
  const notes = Object.entries(counts).flatMap(([step, byStatus]) => {
    const all = Object.values(byStatus).reduce((a, b) => a + b, 0);
    return Object.entries(byStatus)
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, n]) => `${STEPS[step] ?? step} answered ${status} ${round(n, 0)} times (${pct(n / all)})`);
  });
  return notes.length
    ? `Not 2xx at saturation: ${notes.join('; ')}. A 404 on the status means the read model had not seen the order yet.`
    : 'Every request of the mix was answered 2xx.';
}

function resources(report: Report): string {
  const { idle, load } = report.median.usage;
  const loadOf = (name: string) => load.find((u) => u.name === name);
  const serviceCores = load.filter((u) => !u.infra && u.name !== 'load generator');
  const sutCores = serviceCores.reduce((sum, u) => sum + u.cpuCores, 0);
  const rows = [...idle, ...load.filter((u) => !idle.some((i) => i.name === u.name))].map((u: Usage) => {
    const atIdle = idle.find((i) => i.name === u.name);
    const busy = loadOf(u.name);
    const isService = serviceCores.some((s) => s.name === u.name);
    return [
      u.name,
      atIdle ? round(atIdle.rssMeanMb, 0) : '–',
      busy ? `${round(busy.rssMeanMb, 0)} / ${round(busy.rssMaxMb, 0)}` : '–',
      atIdle ? round(atIdle.cpuCores, 2) : '–',
      busy ? round(busy.cpuCores, 2) : '–',
      busy && isService && sutCores > 0 ? pct(busy.cpuCores / sutCores) : '',
    ];
  });
  const machine = loadOf(WHOLE_MACHINE);
  const infraCores = load.filter((u) => u.infra && u.name !== WHOLE_MACHINE).reduce((sum, u) => sum + u.cpuCores, 0);
  const generator = loadOf('load generator')?.cpuCores ?? 0;
  const perOrder = (cores: number) => `${round((cores * 1000) / report.median.saturation.placedPerSecond, 1)} ms`;
  const lines = [
    `CPU per placed order at saturation (the whole mix, 3.1 requests): ${perOrder(sutCores)} in the services`,
    infraCores > 0 ? `, ${perOrder(sutCores + infraCores)} with the broker and the database servers` : '',
    machine ? `, ${perOrder(machine.cpuCores)} for the whole machine.` : '.',
    machine
      ? ` Processes that are not part of this run used about ${round(Math.max(0, machine.cpuCores - sutCores - infraCores - generator), 2)} cores meanwhile` +
        " (the database servers are counted machine-wide, so their share may include others' queries too)."
      : '',
  ];
  const cost = lines.join('');
  return `${table(
    [
      'process',
      'RSS idle (MB)',
      'RSS at saturation mean / max (MB)',
      'CPU idle (cores)',
      'CPU at saturation (cores)',
      "share of the services' CPU",
    ],
    rows,
  )}\n\n${cost}`;
}

function profile(report: Report): string {
  if (report.profile.length === 0) return '_Not profiled in this run (add `--profile`)._';
  return report.profile
    .map((p) =>
      [
        `**${p.process}** — ${round(p.busyMs / 1000, 1)} s busy`,
        '',
        table(
          ['area', 'self time'],
          p.areas.slice(0, 8).map((a) => [a.name, pct(a.share)]),
        ),
        '',
        table(
          ['function', 'self time'],
          p.functions.slice(0, 10).map((f) => [`\`${f.name}\``, pct(f.share)]),
        ),
      ].join('\n'),
    )
    .join('\n\n');
}

/** The readable report: the medians of the repeats, with the method in a few lines. */
export function markdownReport(report: Report, chart: string): string {
  const { meta, median } = report;
  const m = meta.machine;
  const sagaRow = (label: string, s: (typeof median.open)[number]['saga']['placed']) => [
    label,
    ms(s.recorded.p50),
    ms(s.recorded.p99),
    ms(s.visible.p50),
    ms(s.visible.p99),
    s.recorded.count,
    s.unfinished,
  ];
  return `# Benchmark: ${meta.mode} mode

${meta.startedAt} · ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node} (${m.platform}) ·
median of ${meta.repeat} run(s) · ${meta.phaseSeconds} s phases · ${meta.connections} connections in the closed loop ·
LOG_LEVEL=${meta.logLevel}${meta.quick ? ' · --quick' : ''}

${meta.notes.map((n) => `- ${n}`).join('\n')}

![POST /orders latency and throughput](${chart})

## Throughput at saturation (closed loop)

${table(
  ['', 'per second', 'vs baseline'],
  [
    ['orders placed (201)', round(median.saturation.placedPerSecond, 1), pct(median.ratio.placedToBaseline)],
    ['requests in the mix', round(median.saturation.requestsPerSecond, 1), pct(median.ratio.requestsToBaseline)],
    ['baseline: trivial GET through the gateway', round(median.baseline.requestsPerSecond, 1), '100%'],
  ],
)}

Every placed order comes with a status query, an order read and, one time in ten, a cancellation:
3.1 requests per order. Latency of all mix requests at saturation: p50
${ms(median.saturation.latencyMs.p50)} ms, p99 ${ms(median.saturation.latencyMs.p99)} ms (autocannon).
${unexpected(median.saturation.counts)}

## POST /orders latency, open model (constant arrival rate)

${table(
  ['load', 'offered orders/s', 'placed/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-201'],
  median.open.map((o) => [
    pct(o.share),
    round(o.offeredPerSecond, 1),
    round(o.placedPerSecond, 1),
    ms(o.placeLatencyMs.p50),
    ms(o.placeLatencyMs.p90),
    ms(o.placeLatencyMs.p99),
    ms(o.placeLatencyMs.max),
    failures(o.counts.place),
  ]),
)}

## Saga completion (sample of each open phase)

"recorded": from the client receiving 201 (or the cancellation's 200) to the final event's
\`occurredAt\` in the order's timeline; "visible": to the order-status view's \`updatedAt\`, when the
read model showed it. Placed → "Delivery Started"; cancelled → "Order Canceled" with the delivery cancelled.

${table(
  ['load', 'recorded p50 ms', 'recorded p99 ms', 'visible p50 ms', 'visible p99 ms', 'sampled', 'unfinished'],
  median.open.flatMap((o) => [
    sagaRow(`${pct(o.share)} placed`, o.saga.placed),
    sagaRow(`${pct(o.share)} cancelled`, o.saga.canceled),
  ]),
)}

## Memory and CPU

${resources(report)}

## Start-up: process spawn to /health/ready

${table(
  ['process', 'ms'],
  Object.entries(median.startupMs).map(([name, value]) => [name, ms(value)]),
)}

## Where the time goes (CPU profile at saturation)

${profile(report)}
`;
}
