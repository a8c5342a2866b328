/** The verdict every readiness rule returns. */
export type HealthState = 'ready' | 'progressing' | 'failed';
export interface Health {
  state: HealthState;
  message: string;
}

export const ready = (message: string): Health => ({ state: 'ready', message });
export const progressing = (message: string): Health => ({ state: 'progressing', message });
export const failed = (message: string): Health => ({ state: 'failed', message });
