-- Partner hardening (issue 20): one-time passwords must be changed before anything else, and API
-- key rate limits hold across server processes.

-- A password an admin set (a portal user's first one, a reset) is one-time: until its user sets
-- their own (POST /api/v1/auth/password), the guards let that user reach nothing else.
alter table users add column password_change_required boolean not null default false;
-- No route could change a password before this migration: every partner user's is still the one an admin set.
update users set password_change_required = true where role = 'partner';

-- Requests per partner API key in fixed windows, counted here so every server process on this
-- database shares one count (server/partner/key-rate-limit.ts); one row per key is kept.
create table partner_key_rate_windows (
  key_id text not null references partner_api_keys (id),
  window_start timestamptz not null,
  requests integer not null check (requests > 0),
  primary key (key_id, window_start)
);
