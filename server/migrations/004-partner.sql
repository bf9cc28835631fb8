-- Partner accounts (issue 20): partners and the analyst their queries go to, partner users bound
-- to exactly one partner, API keys kept only as hashes, the signed files of a statement, and
-- outgoing webhooks with their delivery queue and log.

create table partners (
  id text primary key check (length(id) between 1 and 200),
  name text not null check (length(name) between 1 and 200),
  -- The analyst (a username) a partner's queries are assigned to on the desk.
  analyst text not null,
  created_by text not null,
  created_at timestamptz not null default now()
);

-- A partner user is bound to exactly one partner; no other role has one.
alter table users drop constraint users_role_check;
alter table users add constraint users_role_check check (role in ('analyst', 'approver', 'admin', 'auditor', 'partner'));
alter table users add column partner_id text references partners (id);
alter table users add constraint users_partner_bound check ((role = 'partner') = (partner_id is not null));

-- The secret is shown once at creation; only its SHA-256 is kept (a 256-bit random secret needs no slow hash).
create table partner_api_keys (
  id text primary key,
  partner_id text not null references partners (id),
  name text not null check (length(name) between 1 and 200),
  secret_sha256 text not null check (secret_sha256 ~ '^[0-9a-f]{64}$'),
  scopes text[] not null check (cardinality(scopes) > 0 and scopes <@ array['statements:read', 'queries:write']::text[]),
  expires_at timestamptz not null,
  created_by text not null,
  created_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by text
);
create index partner_api_keys_partner on partner_api_keys (partner_id);

-- The signed files of a statement, stored by an admin after signing (JWS text, PDF bytes).
create table statement_artifacts (
  statement_id text primary key,
  jws text,
  pdf bytea,
  stored_by text not null,
  stored_at timestamptz not null
);

-- Partners' statement queries: the exception on the desk carries the text; this row scopes it.
create table partner_queries (
  id text primary key,
  partner_id text not null references partners (id),
  statement_id text not null,
  line integer not null check (line > 0),
  exception_id text not null unique,
  claimed_amount numeric,
  created_at timestamptz not null,
  answered_seq bigint
);
create index partner_queries_partner on partner_queries (partner_id, statement_id);

create table partner_webhooks (
  id text primary key,
  partner_id text not null references partners (id),
  url text not null check (url ~ '^https?://'),
  -- The HMAC key: needed in clear to sign each delivery.
  secret text not null,
  events text[] not null check (cardinality(events) > 0 and events <@ array['statement.approved', 'statement.revised', 'query.answered']::text[]),
  active boolean not null default true,
  created_by text not null,
  created_at timestamptz not null
);
create index partner_webhooks_partner on partner_webhooks (partner_id);

-- The queue and the delivery log in one: a row per (webhook, event), its attempts below.
create table webhook_deliveries (
  id text primary key,
  webhook_id text not null references partner_webhooks (id),
  partner_id text not null,
  event_type text not null,
  event_id text not null,
  body text not null,
  status text not null check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  created_at timestamptz not null,
  delivered_at timestamptz,
  unique (webhook_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';

create table webhook_attempts (
  delivery_id text not null references webhook_deliveries (id),
  attempt integer not null check (attempt > 0),
  at timestamptz not null,
  status_code integer,
  error text,
  duration_ms integer not null,
  primary key (delivery_id, attempt)
);

-- How far the webhook worker has read the replicated documents (approvals, answered queries).
create table partner_event_cursor (
  name text primary key,
  seq bigint not null
);

-- Partner reads find a statement's approval events by statement id.
create index sync_documents_approval_statement on sync_documents ((body->>'statementId')) where collection = 'approval_events';
