-- Stored transaction ids in one table instead of an id index on every month partition.
-- A feed looks its 10,000 ids up under the ingest lock: against the partitioned index that was
-- one probe per id per partition (every month ever imported, plus the default one), here one per
-- id. The table holds what duplicate detection reads (server/ingest/store.ts), so the lookup never
-- touches the partitions, and its primary key refuses a second row for a stored id: an import
-- that tried to store one fails whole instead of keeping two. Each import COPYs its rows here
-- and into transactions in the same transaction.
create table transaction_ids (
  id text primary key,
  conflict_of text,
  line integer not null,
  source_id text not null,
  amount numeric not null,
  currency char(3) not null,
  booking_date date,
  value_date date
);

-- Ids were unique already (one import at a time under the ingest lock, conflicting rows under
-- their own ids); should a database hold a repeat from before the lock, the lookup reads the
-- counted row (conflict_of null) first, as it did, and the other stays in transactions.
insert into transaction_ids (id, conflict_of, line, source_id, amount, currency, booking_date, value_date)
select distinct on (id) id, conflict_of, line, source_id, amount, currency, booking_date, value_date
from transactions
order by id, conflict_of nulls first, import_id, line;

-- Only the lookup read it, and its upkeep was about half of COPY's PostgreSQL CPU.
drop index transactions_id;
