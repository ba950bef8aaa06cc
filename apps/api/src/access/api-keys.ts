import { createHash, timingSafeEqual } from 'node:crypto';

export type KeyRole = 'write' | 'read';

/** Who a valid key is: its role and a name that is safe to log and to count by (`write-2`). */
export interface KeyHolder {
  readonly role: KeyRole;
  readonly id: string;
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/**
 * The configured API keys. A presented key is compared with every configured one, always all of
 * them and in constant time (over SHA-256 digests, so the lengths match too): how long a check
 * takes says nothing about how much of a key was right, nor which key matched. Keys are kept
 * only as digests and named by their place in their list.
 */
export class ApiKeys {
  private readonly entries: { readonly digest: Buffer; readonly holder: KeyHolder }[];
  readonly writeKeyCount: number;
  readonly readKeyCount: number;

  constructor(writeKeys: readonly string[], readKeys: readonly string[]) {
    const writes = writeKeys.map((key, index) => ({
      digest: digest(key),
      holder: { role: 'write' as const, id: `write-${index + 1}` },
    }));
    // a key listed in both lists writes
    const reads = readKeys
      .filter((key) => !writeKeys.includes(key))
      .map((key, index) => ({ digest: digest(key), holder: { role: 'read' as const, id: `read-${index + 1}` } }));
    this.entries = [...writes, ...reads];
    this.writeKeyCount = writes.length;
    this.readKeyCount = readKeys.length;
  }

  /** No write key configured: the local-development mode, where writes are open. */
  get writesOpen(): boolean {
    return this.writeKeyCount === 0;
  }

  /** No read key configured: reads and live streams are open. */
  get readsOpen(): boolean {
    return this.readKeyCount === 0;
  }

  /** The holder of `presented`, or undefined when it is no configured key. */
  check(presented: string): KeyHolder | undefined {
    const candidate = digest(presented);
    let found: KeyHolder | undefined;
    for (const entry of this.entries) {
      // no early exit: every key is compared
      if (timingSafeEqual(candidate, entry.digest) && found === undefined) found = entry.holder;
    }
    return found;
  }
}
