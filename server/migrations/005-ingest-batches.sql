-- Feeds become replicated batches, and the server audit chain's tail is found by an index.

-- A feed's transactions now also reach desks as immutable import_batches documents (compact
-- columns, content hash), which carry the raw source fields and the source's format and file name
-- once per batch. The row keeps what is queried and what duplicate detection reads (id, money,
-- dates, source_id, line); raw, format and file_name stay filled on rows stored before this
-- migration and are null on new ones (a jsonb per row was a quarter of COPY's cost).
alter table transactions
  alter column raw drop not null,
  alter column format drop not null,
  alter column file_name drop not null;

-- The server chain's last event (the previous hash of the next one) was looked up by scanning
-- every audit event's JSON; this partial index finds it directly, at any chain length.
create index sync_documents_audit_tail on sync_documents ((body->>'chainId'), ((body->>'seq')::bigint)) where collection = 'audit_events';

-- Document bodies compressed with lz4 where the server has it: a feed's 10,000-row batch is a
-- jsonb of about 2 MB, and pglz spent ~40 ms of backend CPU on 0.7 MB where lz4 spent ~18. A
-- PostgreSQL built without lz4 (PGlite) keeps pglz; values written before keep theirs.
do $$
begin
  alter table sync_documents alter column body set compression lz4;
exception when feature_not_supported or invalid_parameter_value then
  null;
end
$$;
