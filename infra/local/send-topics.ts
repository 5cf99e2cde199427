// Which topics Commerce Layer sends, and the closest one to a topic it does not: a typo such as `orders.aprove` is
// still signed and sent (the receiver answers 200 ignored, as it must), so without a warning it looks like a handler
// that never runs.
import { CURRENT_TOPICS, SEED_TOPICS } from "../../shared/generated/topics.ts";

/** Every topic Commerce Layer sends: the original specification's and those its dashboard offers today. */
export const KNOWN_TOPICS: ReadonlySet<string> = new Set<string>([...SEED_TOPICS, ...CURRENT_TOPICS]);

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: a swap is the most common typo. */
export function editDistance(a: string, b: string): number {
  // rows[i][j]: distance between the first i characters of a and the first j of b.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The known topic fewest edits away (the first in alphabetical order on a tie). */
export function closestKnownTopic(topic: string): string {
  let closest = "";
  let distance = Number.POSITIVE_INFINITY;
  for (const known of [...KNOWN_TOPICS].sort()) {
    const candidate = editDistance(topic.toLowerCase(), known);
    if (candidate < distance) [closest, distance] = [known, candidate];
  }
  return closest;
}

/** The warning for a topic Commerce Layer never sends, or undefined for a known one. */
export function unknownTopicWarning(topic: string): string | undefined {
  if (KNOWN_TOPICS.has(topic)) return undefined;
  return `warning: "${topic}" is not a Commerce Layer topic; did you mean "${closestKnownTopic(topic)}"? Sending "${topic}" anyway.`;
}
