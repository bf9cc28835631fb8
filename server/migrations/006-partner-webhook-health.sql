-- Webhook health (issue 20 hardening): a webhook whose deliveries keep failing is switched off
-- after a number of consecutive failed deliveries (each one already retried with backoff), and says
-- when and why in the delivery log; a delivered event resets the count. An admin switches it on again.
alter table partner_webhooks
  add column consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  add column deactivated_at timestamptz,
  add column deactivated_reason text;

-- The worker claims due deliveries of active webhooks only.
create index webhook_deliveries_webhook on webhook_deliveries (webhook_id, status);
