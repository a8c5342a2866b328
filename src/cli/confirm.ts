/**
 * Confirmation before destroy deletes anything: the plan is always shown;
 * `--yes` proceeds; a terminal is asked; without a terminal (CI, pipes)
 * destroy refuses, so a script never deletes an app by accident.
 */
import { RefusedError } from '../errors';
import { DestroyPlan, describeDestroy } from '../deploy/destroy';

export interface ConfirmIO {
  /** stdin is a terminal a person can answer on. */
  isTTY: boolean;
  ask(question: string): Promise<string>;
  write(text: string): void;
}

/** Resolves true to go ahead; throws RefusedError when it must not (pure apart from `io`). */
export async function confirmDestroy(plans: DestroyPlan[], yes: boolean, io: ConfirmIO): Promise<boolean> {
  const count = plans.reduce((n, p) => n + p.remove.length, 0);
  io.write(`${describeDestroy(plans)}\n`);
  if (count === 0) return true;
  const apps = plans.filter((p) => p.remove.length > 0).map((p) => p.app);
  if (yes) return true;
  if (!io.isTTY) {
    throw new RefusedError(
      `destroy would delete ${count} object(s) of app(s) ${apps.join(', ')} (listed above), and stdin is not a terminal to confirm on. Nothing was deleted`,
      'run it again with --yes to confirm',
    );
  }
  const answer = (await io.ask(`Delete these ${count} object(s) of ${apps.join(', ')}? Type "yes" to confirm: `)).trim().toLowerCase();
  if (answer === 'yes' || answer === 'y') return true;
  throw new RefusedError(`not confirmed (answer ${JSON.stringify(answer)}). Nothing was deleted`);
}

/** The process's terminal: questions on stderr, so stdout stays the plan. */
export function terminalIO(): ConfirmIO {
  return {
    isTTY: Boolean(process.stdin.isTTY),
    write: (t) => process.stdout.write(t),
    async ask(question) {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}
