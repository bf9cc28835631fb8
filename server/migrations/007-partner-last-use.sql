-- Last use of partner credentials as columns (issue 20 follow-up): the desk's admin lists read them
-- instead of scanning the server audit chain, which keeps one event per use as before.
alter table partner_api_keys add column last_used_at timestamptz;
alter table users add column last_sign_in_at timestamptz;

-- Keys used before this migration keep their last use, taken once from the audit chain.
update partner_api_keys k
   set last_used_at = used.at
  from (select body->'subject'->>'id' as id, max((body->>'at')::timestamptz) as at
          from sync_documents
         where collection = 'audit_events' and body->>'chainId' = 'server' and body->>'action' = 'partner_api_key.used'
         group by 1) used
 where used.id = k.id;
