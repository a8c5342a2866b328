/**
 * DOT → SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz):
 * no system package, same bytes for the same input on every platform.
 */
import { toDot } from './dot';
import type { Diagram } from './types';

type GraphvizModule = typeof import('@hpcc-js/wasm-graphviz');
let graphviz: Promise<Awaited<ReturnType<GraphvizModule['Graphviz']['load']>>> | undefined;

/** The package is ESM-only; Node ≥ 22.12 loads it from CommonJS (require of ESM). */
function load() {
  graphviz ??= import('@hpcc-js/wasm-graphviz').then((m) => m.Graphviz.load());
  return graphviz;
}

export async function dotToSvg(dot: string): Promise<string> {
  const svg = (await load()).dot(dot, 'svg');
  // Graphviz writes an XML prolog and DOCTYPE; an inline <svg> (HTML report) must not carry them.
  return svg.slice(svg.indexOf('<svg'));
}

export async function renderSvg(d: Diagram): Promise<string> {
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n${await dotToSvg(toDot(d))}`;
}
