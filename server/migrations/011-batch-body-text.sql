-- Import batch bodies as JSON text instead of jsonb. A feed's 10,000-row batch is ~1.6 MB of
-- JSON that the server made from validated columns and only ever hands back whole (pulls, the
-- approval recompute): as jsonb PostgreSQL parsed and rebuilt it on every write (~38-40 ms of
-- backend CPU per batch) and turned it back into text on every pull (~20-30 ms); as text it is
-- compressed and stored (~5-8 ms) and sent as it is (~7 ms). Every other collection keeps its
-- jsonb body (its fields are queried and indexed in SQL).
alter table sync_documents alter column body drop not null, add column body_text text;

-- lz4 where the server has it, as for body (005); PGlite keeps pglz.
do $$
begin
  alter table sync_documents alter column body_text set compression lz4;
exception when feature_not_supported or invalid_parameter_value then
  null;
end
$$;

-- Batches stored before this migration move over (jsonb's text form: the same document).
update sync_documents set body_text = body::text, body = null where collection = 'import_batches';

-- Exactly one body per row, in the column its collection uses (server/sync/repository.ts bodyColumn).
alter table sync_documents add constraint sync_documents_body_column check (
  case when collection = 'import_batches' then body is null and body_text is not null else body is not null and body_text is null end
);
