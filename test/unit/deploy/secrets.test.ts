import { fillGeneratedKeys, generatedKeys, randomValue } from '../../../src/deploy/secrets';
import { obj } from './fixtures';

const secret = (annotations: Record<string, string> = { 'berth.dev/generate-keys': 'password, rootPassword' }, data?: Record<string, string>) =>
  obj('Secret', 'db', { metadata: { name: 'db', namespace: 'default', annotations }, ...(data ? { data } : {}) });
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('generated secrets', () => {
  it('reads the comma list of keys', () => {
    expect(generatedKeys(secret())).toEqual(['password', 'rootPassword']);
    expect(generatedKeys(secret({}))).toEqual([]);
    expect(generatedKeys(obj('ConfigMap', 'x', { metadata: { name: 'x', annotations: { 'berth.dev/generate-keys': 'a' } } }))).toEqual([]);
  });

  it('generates 32 random alphanumeric characters per key when the Secret does not exist', () => {
    const { obj: out, generated } = fillGeneratedKeys(secret(), undefined);
    expect(generated).toEqual(['password', 'rootPassword']);
    const a = Buffer.from(out.data!.password, 'base64').toString();
    const b = Buffer.from(out.data!.rootPassword, 'base64').toString();
    expect(a).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(b).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a).not.toBe(b);
  });

  it('re-sends the live values and never overwrites them', () => {
    const live = secret(undefined, { password: b64('keep-me'), rootPassword: b64('and-me') });
    const { obj: out, generated } = fillGeneratedKeys(secret(), live);
    expect(generated).toEqual([]);
    expect(out.data).toEqual({ password: b64('keep-me'), rootPassword: b64('and-me') });
  });

  it('generates only the keys missing from the live Secret', () => {
    const live = secret(undefined, { password: b64('keep-me') });
    const { obj: out, generated } = fillGeneratedKeys(secret(), live);
    expect(generated).toEqual(['rootPassword']);
    expect(out.data!.password).toBe(b64('keep-me'));
  });

  it('keeps the other data from dist and does not modify the input', () => {
    const input = secret(undefined, { username: b64('admin') });
    const { obj: out } = fillGeneratedKeys(input, undefined);
    expect(out.data!.username).toBe(b64('admin'));
    expect(input.data).toEqual({ username: b64('admin') });
  });

  it('rejects a dist Secret that carries a value for a generated key', () => {
    expect(() => fillGeneratedKeys(secret(undefined, { password: b64('plain') }), undefined)).toThrow(/key "password" is listed in berth.dev\/generate-keys/);
  });

  it('randomValue has the requested length and only uses the alphabet', () => {
    let n = 0;
    const rand = (k: number) => Buffer.from(Array.from({ length: k }, () => n++ % 256));
    const v = randomValue(40, rand);
    expect(v).toHaveLength(40);
    expect(v).toMatch(/^[A-Za-z0-9]+$/);
  });
});
