-- Replicated documents (core/sync COLLECTIONS), one row per document, body as validated JSON.
-- seq is the replication checkpoint: assigned from sync_seq inside the writing transaction while
-- it holds the push lock (see server/sync/repository.ts), so seq order is commit order and a
-- pull never skips a row that commits later with a smaller number.
create sequence sync_seq;

create table sync_documents (
  collection text not null,
  id text not null,
  seq bigint not null,
  deleted boolean not null default false,
  body jsonb not null,
  written_by text not null,
  written_at timestamptz not null default now(),
  primary key (collection, id)
);
create unique index sync_documents_seq on sync_documents (seq);
create index sync_documents_collection_seq on sync_documents (collection, seq);

-- Statements projected from their documents, money as numeric (never float), for maker-checker
-- and reports without parsing JSON.
create table statements (
  id text primary key,
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  partner_id text not null,
  period text not null,
  currency char(3) not null,
  payable numeric not null,
  blocked boolean not null,
  created_by text not null
);
