const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** RFC 5280 allows no fractional seconds in certificate and CRL times. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** The window of a certificate that is simply valid now: since yesterday, for a month. */
export const CURRENT_WINDOW = { fromDays: -1, toDays: 30 } as const;

export function daysFrom(now: Date, days: number): Date {
  return wholeSeconds(new Date(now.getTime() + days * DAY_MS));
}

export function hoursFrom(now: Date, hours: number): Date {
  return wholeSeconds(new Date(now.getTime() + hours * HOUR_MS));
}
