import type { FastifyInstance } from 'fastify';
import { canonicalHash, canonicalJson } from '../core/canonical/json.ts';
import { createPrng } from '../core/demo/prng.ts';
import { assign } from '../core/exceptions/model.ts';
import type { ApprovalEventDoc, CommentDoc, ExceptionDoc, ImportDoc } from '../core/sync/documents.ts';
import { exceptionDocFixture, settlementFixture } from '../core/sync/fixtures.test-support.ts';
import { mergeException } from '../core/sync/merge.ts';
import { PUSH_ROWS_MAX } from '../core/sync/protocol.ts';
import { buildServer } from '../server/app.ts';
import type { Db } from '../server/db/types.ts';
import type { AuthUser } from '../server/auth/roles.ts';
import { signAccessToken } from '../server/auth/tokens.ts';
import { insertUser } from '../server/auth/users-repository.ts';
import { bearer } from '../server/test-app.test-support.ts';

/**
 * Test support (no production caller): a seeded, deterministic simulation of desks replicating
 * through the real server. Desks are direct protocol clients speaking the same pull/push contract
 * RxDB's replication plugin speaks (a master state per document, push with assumedMasterState,
 * a conflict handler: core's mergeException for exceptions). RxDB itself over fake-indexeddb
 * takes seconds to open and close per desk, so hundreds of seeds would take minutes; the
 * contract and the merge rules are what the simulation tests, and tests/sync-two-desks.test.ts
 * runs the real RxDB desks.
 *
 * Between desks and the real Fastify app (app.inject) sits a faulty network: requests dropped
 * before delivery, responses lost after the server acted, requests duplicated, and requests
 * delayed and delivered later (out of order, after the desk gave up on them). Desks go offline
 * for random stretches; the server restarts (its app closed and rebuilt over the same database,
 * as a process restart over PostgreSQL) right after a push it acted on, before answering. A
 * feeder posts transaction batches with Idempotency-Keys through the same network. Then the
 * network heals, everyone syncs until quiet, and the checks run: no comment, approval or import
 * lost or changed, every desk's state hash equals the server's, every fed row stored once.
 */
export const SIM_USERS = { ana: 'analyst', ben: 'analyst', cy: 'approver', dora: 'approver' } as const;
const DESK_USERS = ['ana', 'ben', 'cy'] as const;
type DeskUser = (typeof DESK_USERS)[number];
const COLLECTIONS = ['comments', 'exceptions', 'approval_events', 'imports'] as const;
type SimCollection = (typeof COLLECTIONS)[number];
/** Steps per seed in the bench; the test runs more seeds of fewer steps each (SimulationOptions), with the same fault mix per step. */
export const SIM_STEPS_DEFAULT = 60;
const RESTART_CHANCE_DEFAULT = 0.4;
const SYNC_ROUNDS_MAX = 40;
const FEED_ROWS = 3;
const PULL_PAGE = 200;

export interface SimulationEnv {
  db: Db;
  readonly users: ReadonlyMap<string, AuthUser>;
  app: FastifyInstance;
  restarts: number;
  /** Reopens the database after it was closed (PGlite over the same data folder); absent: the database outlives the app, as PostgreSQL does. */
  readonly reopen: (() => Promise<Db>) | null;
}

/** A fixed clock: tokens never expire mid-run, and a replayed seed sees the same times. */
const SIM_NOW_MS = Date.parse('2026-03-02T09:00:00Z');

/** The server over `db` with the simulation's users; they sign in by token only, so no argon2 hash is made (0.4 s each). */
export async function openSimulationEnv(db: Db, reopen: (() => Promise<Db>) | null = null): Promise<SimulationEnv> {
  const app = await buildServer({ db, nowMs: () => SIM_NOW_MS });
  const users = new Map<string, AuthUser>();
  for (const [username, role] of Object.entries(SIM_USERS)) {
    const user = await insertUser(db, { username, passwordHash: '$argon2id$not-used-by-the-simulation', role });
    if (user === null) throw new Error(`simulation user ${username} exists`);
    users.set(username, user);
  }
  return { db, users, app, restarts: 0, reopen };
}

export async function closeSimulationEnv(env: SimulationEnv): Promise<void> {
  await env.app.close();
  await env.db.close();
}

/** The server process goes down and comes back: the app closed and rebuilt, and with `reopen` the database files closed and opened again too. */
async function restart(env: SimulationEnv): Promise<void> {
  await env.app.close();
  if (env.reopen !== null) {
    await env.db.close();
    env.db = await env.reopen();
  }
  env.app = await buildServer({ db: env.db, nowMs: () => SIM_NOW_MS });
  env.restarts++;
}

interface Reply {
  readonly statusCode: number;
  readonly body: string;
}
interface Request {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string;
}

export interface SimulationStats {
  delivered: number;
  dropped: number;
  lostResponses: number;
  duplicated: number;
  delayed: number;
  restarts: number;
  conflicts: number;
  syncRounds: number;
}

/** The faulty network: each request is delivered, dropped, duplicated, delayed, or acted on with its answer lost. */
class Network {
  readonly delayed: Request[] = [];
  healed = false;
  constructor(private readonly env: SimulationEnv, private readonly random: () => number, readonly stats: SimulationStats, private readonly restartChance = RESTART_CHANCE_DEFAULT) {}

  private async deliver(request: Request): Promise<Reply> {
    const response = await this.env.app.inject({ method: request.method, url: request.url, headers: request.headers, ...(request.payload === undefined ? {} : { payload: request.payload }) });
    this.stats.delivered++;
    if (response.statusCode >= 500) throw new Error(`server error ${response.statusCode} on ${request.url}: ${response.body.slice(0, 300)}`);
    return { statusCode: response.statusCode, body: response.body };
  }

  /** The reply, or null when the desk hears nothing (it retries later). */
  async send(request: Request): Promise<Reply | null> {
    if (this.healed) return this.deliver(request);
    const roll = this.random();
    if (roll < 0.08) {
      this.stats.dropped++;
      return null;
    }
    if (roll < 0.16) {
      await this.deliver(request);
      this.stats.lostResponses++;
      // Sometimes the server goes down right after acting on a push, before answering.
      if (request.method === 'POST' && this.random() < this.restartChance) {
        await restart(this.env);
        this.stats.restarts++;
      }
      return null;
    }
    if (roll < 0.22) {
      this.stats.duplicated++;
      await this.deliver(request);
      return this.deliver(request);
    }
    if (roll < 0.28) {
      this.stats.delayed++;
      this.delayed.push(request);
      return null;
    }
    return this.deliver(request);
  }

  /** Delivers one delayed request, long after its sender gave up on it. */
  async deliverDelayed(): Promise<void> {
    const index = Math.floor(this.random() * this.delayed.length);
    const [request] = this.delayed.splice(index, 1);
    if (request !== undefined) await this.deliver(request);
  }
}

interface Replica {
  /** The server's state as this desk last knew it (the base of a merge), or null for a document it made. */
  master: Record<string, unknown> | null;
  local: Record<string, unknown>;
  dirty: boolean;
}

/** One desk: local documents per collection, checkpoints, and the push/pull/merge cycle. */
class Desk {
  online = true;
  readonly docs = new Map<SimCollection, Map<string, Replica>>(COLLECTIONS.map((name) => [name, new Map()]));
  private readonly checkpoints = new Map<SimCollection, string>();

  constructor(readonly user: DeskUser, private readonly token: string, start: Readonly<Record<SimCollection, string>>, private readonly network: Network, private readonly stats: SimulationStats) {
    for (const name of COLLECTIONS) this.checkpoints.set(name, start[name]);
  }

  write(collection: SimCollection, doc: object): void {
    const id = (doc as { id: string }).id;
    const replica = this.docs.get(collection)?.get(id);
    this.docs.get(collection)?.set(id, { master: replica?.master ?? null, local: { ...doc, _deleted: false }, dirty: true });
  }

  dirtyCount(): number {
    return [...this.docs.values()].reduce((sum, docs) => sum + [...docs.values()].filter((replica) => replica.dirty).length, 0);
  }

  private headers(json: boolean): Record<string, string> {
    return { ...bearer(this.token), ...(json ? { 'content-type': 'application/json' } : {}) };
  }

  /** Pulls until caught up; returns how many documents arrived, or null when the network failed. */
  async pull(collection: SimCollection): Promise<number | null> {
    if (!this.online) return null;
    let arrived = 0;
    for (let page = 0; page < 100; page++) {
      const reply = await this.network.send({ method: 'GET', url: `/api/v1/sync/${collection}/pull?limit=${PULL_PAGE}&checkpoint=${this.checkpoints.get(collection)}`, headers: this.headers(false) });
      if (reply === null) return null;
      if (reply.statusCode !== 200) throw new Error(`${this.user} pull ${collection}: ${reply.statusCode} ${reply.body.slice(0, 300)}`);
      const result = JSON.parse(reply.body) as { documents: Array<Record<string, unknown>>; checkpoint: { seq: string } | null };
      for (const doc of result.documents) {
        const docs = this.docs.get(collection) as Map<string, Replica>;
        const replica = docs.get(doc.id as string);
        // A document with unpushed changes keeps them; its push meets the new state as a conflict and merges.
        if (replica?.dirty === true) continue;
        docs.set(doc.id as string, { master: doc, local: doc, dirty: false });
        arrived++;
      }
      if (result.checkpoint !== null) this.checkpoints.set(collection, result.checkpoint.seq);
      if (result.documents.length < PULL_PAGE) return arrived;
    }
    throw new Error(`${this.user} pull ${collection} did not catch up in 100 pages`);
  }

  /** Pushes the dirty documents; conflicts go through the conflict handler. False when the network failed. */
  async push(collection: SimCollection): Promise<boolean> {
    if (!this.online) return false;
    const docs = this.docs.get(collection) as Map<string, Replica>;
    const dirty = [...docs.entries()].filter(([, replica]) => replica.dirty).slice(0, PUSH_ROWS_MAX);
    if (dirty.length === 0) return true;
    const rows = dirty.map(([, replica]) => ({ newDocumentState: replica.local, assumedMasterState: replica.master }));
    const reply = await this.network.send({ method: 'POST', url: `/api/v1/sync/${collection}/push`, headers: this.headers(true), payload: JSON.stringify(rows) });
    if (reply === null) return false;
    if (reply.statusCode !== 200) throw new Error(`${this.user} push ${collection}: ${reply.statusCode} ${reply.body.slice(0, 300)}`);
    const conflicts = new Map((JSON.parse(reply.body) as Array<Record<string, unknown>>).map((doc) => [doc.id as string, doc]));
    for (const [id, replica] of dirty) {
      const master = conflicts.get(id);
      if (master === undefined) {
        docs.set(id, { master: replica.local, local: replica.local, dirty: false });
        continue;
      }
      this.stats.conflicts++;
      if (collection !== 'exceptions') {
        // A fact the server already holds otherwise: the server's is the truth (the checks catch a lost one).
        docs.set(id, { master, local: master, dirty: false });
        continue;
      }
      const { _deleted: _, ...theirs } = master;
      const { _deleted: __, ...ours } = replica.local;
      const base = replica.master === null ? null : (({ _deleted: ___, ...rest }) => rest)(replica.master);
      // The merge is this desk's write: the server takes an exception only in its writer's name
      // (mergeException keeps the later editor's name, which the server would refuse from here).
      const merged = { ...mergeException(base as ExceptionDoc | null, ours as ExceptionDoc, theirs as ExceptionDoc), updatedBy: this.user, _deleted: false };
      docs.set(id, { master, local: merged, dirty: canonicalJson(merged) !== canonicalJson(master) });
    }
    return true;
  }

  stateHash(): string {
    return canonicalHash(COLLECTIONS.map((name) => [name, [...(this.docs.get(name) as Map<string, Replica>).values()].map((replica) => replica.local).sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1))]));
  }
}

interface FeedBatch {
  readonly key: string;
  readonly payload: string;
  acknowledged: boolean;
}

function feedBatch(seed: number, index: number): FeedBatch {
  const ids = Array.from({ length: FEED_ROWS }, (_, row) => `f.s${seed}.${index}.${row}`);
  const none = ids.map(() => null);
  const columns = {
    id: ids, line: ids.map((_, row) => row + 1), kind: ids.map(() => 'sale'), occurredAt: ids.map(() => '2026-01-10'), bookingDate: none, valueDate: none,
    amount: ids.map((_, row) => `${index + 1}.${String(row).padStart(2, '0')}`), currency: ids.map(() => 'EUR'), account: none, partnerId: ids.map(() => 'p'), productId: none, channel: none,
    counterpartyName: none, counterpartyAccount: none, externalId: none, batchId: none, endToEndId: none, bankReference: none, description: none, customerRef: none, rawNames: [], rawValues: ids.map(() => []),
  };
  return { key: `feed-s${seed}-${index}`, payload: JSON.stringify({ source: { sourceId: `feeder-s${seed}`, format: 'psp-json', fileName: `feed-${index}.json` }, columns }), acknowledged: false };
}

function importDoc(seed: number, index: number, by: string, at: string): ImportDoc {
  return { id: `imp.s${seed}.${by}.${index}`, file: { fileName: `desk-${index}.csv`, sha256: canonicalHash([seed, by, index]), sizeBytes: 0, format: 'csv' }, rowsRead: 0, entriesRead: 0, account: { transactions: 0, rejected: 0, duplicates: 0, conflicts: 0 }, rejections: [], batchIds: [], importedBy: by, importedAt: at };
}

async function latestCheckpoints(env: SimulationEnv): Promise<Record<SimCollection, string>> {
  const { rows } = await env.db.query<{ seq: string | null }>('select max(seq)::text as seq from sync_documents');
  const seq = rows[0]?.seq ?? '0';
  return Object.fromEntries(COLLECTIONS.map((name) => [name, seq])) as Record<SimCollection, string>;
}

export interface SimulationOptions {
  /** Random steps before the network heals (desk edits, feeds, offline flips, pushes, pulls, late deliveries). */
  readonly steps?: number;
  /** How often the server goes down right after acting on a push whose answer is lost (default 0.4). */
  readonly restartChance?: number;
}

/** Runs one seed; throws (naming the seed) when anything was lost, changed or left diverged. */
export async function runSimulation(env: SimulationEnv, seed: number, options: SimulationOptions = {}): Promise<SimulationStats> {
  const steps = options.steps ?? SIM_STEPS_DEFAULT;
  const random = createPrng(seed).next;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const stats: SimulationStats = { delivered: 0, dropped: 0, lostResponses: 0, duplicated: 0, delayed: 0, restarts: 0, conflicts: 0, syncRounds: 0 };
  const network = new Network(env, random, stats, options.restartChance ?? RESTART_CHANCE_DEFAULT);
  const tokens = Object.fromEntries(await Promise.all([...env.users].map(async ([name, user]) => [name, await signAccessToken(env.app.tokens, user)] as const))) as Record<string, string>;
  const start = await latestCheckpoints(env);
  const desks = DESK_USERS.map((user) => new Desk(user, tokens[user] as string, start, network, stats));
  const [ana, , cy] = desks as [Desk, Desk, Desk];

  // Reliable set-up: a statement made by dora, for ana to submit and cy to approve.
  const fixture = settlementFixture({ runId: `run_s${seed}`, statementId: `st_s${seed}`, by: 'dora' });
  for (const [collection, doc] of [['agreement_versions', fixture.agreement], ['import_batches', fixture.batch], ['settlement_runs', fixture.run], ['statements', fixture.statement]] as const) {
    const response = await env.app.inject({ method: 'POST', url: `/api/v1/sync/${collection}/push`, headers: { ...bearer(tokens.dora as string), 'content-type': 'application/json' }, payload: JSON.stringify([{ newDocumentState: { ...doc, _deleted: false } }]) });
    if (response.statusCode !== 200) throw new Error(`seed ${seed}: set-up push of ${collection} refused: ${response.body}`);
  }

  // Two open exceptions every desk starts from, so offline edits of the same fields meet as conflicts.
  const shared = [exceptionDocFixture(`s${seed}_shared_a`, 'ana'), exceptionDocFixture(`s${seed}_shared_b`, 'ana')].map((doc) => ({ newDocumentState: { ...doc, _deleted: false } }));
  const sharedPush = await env.app.inject({ method: 'POST', url: '/api/v1/sync/exceptions/push', headers: { ...bearer(tokens.ana as string), 'content-type': 'application/json' }, payload: JSON.stringify(shared) });
  if (sharedPush.statusCode !== 200) throw new Error(`seed ${seed}: set-up push of exceptions refused: ${sharedPush.body}`);
  network.healed = true;
  for (const desk of desks) await desk.pull('exceptions');
  network.healed = false;

  const made = new Map<string, { collection: SimCollection; doc: object }>();
  const feeds: FeedBatch[] = [];
  let counter = 0;
  const at = () => `2026-03-02T${String(10 + Math.floor(counter / 60)).padStart(2, '0')}:${String(counter % 60).padStart(2, '0')}:00Z`;
  const make = <D extends { readonly id: string }>(desk: Desk, collection: SimCollection, doc: D) => {
    desk.write(collection, doc);
    if (collection !== 'exceptions') made.set(`${collection}/${doc.id}`, { collection, doc });
  };
  const statementOf = (desk: Desk, action: 'submitted' | 'approved') => [...(desk.docs.get('approval_events') as Map<string, Replica>).values()].some((replica) => replica.local.statementId === fixture.statement.id && replica.local.action === action);

  for (let step = 0; step < steps; step++) {
    counter++;
    const desk = pick(desks);
    const action = random();
    if (action < 0.1) make(desk, 'comments', { id: `cmt.s${seed}.${counter}`, subject: { kind: 'statement', id: fixture.statement.id }, author: desk.user, text: `note ${counter} from ${desk.user}`, at: at() } satisfies CommentDoc);
    else if (action < 0.15) make(desk, 'imports', importDoc(seed, counter, desk.user, at()));
    else if (action < 0.2) {
      const created = exceptionDocFixture(`s${seed}_k${counter}`, desk.user);
      make(desk, 'exceptions', created);
    } else if (action < 0.32) {
      const known = [...(desk.docs.get('exceptions') as Map<string, Replica>).values()];
      if (known.length > 0) {
        const replica = pick(known);
        const { _deleted: _, ...current } = replica.local;
        const edited = { ...current, ...assign(current as ExceptionDoc, pick(['ana', 'ben', 'cy', null]), at()), updatedBy: desk.user };
        desk.write('exceptions', edited);
      }
    } else if (action < 0.35 && desk === ana && !statementOf(ana, 'submitted')) {
      make(ana, 'approval_events', { id: `ap.s${seed}.submitted`, statementId: fixture.statement.id, statementHash: fixture.statement.hash, action: 'submitted', by: 'ana', at: at(), reason: null } satisfies ApprovalEventDoc);
    } else if (action < 0.38 && desk === cy && statementOf(cy, 'submitted') && !statementOf(cy, 'approved')) {
      // cy approves only what it has seen submitted, as a person at a desk would.
      const submitted = [...(cy.docs.get('approval_events') as Map<string, Replica>).values()].find((replica) => replica.local.action === 'submitted' && !replica.dirty);
      if (submitted !== undefined) make(cy, 'approval_events', { id: `ap.s${seed}.approved`, statementId: fixture.statement.id, statementHash: fixture.statement.hash, action: 'approved', by: 'cy', at: at(), reason: null } satisfies ApprovalEventDoc);
    } else if (action < 0.45) desk.online = !desk.online;
    else if (action < 0.52) {
      const pending = feeds.find((feed) => !feed.acknowledged);
      const feed = pending !== undefined && random() < 0.6 ? pending : feedBatch(seed, feeds.length);
      if (feed !== pending) feeds.push(feed);
      const reply = await network.send({ method: 'POST', url: '/api/v1/imports/batch', headers: { ...bearer(tokens.ben as string), 'content-type': 'application/json', 'idempotency-key': feed.key }, payload: feed.payload });
      if (reply !== null && reply.statusCode !== 201) throw new Error(`seed ${seed}: feed ${feed.key} refused: ${reply.statusCode} ${reply.body.slice(0, 300)}`);
      if (reply !== null) feed.acknowledged = true;
    } else if (action < 0.56) await network.deliverDelayed();
    else if (action < 0.78) await desk.push(pick(COLLECTIONS));
    else await desk.pull(pick(COLLECTIONS));
  }

  // The network heals: late requests arrive, everyone comes online and syncs until nothing moves.
  while (network.delayed.length > 0) await network.deliverDelayed();
  network.healed = true;
  for (const desk of desks) desk.online = true;
  for (const feed of feeds.filter((candidate) => !candidate.acknowledged)) {
    const reply = await network.send({ method: 'POST', url: '/api/v1/imports/batch', headers: { ...bearer(tokens.ben as string), 'content-type': 'application/json', 'idempotency-key': feed.key }, payload: feed.payload });
    if (reply?.statusCode !== 201) throw new Error(`seed ${seed}: feed ${feed.key} refused after healing`);
    feed.acknowledged = true;
  }
  // Push until no desk holds an unpushed change (a conflict's merge is a new change), then pull once.
  for (let round = 0; desks.some((desk) => desk.dirtyCount() > 0); round++) {
    if (round === SYNC_ROUNDS_MAX) throw new Error(`seed ${seed}: desks still pushing after ${SYNC_ROUNDS_MAX} rounds`);
    for (const desk of desks) for (const collection of COLLECTIONS) await desk.push(collection);
    stats.syncRounds = round + 1;
  }
  for (const desk of desks) for (const collection of COLLECTIONS) await desk.pull(collection);
  await checkOutcome(env, seed, desks, start, made, feeds, tokens.cy as string);
  return stats;
}

async function checkOutcome(env: SimulationEnv, seed: number, desks: readonly Desk[], start: Record<SimCollection, string>, made: Map<string, { collection: SimCollection; doc: object }>, feeds: readonly FeedBatch[], token: string): Promise<void> {
  // The server's state as a fresh desk with a perfect network sees it.
  const healed = new Network(env, () => 1, { delivered: 0, dropped: 0, lostResponses: 0, duplicated: 0, delayed: 0, restarts: 0, conflicts: 0, syncRounds: 0 });
  healed.healed = true;
  const server = new Desk('cy', token, start, healed, healed.stats);
  for (const collection of COLLECTIONS) await server.pull(collection);
  for (const { collection, doc } of made.values()) {
    const stored = server.docs.get(collection)?.get((doc as { id: string }).id);
    if (stored === undefined) throw new Error(`seed ${seed}: ${collection} ${(doc as { id: string }).id} was lost`);
    if (canonicalJson(stored.local) !== canonicalJson({ ...doc, _deleted: false })) throw new Error(`seed ${seed}: ${collection} ${(doc as { id: string }).id} was changed`);
  }
  const expected = server.stateHash();
  for (const desk of desks) {
    if (desk.stateHash() !== expected) throw new Error(`seed ${seed}: desk ${desk.user} diverged from the server (${desk.stateHash().slice(0, 12)} != ${expected.slice(0, 12)})`);
  }
  const { rows } = await env.db.query<{ n: string; distinct_ids: string }>('select count(*)::text as n, count(distinct id)::text as distinct_ids from transactions where id like $1', [`f.s${seed}.%`]);
  const fed = feeds.length * FEED_ROWS;
  if (Number(rows[0]?.n) !== fed || Number(rows[0]?.distinct_ids) !== fed) throw new Error(`seed ${seed}: ${fed} fed rows expected once each, found ${rows[0]?.n} rows, ${rows[0]?.distinct_ids} distinct`);
}
