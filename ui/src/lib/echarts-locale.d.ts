/**
 * ECharts ships its locales as plain ES modules without declarations of their own: the Chinese
 * one is the object `registerLocale` takes.
 */
declare module 'echarts/lib/i18n/langZH.js' {
  const locale: Parameters<typeof import('echarts/core').registerLocale>[1];
  export default locale;
}
