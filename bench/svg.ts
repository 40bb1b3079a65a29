// A tiny dependency-free SVG chart writer for the benchmark report: grouped bars (figures per stage, histograms).

export interface BarSeries {
  name: string;
  values: number[];
}

export interface BarChartOptions {
  title: string;
  /** one label per group on the x axis */
  labels: string[];
  series: BarSeries[];
  unit: string;
  /** a horizontal line, e.g. a target */
  line?: { value: number; label: string };
  width?: number;
  height?: number;
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const round = (n: number) => Math.round(n * 10) / 10;

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

const label = (n: number) => (Math.abs(n) >= 100 || Number.isInteger(n) ? n.toFixed(0) : n.toPrecision(2));

/** Grouped vertical bars with a y axis, a legend and an optional target line. */
export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 320;
  const m = { top: 36, right: 16, bottom: 56, left: 56 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const finite = o.series.flatMap((s) => s.values).filter(Number.isFinite);
  const top = niceMax(Math.max(0, ...finite, o.line?.value ?? 0));
  const y = (v: number) => m.top + plotH - (Math.max(0, v) / top) * plotH;
  const groupW = plotW / Math.max(1, o.labels.length);
  const barW = (groupW * 0.8) / Math.max(1, o.series.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${xml(o.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${xml(o.title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    parts.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${round(y(v))}" y2="${round(y(v))}" stroke="#ddd"/>`,
      `<text x="${m.left - 4}" y="${round(y(v)) + 4}" text-anchor="end">${label(v)}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(14 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">${xml(o.unit)}</text>`,
  );
  o.labels.forEach((text, g) => {
    const x0 = m.left + g * groupW + groupW * 0.1;
    o.series.forEach((s, k) => {
      const v = s.values[g];
      if (v === undefined || !Number.isFinite(v)) return;
      parts.push(
        `<rect class="bar" x="${round(x0 + k * barW)}" y="${round(y(v))}" width="${round(barW * 0.95)}" height="${round(m.top + plotH - y(v))}" fill="${COLOURS[k % COLOURS.length]}"><title>${xml(`${s.name} ${text}: ${label(v)} ${o.unit}`)}</title></rect>`,
      );
    });
    if (o.labels.length <= 24 || g % Math.ceil(o.labels.length / 12) === 0)
      parts.push(
        `<text x="${round(x0 + groupW * 0.4)}" y="${m.top + plotH + 14}" text-anchor="middle">${xml(text)}</text>`,
      );
  });
  if (o.line) {
    const ly = round(y(o.line.value));
    parts.push(
      `<line class="target" x1="${m.left}" x2="${width - m.right}" y1="${ly}" y2="${ly}" stroke="#d62728" stroke-dasharray="4 3"/>`,
      `<text x="${width - m.right}" y="${ly - 4}" text-anchor="end" fill="#d62728">${xml(o.line.label)}</text>`,
    );
  }
  o.series.forEach((s, k) => {
    const x = m.left + k * 150;
    parts.push(
      `<rect x="${x}" y="${height - 18}" width="10" height="10" fill="${COLOURS[k % COLOURS.length]}"/>`,
      `<text x="${x + 14}" y="${height - 9}">${xml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
