export { synth, renderApp, SynthOptions, SynthedFile, RenderedApp } from './synth';
export { SynthError } from './errors';
export { listApps, loadApp, AppModule, APPS_ROOT } from './load-app';
