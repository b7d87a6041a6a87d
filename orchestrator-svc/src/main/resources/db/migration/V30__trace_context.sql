-- One distributed trace per run: the run keeps its trace id (GET /v1/runs/{id} shows it), each step the W3C trace
-- context it was dispatched in (a re-sent job continues the same trace), and each outbox row the context its Kafka
-- record carries when the relay sends it.
alter table runs add column trace_id text;
alter table steps add column trace_parent text;
alter table outbox add column trace_parent text;
