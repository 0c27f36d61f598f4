import { round } from '../support/stats.ts';
import type { Report } from './summary.ts';

const escapeXml = (text: string) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2'];

type Bar = { label: string; value: number; color: string };
type Group = { label: string; bars: Bar[] };

/** A bar chart panel at (x, y): groups of bars on a linear axis from 0, each bar labelled with its value. */
function panel(x: number, y: number, width: number, height: number, title: string, unit: string, groups: Group[]) {
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const plotTop = y + 40;
  const plotHeight = height - 90;
  const groupWidth = width / groups.length;
  const parts = [
    `<text x="${x}" y="${y + 18}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${x}" y1="${plotTop + plotHeight}" x2="${x + width}" y2="${plotTop + plotHeight}" stroke="#999"/>`,
  ];
  groups.forEach((group, g) => {
    const barWidth = (groupWidth * 0.8) / group.bars.length;
    const left = x + g * groupWidth + groupWidth * 0.1;
    group.bars.forEach((bar, b) => {
      const value = Number.isFinite(bar.value) ? bar.value : 0;
      const h = (value / max) * plotHeight;
      const bx = left + b * barWidth;
      parts.push(
        `<rect x="${bx + 2}" y="${plotTop + plotHeight - h}" width="${barWidth - 4}" height="${h}" fill="${bar.color}"><title>${escapeXml(`${group.label} ${bar.label}: ${round(value, 1)} ${unit}`)}</title></rect>`,
        `<text x="${bx + barWidth / 2}" y="${plotTop + plotHeight - h - 4}" font-size="11" text-anchor="middle">${round(value, value < 10 ? 1 : 0)}</text>`,
      );
    });
    parts.push(
      `<text x="${left + groupWidth * 0.4}" y="${plotTop + plotHeight + 16}" font-size="12" text-anchor="middle">${escapeXml(group.label)}</text>`,
    );
  });
  const legend = groups
    .flatMap((g) => g.bars)
    .filter((bar, i, all) => all.findIndex((b) => b.label === bar.label) === i);
  legend.forEach((bar, i) => {
    const lx = x + i * 150;
    parts.push(
      `<rect x="${lx}" y="${y + height - 18}" width="12" height="12" fill="${bar.color}"/>`,
      `<text x="${lx + 16}" y="${y + height - 8}" font-size="12">${escapeXml(bar.label)}</text>`,
    );
  });
  return parts.join('\n');
}

/** The chart beside the table: POST /orders latency under the open model, and throughput against the baseline. */
export function svgChart(report: Report): string {
  const { median, meta } = report;
  const latency = panel(
    20,
    50,
    520,
    340,
    'POST /orders latency (ms), open model',
    'ms',
    median.open.map((o) => ({
      label: `${Math.round(o.share * 100)}% · ${round(o.offeredPerSecond, 0)}/s`,
      bars: (['p50', 'p90', 'p99'] as const).map((p, i) => ({
        label: p,
        value: o.placeLatencyMs[p],
        color: COLORS[i] as string,
      })),
    })),
  );
  const throughput = panel(580, 50, 380, 340, 'Throughput at saturation (per second)', '/s', [
    {
      label: 'orders placed',
      bars: [{ label: 'system', value: median.saturation.placedPerSecond, color: COLORS[0] as string }],
    },
    {
      label: 'mix requests',
      bars: [{ label: 'system', value: median.saturation.requestsPerSecond, color: COLORS[0] as string }],
    },
    {
      label: 'baseline GET',
      bars: [{ label: 'gateway limit', value: median.baseline.requestsPerSecond, color: COLORS[3] as string }],
    },
  ]);
  const title = `12street benchmark — ${meta.mode} mode, ${meta.machine.cpus} CPUs, median of ${meta.repeat}, ${meta.startedAt.slice(0, 10)}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="980" height="410" viewBox="0 0 980 410" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="20" y="28" font-size="17">${escapeXml(title)}</text>
${latency}
${throughput}
</svg>
`;
}
