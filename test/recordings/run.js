'use strict';
// record.ts straight from its TypeScript sources (as bin/berth.js runs the CLI): node test/recordings/run.js [scenario ...] [options]
require('../../bin/ts-hook').register();
require('./record.ts');
