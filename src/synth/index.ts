export { synth, renderApp, renderApps, writeRendered, SynthOptions, SynthedFile, RenderedApp } from './synth';
export { SynthError } from './errors';
export { loadApp, appSourceFiles, forgetProjectModules, AppModule } from './load-app';
export { listApps, appEntry, defaultAppsRoot, projectRoot, BERTH_ROOT } from './project';
