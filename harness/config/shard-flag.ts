import { HarnessError } from '../errors.js';
import type { ShardInfo } from '../model.js';

/** `--shard 2/3` → `{ index: 2, count: 3 }`. */
export function parseShard(text: string): ShardInfo {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new HarnessError(`--shard: expected INDEX/COUNT with 1 ≤ INDEX ≤ COUNT, such as 1/3, got "${text}"`);
  }
  return { index, count };
}
