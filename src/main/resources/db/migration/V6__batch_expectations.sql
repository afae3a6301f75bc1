-- A payment batch is sent in one round trip when the node can assume what its statements will find: every
-- first answer's order still INITIATED and its partner without a callback URL, every new reference unused,
-- every account there. Each statement checks its own assumption with this function (as a one-time filter)
-- and a broken one aborts the whole transaction, which then runs again the careful way, reading before it
-- writes (payment/Batches, docs/PERFORMANCE.md). A wallet that cannot cover its holds needs no check here:
-- the accounts_no_overdraw constraint refuses the write.
create function batch_expect(holds boolean, what text) returns boolean
    language plpgsql as $$
begin
    if not holds then
        raise exception 'batch assumption broken: %', what using errcode = 'BS001';
    end if;
    return true;
end
$$;
