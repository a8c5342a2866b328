import { BerthError } from '../errors';

/** Synth found problems; `problems` lists every one as `[construct path] message`. Nothing was written. */
export class SynthError extends BerthError {
  constructor(readonly problems: string[]) {
    super(`synth failed with ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`, 'failed');
    this.name = 'SynthError';
  }
}
