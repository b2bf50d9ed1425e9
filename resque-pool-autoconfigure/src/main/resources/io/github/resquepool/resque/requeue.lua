-- Put a job that a stopping worker could not finish back at the head of its queue, or record it as a
-- Resque::DirtyExit failure, but only while the worker still holds it.
-- ARGV: 1 prefix, 2 worker id, 3 sha1 of the status, 4 "requeue" or "fail", 5 failure entry JSON (fail)
local wkey = P .. 'worker:' .. ARGV[2]
local current = redis.call('GET', wkey)
if not current or redis.sha1hex(current) ~= ARGV[3] then return 0 end
local q, payload = status_parts(current)
if ARGV[4] == 'fail' or not q then
  redis.call('RPUSH', P .. 'failed', ARGV[5])
else
  redis.call('LPUSH', P .. 'queue:' .. q, payload)
  redis.call('SADD', P .. 'queues', q)
end
redis.call('DEL', wkey)
return 1
