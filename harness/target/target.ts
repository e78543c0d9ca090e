import type { TargetInfo } from '../model.js';

export interface TargetExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: string;
}

/** A listener that is up and ready for deliveries, whoever started it. */
export interface RunningTarget {
  info: TargetInfo;
  /** Where deliveries go: `https://127.0.0.1:PORT`. */
  origin: string;
  /** `target exited with code N`, once it has. */
  describeExit(): string | undefined;
  /** The last lines it printed (empty for a URL target). */
  output(count?: number): string[];
  /** Stops what the harness started; idempotent. */
  stop(): Promise<void>;
}
