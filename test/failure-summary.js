#!/usr/bin/env node
// Prints the failing tests of jest JSON result files (jest --json --outputFile) in a few lines
// each. test/run-all.sh calls it last, after the cluster teardown, so a CI log that keeps only
// its tail still names what failed and why.
'use strict';
const fs = require('node:fs');

const MAX_MESSAGE_LINES = 12;
const ansi = /\u001b\[[0-9;]*m/g;

function failures(file) {
  const result = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out = [];
  for (const suite of result.testResults ?? []) {
    const failed = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
    if (!failed.length && suite.status === 'failed') out.push({ where: suite.name, message: suite.message ?? '' });
    for (const a of failed) out.push({ where: `${suite.name} › ${a.fullName}`, message: (a.failureMessages ?? []).join('\n') });
  }
  return out;
}

function main(files) {
  let total = 0;
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    let list;
    try {
      list = failures(file);
    } catch (e) {
      console.log(`(cannot read ${file}: ${e.message})`);
      continue;
    }
    for (const f of list) {
      total++;
      const lines = f.message
        .replace(ansi, '')
        .split('\n')
        .filter((l) => l.trim() && !/^\s+at /.test(l));
      console.log(`FAILED ${f.where.replace(process.cwd() + '/', '')}`);
      for (const l of lines.slice(0, MAX_MESSAGE_LINES)) console.log(`    ${l.slice(0, 400)}`);
      if (lines.length > MAX_MESSAGE_LINES) console.log(`    … ${lines.length - MAX_MESSAGE_LINES} more line(s)`);
    }
  }
  if (!total) console.log('no failing test recorded');
}

main(process.argv.slice(2));
