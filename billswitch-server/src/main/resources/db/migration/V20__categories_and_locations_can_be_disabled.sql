-- A category or a location can be disabled like an operator: hidden from the partners' catalog listings, and
-- the operators in it refused for payments (OPERATOR_DISABLED) until it is enabled again. Nothing is deleted:
-- orders keep naming their operator.
alter table categories add column enabled boolean not null default true;
alter table locations add column enabled boolean not null default true;
