-- Wallet events (issue 32): a credit limit and a low-balance threshold per wallet (partner and currency).
-- credit_limit_minor: how far below zero the wallet may go; the overdraft guard moves to it, so the database
-- itself refuses a wallet debited beyond its limit. low_balance_threshold_minor: the available balance
-- (balance - held + credit limit) below which the partner is sent one wallet.low_balance webhook per crossing
-- (0: no alert). Both are read with the wallet's row lock by every ledger batch: no round trip of their own.
alter table accounts
    add column credit_limit_minor bigint not null default 0 check (credit_limit_minor >= 0),
    add column low_balance_threshold_minor bigint not null default 0 check (low_balance_threshold_minor >= 0);

alter table accounts drop constraint accounts_no_overdraw;
alter table accounts add constraint accounts_no_overdraw
    check (not must_not_overdraw or debits_pending + debits_posted <= credits_posted + credit_limit_minor);
