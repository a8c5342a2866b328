export { buildDiagram, nodeId, podGroupId } from './model';
export { toDot } from './dot';
export { toMermaid } from './mermaid';
export { renderSvg, dotToSvg } from './render';
export * from './types';
