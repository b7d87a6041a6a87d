-- The part of an item's reference a pipeline may use as a reference-free check would (e.g. the visible unit tests of
-- a code item, when grading runs them all): experiments can give it to verifiers instead of the whole reference.
-- (V7 rather than the next free number: another branch takes V6.)
alter table dataset_items add column visible text;
