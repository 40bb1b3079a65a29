// The dashboard: open work, deadlines and failing systems, the same figures the deadline sweep puts in its metrics,
// and a chart of completions against their deadlines per week (uPlot, canvas; its data also shown as a table).
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { Lang } from '../i18n.ts';
import type { AdminApi, Dashboard } from './admin.ts';
import { type CT, formatDay, formatTime, labelOf } from './i18n.ts';
import type { PageProps } from './main.tsx';
import { Scroll } from './queue.tsx';
import 'uplot/dist/uPlot.min.css';

export function DashboardView(props: PageProps & { api: AdminApi }) {
  const { t, lang, api, heading } = props;
  const [d, setD] = useState<Dashboard | undefined>();
  useEffect(() => {
    void api.dashboard().then(setD, props.onError);
  }, []);
  const open = Object.entries(d?.open ?? {});
  return (
    <section>
      <h1 ref={heading} tabIndex={-1}>
        {t('dash.heading')}
      </h1>
      {!d && <p aria-live="polite">{t('loading')}</p>}
      {d && (
        <>
          <p class="hint">{t('dash.at', { at: formatTime(lang, d.at) })}</p>
          <div class="figures">
            <Figure label={t('dash.open')} value={open.reduce((n, [, v]) => n + v, 0)} />
            <Figure label={t('dash.dueThisWeek')} value={d.dueThisWeek} />
            <Figure
              label={t('dash.overdue')}
              value={d.overdue}
              tone={d.overdue > 0 ? 'overdue' : undefined}
            />
          </div>
          <div class="columns">
            <div>
              <h2>{t('dash.byStatus')}</h2>
              <dl class="summary">
                {open.map(([status, n]) => [
                  <dt key={`t${status}`}>{labelOf(t, 'st', status)}</dt>,
                  <dd key={`d${status}`}>{n}</dd>,
                ])}
              </dl>
              <h2>{t('dash.daysToComplete')}</h2>
              <Scroll label={t('dash.daysToComplete')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('col.type')}</th>
                      <th scope="col">{t('dash.median')}</th>
                      <th scope="col">{t('dash.p95')}</th>
                      <th scope="col">{t('dash.completed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(d.daysToComplete).map(([type, s]) => (
                      <tr key={type}>
                        <th scope="row">{labelOf(t, 'type', type)}</th>
                        <td>{s.median}</td>
                        <td>{s.p95}</td>
                        <td>{s.completed}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Scroll>
              <h2>{t('dash.failing')}</h2>
              {d.failingSystems.length === 0 ? (
                <p>{t('dash.noFailing')}</p>
              ) : (
                <ul class="plain">
                  {d.failingSystems.map((s) => (
                    <li key={s.system} data-system={s.system}>
                      <strong>{s.system}</strong> · {t('dash.failingRequests', { n: String(s.requests) })}
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h2 id="chart-h">{t('dash.chart')}</h2>
              <Chart t={t} lang={lang} completions={d.completions} />
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function Figure({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <p class={`figure ${tone ?? ''}`}>
      <span class="value">{value}</span> <span class="label">{label}</span>
    </p>
  );
}

const COLOURS = { onTime: '#1f7a3a', late: '#a4161a', extended: '#b35c00' };

function Chart({ t, lang, completions }: { t: CT; lang: Lang; completions: Dashboard['completions'] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || completions.length === 0) return;
    const x = completions.map((c) => Date.parse(`${c.week}T00:00:00Z`) / 1000);
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    const series = (key: keyof typeof COLOURS) => ({
      label: t(`dash.${key}`),
      stroke: COLOURS[key],
      fill: `${COLOURS[key]}cc`,
      paths: bars,
    });
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 260,
        scales: { x: { time: true } },
        axes: [{}, { label: t('dash.requests') }],
        series: [{ label: t('dash.week') }, series('onTime'), series('late'), series('extended')],
      },
      [
        x,
        completions.map((c) => c.onTime),
        completions.map((c) => c.late),
        completions.map((c) => c.extended),
      ],
      el,
    );
    // The chart follows its column's width (two columns at 1280 px, one at phone width).
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(240, el.clientWidth), height: 260 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [completions, lang]);
  if (completions.length === 0) return <p>{t('dash.noCompletions')}</p>;
  return (
    <>
      <div ref={box} class="chart" role="img" aria-labelledby="chart-h" />
      <details>
        <summary>{t('dash.chartTable')}</summary>
        <Scroll label={t('dash.chartTable')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dash.week')}</th>
                <th scope="col">{t('dash.onTime')}</th>
                <th scope="col">{t('dash.late')}</th>
                <th scope="col">{t('dash.extended')}</th>
              </tr>
            </thead>
            <tbody>
              {completions.map((c) => (
                <tr key={c.week}>
                  <th scope="row">{formatDay(lang, c.week)}</th>
                  <td>{c.onTime}</td>
                  <td>{c.late}</td>
                  <td>{c.extended}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      </details>
    </>
  );
}
