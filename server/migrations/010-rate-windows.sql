-- Rate limits counted in the database so every server process on it shares one count
-- (server/auth/rate-limit.ts): the sign-in throttle (per user name and address), wrong current
-- passwords (per user) and partner API keys (per key), which 009 counted in a table of its own.
-- One row per scope and key: its current fixed window and the hits in it.
create table rate_windows (
  scope text not null,
  key text not null,
  window_start timestamptz not null,
  hits integer not null check (hits > 0),
  primary key (scope, key)
);
-- Ended windows are swept by scope and start (a flood of user names leaves a row per name).
create index rate_windows_ended on rate_windows (scope, window_start);

-- Its counts are at most one window old: dropped, not copied.
drop table partner_key_rate_windows;
