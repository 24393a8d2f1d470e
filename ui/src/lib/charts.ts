/**
 * The window's one door to Apache ECharts, tree-shaken to what the Insights charts use: bars,
 * lines and a heatmap drawn as SVG (sharp at any zoom, and drawn as a string in Node, which
 * lets the tests render a chart without a canvas). Its Chinese locale is registered here once.
 * The charts take their colours from the theme's CSS variables, so they read in both themes.
 */
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  DatasetComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import langZH from 'echarts/lib/i18n/langZH.js';
import type { UiLanguage } from './i18n/index.svelte';

echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  AriaComponent,
  DatasetComponent,
  // Not drawn (each chart's heading is the page's): the title names the chart in its ARIA description.
  TitleComponent,
  SVGRenderer,
]);
echarts.registerLocale('ZH', langZH);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | HeatmapSeriesOption
  | AriaComponentOption
  | DatasetComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export { echarts };

/** ECharts' name for the window's language (its English is built in). */
export function chartLocale(lang: UiLanguage): 'ZH' | 'EN' {
  return lang === 'zh' ? 'ZH' : 'EN';
}

/** The theme's colours a chart is drawn in, resolved to real colours (SVG attributes cannot read CSS variables). */
export interface ChartPalette {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  /** The main series (revenue, brands). */
  primary: string;
  /** The second series (purchases, categories). */
  secondary: string;
  /** The heatmap's empty and full ends. */
  low: string;
  high: string;
  font: string;
  /** A CSS variable's value by name ("--badge-collector-fg"), for the segments' tones. */
  resolve: (variable: string) => string;
}

/** The light theme's values (app.css), for tests and until the page's styles are read. */
const LIGHT: Record<string, string> = {
  '--text': '#1b2638',
  '--text-soft': '#33405a',
  '--text-muted': '#667085',
  '--border': '#e4ddcf',
  '--border-strong': '#cfc6b4',
  '--surface': '#fffdf8',
  '--surface-2': '#f3efe6',
  '--accent': '#b08d3c',
  '--link': '#23477a',
  '--chip-bg': '#ece6d8',
  '--badge-collector-fg': '#7a5a12',
  '--badge-trade-fg': '#2b5a38',
  '--badge-retail-fg': '#22406b',
  '--danger-strong': '#8c1d18',
  '--font': "'Inter Variable', 'Noto Sans SC', system-ui, sans-serif",
};

/** The palette of the theme in force where `el` sits, or the light theme's without an element. */
export function readPalette(el?: Element | null): ChartPalette {
  const style = el && typeof getComputedStyle === 'function' ? getComputedStyle(el) : null;
  const resolve = (variable: string) => style?.getPropertyValue(variable).trim() || LIGHT[variable] || LIGHT['--text'];
  return {
    text: resolve('--text'),
    muted: resolve('--text-muted'),
    grid: resolve('--border'),
    surface: resolve('--surface'),
    primary: resolve('--accent'),
    secondary: resolve('--link'),
    low: resolve('--surface-2'),
    high: resolve('--accent'),
    font: resolve('--font'),
    resolve,
  };
}

/** "var(--badge-collector-fg)" → the colour it stands for in the palette's theme. */
export function resolveColour(palette: ChartPalette, css: string): string {
  const name = /^var\((--[\w-]+)\)$/.exec(css.trim())?.[1];
  return name ? palette.resolve(name) : css;
}
