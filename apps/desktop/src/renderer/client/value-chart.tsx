import { useEffect, useRef } from 'react';
import type { HistoryPoint } from '../api/types';
import { labelsClearOfTag } from './axis-labels';
import {
  AreaSeries,
  ColorType,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from './chart-library';

const FONT_SIZE = 11;
/**
 * How far apart (px) a tick label's middle and the last-value tag's must be: half the tag (the font and
 * the library's padding of 2.5 px per 12 px of font above and below), half a label, and 2 px between.
 */
const TAG_CLEARANCE = (FONT_SIZE * (1 + 5 / 12)) / 2 + FONT_SIZE / 2 + 2;

/**
 * The chart's colours from the page's theme variables, so it is drawn as the rest of the page is. The
 * library paints on a canvas with the colours it was given, which CSS cannot reach: they are read again
 * whenever the colour scheme changes (the system's, or Electron's Theme menu, which sets the same media
 * feature), or the chart would keep the grid and labels of the scheme it was created in.
 */
function applyTheme(chart: IChartApi, series: ISeriesApi<'Area'>): void {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  chart.applyOptions({
    layout: { textColor: v('--muted') },
    grid: { vertLines: { color: v('--line') }, horzLines: { color: v('--line') } },
  });
  series.applyOptions({ lineColor: v('--accent'), topColor: v('--accent-soft') });
}

/**
 * Points for the chart. The chart library draws with numbers, so this is the one place the desk turns
 * amounts into binary floats: they become screen coordinates (a line's height in pixels), never text
 * an advisor reads as an amount — the axis labels are approximations of what the exact figures
 * elsewhere on the screen state, and a float's rounding far below a pixel changes no pixel.
 */
function plotted(points: readonly HistoryPoint[], latest: { at: string; value: string } | null) {
  const out: { time: UTCTimestamp; value: number }[] = [];
  let last = -1;
  const push = (at: string, value: string) => {
    const time = Math.floor(Date.parse(at) / 1000);
    if (time <= last) return; // The library needs strictly increasing times.
    last = time;
    out.push({ time: time as UTCTimestamp, value: Number(value) });
  };
  for (const p of points) push(p.takenAt, p.marketValue);
  if (latest) push(latest.at, latest.value);
  return out;
}

/** Value over time (lightweight-charts), with the live total as its newest point. */
export function ValueChart(props: {
  points: readonly HistoryPoint[];
  latest: { at: string; value: string } | null;
  currency: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Area'> | null>(null);
  /** The newest value plotted: where the last-value tag sits on the price axis. */
  const lastValue = useRef<number | null>(null);

  useEffect(() => {
    const made = createChart(box.current!, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: 'transparent' },
        fontSize: FONT_SIZE,
        attributionLogo: false,
      },
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false, timeVisible: true },
      handleScroll: false,
      handleScale: false,
    });
    const area = made.addSeries(AreaSeries, {
      bottomColor: 'transparent',
      lineWidth: 2,
      priceLineVisible: false,
    });
    // The tick labels as the series formats them, less those its last-value tag would cover.
    const tickLabels = (prices: number[]) => {
      const last = lastValue.current;
      return labelsClearOfTag(
        prices,
        area.priceFormatter().formatTickmarks(prices),
        (price) => area.priceToCoordinate(price),
        last === null ? null : area.priceToCoordinate(last),
        TAG_CLEARANCE,
      );
    };
    made.applyOptions({ localization: { tickmarksPriceFormatter: tickLabels } });
    applyTheme(made, area);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const onSchemeChange = () => applyTheme(made, area);
    scheme.addEventListener('change', onSchemeChange);
    series.current = area;
    chart.current = made;
    return () => {
      scheme.removeEventListener('change', onSchemeChange);
      made.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);

  useEffect(() => {
    const data = plotted(props.points, props.latest);
    lastValue.current = data.at(-1)?.value ?? null;
    series.current?.setData(data);
    chart.current?.timeScale().fitContent();
    // The axis keeps its tick labels while its range stays the same; a moved tag needs them made again.
    chart.current?.applyOptions({ localization: {} });
  }, [props.points, props.latest]);

  return (
    <div
      className="chart"
      ref={box}
      role="img"
      aria-label={`Portfolio value over time in ${props.currency}, ${props.points.length} points`}
    />
  );
}
