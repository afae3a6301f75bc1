-- Who last rotated an identity's token (they saw the new one): that identity may not approve their requests,
-- nor may one they created (two-person approval needs two people).
alter table admin_identities add column rotated_by text;
