-- Users, roles and refresh tokens. Passwords are argon2id PHC strings; refresh tokens are kept
-- only as SHA-256 hashes, in families so a reused (stolen) token revokes its whole family.
create table users (
  id text primary key,
  username text not null unique,
  password_hash text not null,
  role text not null check (role in ('analyst', 'approver', 'admin', 'auditor')),
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);

create table refresh_tokens (
  id text primary key,
  user_id text not null references users (id),
  family_id text not null,
  token_hash text not null unique,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  replaced_by text,
  created_at timestamptz not null default now()
);
create index refresh_tokens_family on refresh_tokens (family_id);

-- Secrets every server process must share (the access-token signing key), made on first start.
create table server_secrets (
  name text primary key,
  value text not null
);
