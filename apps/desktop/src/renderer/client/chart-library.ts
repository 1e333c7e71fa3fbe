/**
 * What the value chart uses of lightweight-charts, in one module: the desk loads it before the client
 * screen's chunk (desk.tsx, ui/import-in-turn.ts), so that the library is evaluated in a task of its
 * own. Named here, not imported whole, so that the build still leaves out what the chart does not use.
 */
export {
  AreaSeries,
  ColorType,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
