// The arithmetic of measurements 4 and 5 (retention sweep scale, export streaming), kept apart to be unit-tested.

/** Records (or subjects) per second of a step. */
export const rate = (count: number, seconds: number) => count / seconds;

/** How many times the large run's time is the small run's. */
export const timeRatio = (smallSeconds: number, largeSeconds: number) => largeSeconds / smallSeconds;

/** The ratio the issue allows: 11× for ten times the subjects, i.e. linear plus 10 %, scaled to other sizes. */
export const allowedRatio = (small: number, large: number) => (1.1 * large) / small;

/** Each large run's time over the small run of the same repeat (NaN where a repeat is missing). */
export const pairedRatios = (small: number[], large: number[]) =>
  large.map((l, i) => timeRatio(small[i] ?? Number.NaN, l));
