/** The chart library inlined into the HTML report: uPlot's browser build, read from node_modules. */
import * as fs from 'node:fs';
import type { HtmlAssets } from './html';

export function loadHtmlAssets(): HtmlAssets {
  const read = (file: string) => fs.readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
  return { chartJs: read('uPlot.iife.min.js'), chartCss: read('uPlot.min.css') };
}
