/**
 * A small in-process cache of values derived from a revision's text (rendered clause views, redlines).
 * Keys carry the revision ids and edit versions, so an entry can never be stale: a changed revision has
 * a new key. It holds no state of its own — any instance recomputes the same value from the database —
 * so it does not stand in the way of running several instances.
 */
const limit = 64;
const entries = new Map<string, unknown>();

export function derived<T>(key: string, compute: () => T): T {
  if (entries.has(key)) {
    const value = entries.get(key) as T;
    entries.delete(key);
    entries.set(key, value); // most recently used last
    return value;
  }
  const value = compute();
  entries.set(key, value);
  if (entries.size > limit) entries.delete(entries.keys().next().value!);
  return value;
}

export function revisionKey(r: { _id: unknown; version: number }): string {
  return `${String(r._id)}@${r.version}`;
}

/**
 * derived() for a value that takes a wait to compute (a read, then a render): requests that ask while it
 * is being computed wait for the same computation instead of each making it again. A failed one is forgotten.
 */
export function derivedOnce<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const slot = derived(key, () => ({ value: undefined as Promise<T> | undefined }));
  if (!slot.value) {
    const value = compute();
    slot.value = value;
    value.catch(() => {
      if (slot.value === value) slot.value = undefined;
    });
  }
  return slot.value;
}
