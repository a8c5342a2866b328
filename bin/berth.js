#!/usr/bin/env -S node --max-semi-space-size=2
'use strict';
// The berth CLI, run straight from its TypeScript sources: ./ts-hook.js transpiles each module
// on first use and caches it by content, so there is no build step to forget and no stale build.
// The flag caps V8's young generation: synth of 1000 WebApp+MongoDatabase pairs peaks far lower
// at no measurable cost in time (bench/results/synth-*.md). npm scripts pass the same flag.
require('node:module').enableCompileCache?.();
require('./ts-hook').register();
// src/cli/main.ts checks the Node version before it loads anything else.
require('../src/cli/main.ts');
