import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synth, SynthError } from '../../../src/synth';

const FIXTURES = path.join(__dirname, 'fixtures');

function failingSynth(app: string): { problems: string[]; out: string } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-refusals-')), 'dist');
  try {
    synth({ appsRoot: FIXTURES, apps: [app], outDir: out });
  } catch (e) {
    if (e instanceof SynthError) return { problems: e.problems, out };
    throw e;
  }
  throw new Error(`synth of ${app} succeeded`);
}

test('credentials in props: every one refused, none echoed, nothing written', () => {
  const { problems, out } = failingSynth('leaky');
  expect(problems.map((p) => p.slice(0, p.search(/[:=(]/)).trim())).toEqual([
    '[leaky/mongo] url',
    '[leaky/web] config.STRIPE_API_KEY',
    '[leaky/web] env.JWT_SECRET',
    '[leaky/web] env.CACHE_URL',
  ]);
  for (const p of problems) expect(p).not.toContain('correct-horse');
  expect(problems[0]).toBe(
    '[leaky/mongo] url = "mongodb://orders:***@db.example.com/orders": must not contain credentials (user:password@); put them in an existing Secret and set `credentialsSecret`',
  );
  expect(fs.existsSync(out)).toBe(false);
  expect(new SynthError(problems).message).not.toContain('correct-horse');
});

test('wrong shapes from plain JavaScript: construct path and value, no TypeError', () => {
  const { problems, out } = failingSynth('shapeless');
  expect(problems).toEqual([
    "[shapeless/web] props = undefined: must be an object such as { image: 'web:1.0.0', port: 8080 }",
    '[shapeless/api] ingress = "api.example.com": must be an object such as { host: \'my-app.com\' }',
    '[shapeless/db] storage.ephemeral = "no": must be true or false',
  ]);
  expect(fs.existsSync(out)).toBe(false);
});
