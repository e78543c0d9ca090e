/** Waits `ms` without keeping the process alive for it. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
