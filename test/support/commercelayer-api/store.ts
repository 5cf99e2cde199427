// The stand-in's state: every resource by type and id, whether the API created it (webhooks, events,
// event_callbacks) or the test seeded it (an order, an external gateway). A resource is stored as JSON:API holds it:
// attributes, and relationships as linkage ({ type, id }), so that documents and deliveries are built from the same
// records.
import { randomBytes, randomInt } from "node:crypto";
import { fail } from "./errors.ts";
import { kindOf } from "./kinds.ts";

export interface Linkage {
  readonly type: string;
  readonly id: string;
}

export type RelationshipValue = Linkage | readonly Linkage[] | null;

export interface StoredResource {
  readonly type: string;
  readonly id: string;
  /** Creation order: the default sort, and the tie-break when two resources share a `created_at`. */
  readonly seq: number;
  attributes: Record<string, unknown>;
  relationships: Record<string, RelationshipValue>;
}

/** What a test seeds or emits: a resource as JSON:API carries it, id and attributes optional. */
export interface ResourceInput {
  readonly id?: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly relationships?: Readonly<Record<string, RelationshipValue>>;
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** An id shaped as Commerce Layer's (ten letters, e.g. `xYZkjABcde`). */
export function newId(): string {
  let id = "";
  for (let i = 0; i < 10; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** A shared secret as Commerce Layer's: 32 random bytes, base64 (44 characters). */
export function newSharedSecret(): string {
  return randomBytes(32).toString("base64");
}

export function timestamp(): string {
  return new Date().toISOString();
}

/** The attributes a new resource of a known kind starts with: every attribute null, then the server-set ones. */
function initialAttributes(type: string): Record<string, unknown> {
  const kind = kindOf(type);
  const attributes: Record<string, unknown> = {};
  if (kind === undefined) return attributes;
  for (const name of kind.attributes) attributes[name] = null;
  if (kind.attributes.includes("shared_secret")) attributes.shared_secret = newSharedSecret();
  if (kind.circuit) Object.assign(attributes, { circuit_state: "closed", circuit_failure_count: 0 });
  return attributes;
}

export class Store {
  private readonly byType = new Map<string, Map<string, StoredResource>>();
  private seq = 0;

  /** Creates a resource; a seeded resource may name its own id, and a known kind gets its server-set attributes. */
  insert(type: string, input: ResourceInput = {}): StoredResource {
    const id = input.id ?? newId();
    const table = this.table(type);
    if (table.has(id)) throw new Error(`a ${type} with id ${id} already exists in the stand-in`);
    const now = timestamp();
    const record: StoredResource = {
      type,
      id,
      seq: this.seq++,
      attributes: {
        ...initialAttributes(type),
        ...input.attributes,
        created_at: input.attributes?.created_at ?? now,
        updated_at: input.attributes?.updated_at ?? now,
        reference: input.attributes?.reference ?? null,
        reference_origin: input.attributes?.reference_origin ?? null,
        metadata: input.attributes?.metadata ?? {},
      },
      relationships: { ...input.relationships },
    };
    table.set(id, record);
    return record;
  }

  /** Seeds or refreshes a resource: attributes and relationships given replace the stored ones of the same name. */
  upsert(type: string, input: ResourceInput): StoredResource {
    const existing = input.id === undefined ? undefined : this.get(type, input.id);
    if (existing === undefined) return this.insert(type, input);
    Object.assign(existing.attributes, input.attributes, { updated_at: timestamp() });
    Object.assign(existing.relationships, input.relationships);
    return existing;
  }

  get(type: string, id: string): StoredResource | undefined {
    return this.byType.get(type)?.get(id);
  }

  /** The resource, or the API's 404. */
  require(type: string, id: string): StoredResource {
    const record = this.get(type, id);
    if (record === undefined) throw fail.recordNotFound();
    return record;
  }

  resolve(linkage: Linkage): StoredResource | undefined {
    return this.get(linkage.type, linkage.id);
  }

  /** Every resource of a type, in creation order. */
  all(type: string): StoredResource[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  remove(type: string, id: string): void {
    if (!this.byType.get(type)?.delete(id)) throw fail.recordNotFound();
  }

  clear(): void {
    this.byType.clear();
  }

  private table(type: string): Map<string, StoredResource> {
    let table = this.byType.get(type);
    if (table === undefined) {
      table = new Map();
      this.byType.set(type, table);
    }
    return table;
  }
}
