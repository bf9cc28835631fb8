-- Feeds (POST /api/v1/imports, /api/v1/imports/batch): transactions loaded by COPY, and the
-- idempotency keys that make a retried feed land once.

-- One row per Idempotency-Key. The primary key is what stops two concurrent requests with the
-- same key from both inserting: the second waits on the first's uncommitted row, then finds it.
-- The response is kept as the exact text sent, so a replay returns the same bytes.
create table idempotency_keys (
  key text primary key check (length(key) between 1 and 200),
  route text not null,
  user_id text not null,
  request_sha256 text not null check (request_sha256 ~ '^[0-9a-f]{64}$'),
  status_code integer not null,
  response text not null,
  created_at timestamptz not null default now()
);

-- Transactions as immutable facts, partitioned by the month of occurredAt: a month's settlement
-- reads one partition, an old month can be detached and archived whole. Monthly partitions are
-- made on first use (server/ingest/partitions.ts); the default partition only catches what no
-- month partition covers. Money is numeric, never float. conflict_of is set on a row that
-- repeats a known id with other money or dates: kept, not counted, until a person decides.
create table transactions (
  id text not null,
  occurred_month date not null,
  import_id text not null,
  line integer not null,
  conflict_of text,
  kind text not null,
  occurred_at text not null,
  booking_date date,
  value_date date,
  amount numeric not null,
  currency char(3) not null,
  account text,
  partner_id text,
  product_id text,
  channel text,
  counterparty_name text,
  counterparty_account text,
  external_id text,
  batch_id text,
  end_to_end_id text,
  bank_reference text,
  description text,
  customer_ref text,
  raw jsonb not null,
  source_id text not null,
  format text not null,
  file_name text not null
) partition by range (occurred_month);
create table transactions_default partition of transactions default;
-- Duplicate detection looks ids up (the one index: each index costs COPY throughput).
create index transactions_id on transactions (id);
