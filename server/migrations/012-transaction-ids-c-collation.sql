-- The id registry's ids compared byte by byte (the "C" collation). Ids are only ever compared for
-- equality (the primary key, the lookup's id = any($1)), which is byte equality under any
-- deterministic collation, so nothing found or refused changes; what changes is the cost of each
-- comparison in the primary key: on this C.UTF-8 database a probe of 2 x 20 COPYs of 10,000 rows
-- measured the registry COPY 22 -> 18-19 ms and the lookup 10 -> 6.7-10 ms of PostgreSQL CPU
-- (a database in a language collation such as en_US.UTF-8 compares text dearer). Rewrites the
-- table and rebuilds its primary key once. The lookup's text[] parameter takes the column's
-- collation, so it still probes the index.
alter table transaction_ids alter column id type text collate "C";
