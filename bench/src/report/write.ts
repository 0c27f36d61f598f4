import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { markdownReport } from './markdown.ts';
import type { Report } from './summary.ts';
import { svgChart } from './svg.ts';

export const RESULTS_DIR = join(import.meta.dirname, '../../results');
export const runStamp = (date: Date) => date.toISOString().replace(/[:.]/g, '-').slice(0, 19);

/**
 * Every run is kept under results/runs (git-ignored); a full run also becomes
 * results/latest-<mode>.*, the committed result of its mode. A --quick run never replaces it.
 */
export function writeReport(report: Report, stamp: string): string[] {
  const runs = join(RESULTS_DIR, 'runs');
  mkdirSync(runs, { recursive: true });
  const name = `${stamp}-${report.meta.mode}`;
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const svg = svgChart(report);
  const written = [join(runs, `${name}.json`), join(runs, `${name}.md`), join(runs, `${name}.svg`)];
  writeFileSync(written[0] as string, json);
  writeFileSync(written[1] as string, markdownReport(report, `${name}.svg`));
  writeFileSync(written[2] as string, svg);
  if (!report.meta.quick) {
    const latest = `latest-${report.meta.mode}`;
    writeFileSync(join(RESULTS_DIR, `${latest}.json`), json);
    writeFileSync(join(RESULTS_DIR, `${latest}.md`), markdownReport(report, `${latest}.svg`));
    writeFileSync(join(RESULTS_DIR, `${latest}.svg`), svg);
    written.push(...['json', 'md', 'svg'].map((extension) => join(RESULTS_DIR, `${latest}.${extension}`)));
  }
  return written;
}

/** Writes the table and the chart again from a result's JSON, beside it (after the report's layout changed). */
export function renderAgain(jsonFile: string): string[] {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as Report;
  const base = jsonFile.replace(/\.json$/, '');
  writeFileSync(`${base}.md`, markdownReport(report, `${basename(base)}.svg`));
  writeFileSync(`${base}.svg`, svgChart(report));
  return [`${base}.md`, `${base}.svg`];
}
