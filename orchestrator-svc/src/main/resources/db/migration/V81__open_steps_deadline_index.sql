-- The timeout sweep (StepRepository.expiredJobs) looks for jobs still open past their deadline: pending, or cancelled
-- and not yet answered (they still hold budget). V1's partial index covers pending steps only, so with cancelled ones
-- in the predicate the sweep read the whole steps table every few seconds: 158 ms a sweep at 120,000 steps, growing
-- with the table. This index holds exactly the open steps, a few thousand at most whatever the table's size.
create index steps_open_deadline on steps (deadline)
    where status = 'PENDING' or (status = 'CANCELLED' and completed_at is null);
drop index steps_pending_deadline;
