-- Partner self-service (issue 31).
--
-- A rotation with an overlap window keeps the secret it replaces, sealed like the current one but bound to its
-- own column (SecretBox's AAD names the column), until previous_valid_until; after that only secret_enc verifies.
-- Both nullable, no default: adding them rewrites nothing. A rotation without overlap (the admin's default)
-- clears them.
alter table partner_credentials add column previous_secret_enc text;
alter table partner_credentials add column previous_valid_until timestamptz;

-- GET /v1/transactions lists a partner's payments newest first by (created_at, id), keyset-paged. No existing
-- index serves it: orders_payment_reference is (partner_id, reference), which would read and sort every
-- payment of the partner. Payments only (the partial predicate of orders_payment_reference): bill fetches,
-- which are never listed, do not pay for it. Every payment inserts one more index entry (docs/PERFORMANCE.md).
create index orders_by_partner_time on orders (partner_id, created_at, id) where kind <> 'BILL_FETCH';
