-- Put a job that a worker could not finish back at the head of its queue, or record it as a failure, but
-- only while the worker still holds it. A working status that cannot be read back into a queue and a
-- payload is never dropped: it becomes a Resque::DirtyExit failure entry holding the whole status.
-- ARGV: 1 prefix, 2 worker id, 3 sha1 of the status, 4 "requeue" or "fail",
--       5 the failure entry JSON ("fail") or failed_at ("requeue")
local wkey = P .. 'worker:' .. ARGV[2]
local current = redis.call('GET', wkey)
if not current or redis.sha1hex(current) ~= ARGV[3] then return 0 end
local q, payload = status_parts(current)
if ARGV[4] == 'fail' then
  redis.call('RPUSH', P .. 'failed', ARGV[5])
elseif not q then
  redis.call('RPUSH', P .. 'failed', failure_entry(ARGV[5], current, 'Resque::DirtyExit',
    'Worker ' .. ARGV[2] .. ' could not requeue a working status it cannot read', ARGV[2], ''))
else
  redis.call('LPUSH', P .. 'queue:' .. q, payload)
  redis.call('SADD', P .. 'queues', q)
end
redis.call('DEL', wkey)
release_slots(ARGV[2])
return 1
