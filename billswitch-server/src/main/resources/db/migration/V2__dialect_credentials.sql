-- Provider dialects: each credential carries its own IP allow-list (AOPay's IP + RegistrationID mode,
-- AppotaPay's allow-list) and attributes (Eko initiator_id and user codes, AppotaPay partner code, ...).
alter table partner_credentials add column ip_allow_list text[] not null default '{}';
alter table partner_credentials add column attributes jsonb not null default '{}';
