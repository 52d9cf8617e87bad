// A sync client for Innom on the official JavaScript Automerge library,
// written from docs/SYNC.md alone, as an integrator would: if it needs
// something that page does not say, the page is incomplete.

import { createHash } from 'node:crypto';
import * as Automerge from '@automerge/automerge';
import { decode, encode } from 'cborg';

const WIRE_VERSION = 1;

/** A UUID's text as its 16 bytes. */
export function uuidBytes(id) {
  return Uint8Array.from(Buffer.from(id.replaceAll('-', ''), 'hex'));
}

/** 16 bytes as lowercase hyphenated UUID text. */
export function uuidText(bytes) {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const hexOf = (bytes) => Buffer.from(bytes).toString('hex');
const sameHeads = (a, b) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Why a sync exchange failed: the HTTP status and the JSON error body. */
export class SyncError extends Error {
  constructor(status, body) {
    super(`sync answered ${status}: ${JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * A device: its documents with the heads the server is known to have
 * (`acked`), the cursor, whether it is bootstrapping and the server's log id,
 * as "What a device keeps and does" lists them.
 */
export class ReferenceClient {
  constructor(url, token) {
    this.url = url;
    this.token = token;
    /** id text → { doc, acked: hex heads, rejection } */
    this.docs = new Map();
    this.cursor = 0;
    this.bootstrapping = true;
    /** The server's log id (reply key 8), sent back with each request. */
    this.log = null;
    /** During a rescope (reply key 10): the ids its bootstrap has brought. */
    this.rescoping = null;
    /** Every `PushResult` of the last `sync()`, by id text. */
    this.results = new Map();
  }

  /** Logs an advisor or staff member in and returns a client with their session. */
  static async logIn(url, username, password) {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password, device_name: 'reference client' }),
    });
    if (response.status !== 200) throw new Error(`login answered ${response.status}`);
    const { token, user } = await response.json();
    const client = new ReferenceClient(url, token);
    client.name = user.username;
    return client;
  }

  /** Opens a mentor session from a link's secret; its name is `view.identity`. */
  static async asMentor(url, secret) {
    const response = await fetch(`${url}/api/mentor/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ secret }),
    });
    if (response.status !== 200) throw new Error(`mentor session answered ${response.status}`);
    const { token, view } = await response.json();
    const client = new ReferenceClient(url, token);
    client.name = view.identity;
    client.view = view;
    return client;
  }

  /**
   * A new record document; `fields` uses ImmutableString, Uint and Date as
   * SYNC.md says, and every value is put in place one at a time (a Uint
   * inside an object or array literal would be stored as a map).
   */
  create(id, kind, fields) {
    const record = {
      id: new Automerge.ImmutableString(id),
      kind: new Automerge.ImmutableString(kind),
      schema_version: new Automerge.Uint(1),
      created_at: new Date(),
      created_by: new Automerge.ImmutableString(this.name),
      ...fields,
    };
    const doc = Automerge.change(Automerge.init(), (d) => {
      for (const [key, value] of Object.entries(record)) put(d, key, value);
    });
    this.docs.set(id, { doc, acked: [], rejection: null });
    return doc;
  }

  /** Changes a document this device holds. */
  change(id, edit) {
    const local = this.docs.get(id);
    local.doc = Automerge.change(local.doc, edit);
    local.rejection = null;
  }

  doc(id) {
    return this.docs.get(id)?.doc;
  }

  /** Syncs until the server has nothing more; returns the last reply. */
  async sync() {
    this.results = new Map();
    for (;;) {
      const reply = await this.exchange();
      if (!reply.more) return reply;
    }
  }

  /** One request and its reply, applied (steps 1 to 3). */
  async exchange() {
    const pushed = [];
    for (const [id, local] of this.docs) {
      if (local.rejection) continue; // not again until edited
      if (sameHeads(Automerge.getHeads(local.doc), local.acked)) continue;
      const changes = Automerge.getChangesSince(local.doc, local.acked);
      pushed.push({ id, heads: Automerge.getHeads(local.doc), changes });
    }
    const request = new Map([
      [0, WIRE_VERSION],
      [1, this.cursor],
      [2, pushed.map((p) => new Map([[0, uuidBytes(p.id)], [1, p.changes]]))],
      [3, this.bootstrapping],
      ...(this.log ? [[4, this.log]] : []),
    ]);
    const body = encode(request);
    const digest = createHash('sha256').update(body).digest('base64');
    const response = await fetch(`${this.url}/api/sync`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.token}`,
        'Content-Type': 'application/cbor',
        'Content-Digest': `sha-256=:${digest}:`,
      },
      body,
    });
    if (response.status !== 200) throw new SyncError(response.status, await response.json());
    const reply = decode(new Uint8Array(await response.arrayBuffer()), { useMaps: true });

    const reset = reply.get(9) === true;
    if (reset) {
      // A restored server: it may lack what it confirmed; push everything.
      for (const local of this.docs.values()) local.acked = [];
      this.cursor = 0;
    }
    if (reply.get(10) === true) {
      // What this session may see changed: a new bootstrap starts; what it
      // does not bring is no longer for this device.
      this.cursor = 0;
      this.rescoping = new Set();
    }
    const results = reply.get(1) ?? [];
    for (const [i, result] of results.entries()) {
      const id = uuidText(result.get(0));
      const local = this.docs.get(id);
      const rejection = result.get(2) ?? null;
      this.results.set(id, rejection ? { code: rejection.get(0), message: rejection.get(1), message_nb: rejection.get(2) } : null);
      if (rejection) {
        // The server lacks what this built on: send the whole history,
        // unless that is what it just refused.
        if (rejection.get(0) === 'missing_dependencies' && (reset || local.acked.length > 0)) {
          local.acked = [];
          continue;
        }
        if (rejection.get(0) === 'erased') this.docs.delete(id);
        else local.rejection = this.results.get(id);
        continue;
      }
      const serverHeads = (result.get(1) ?? []).map(hexOf);
      const hasAll = Automerge.getMissingDeps(local.doc, serverHeads).length === 0;
      local.acked = hasAll ? serverHeads : pushed[i].heads;
    }
    for (const pulled of reply.get(2) ?? []) {
      const id = uuidText(pulled.get(0));
      const local = this.docs.get(id) ?? { doc: Automerge.init(), acked: [], rejection: null };
      const snapshot = pulled.get(1);
      if (snapshot) local.doc = Automerge.merge(local.doc, Automerge.load(snapshot));
      const changes = pulled.get(2) ?? [];
      if (changes.length > 0) [local.doc] = Automerge.applyChanges(local.doc, changes);
      const serverHeads = (pulled.get(3) ?? []).map(hexOf);
      if (Automerge.getMissingDeps(local.doc, serverHeads).length === 0) local.acked = serverHeads;
      this.docs.set(id, local);
      this.rescoping?.add(id);
    }
    for (const erased of reply.get(6) ?? []) this.docs.delete(uuidText(erased));
    if (reply.get(8)) this.log = reply.get(8);
    const cursor = Number(reply.get(3));
    const more = reply.get(4) === true;
    if (cursor >= this.cursor) {
      this.cursor = cursor;
      this.bootstrapping = reply.get(5) === true && more;
      if (reply.get(5) === true && !more && this.rescoping) {
        // The rescope's bootstrap is over: drop what it did not bring,
        // unless the server lacks some of it or refused it.
        const same = (a, b) => a.length === b.length && [...a].sort().every((h, i) => h === [...b].sort()[i]);
        for (const [id, local] of this.docs) {
          if (!this.rescoping.has(id) && !local.rejection && same(Automerge.getHeads(local.doc), local.acked)) this.docs.delete(id);
        }
        this.rescoping = null;
      }
    }
    return { more, snapshots: reply.get(5) === true, pulled: (reply.get(2) ?? []).length };
  }
}

/** Puts `value` at `target[key]`: objects and arrays built up key by key, index by index. */
export function put(target, key, value) {
  if (Array.isArray(value)) {
    target[key] = [];
    value.forEach((item, i) => {
      target[key].push(null);
      put(target[key], i, item);
    });
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    target[key] = {};
    for (const [name, item] of Object.entries(value)) put(target[key], name, item);
  } else {
    target[key] = value;
  }
}

/**
 * A record as plain JSON, as the schema describes it: scalar strings as
 * strings, timestamps as milliseconds.
 */
export function asJson(value) {
  if (value instanceof Automerge.ImmutableString) return value.toString();
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value); // a uint
  if (Array.isArray(value)) return value.map(asJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asJson(item)]));
  }
  return value;
}
