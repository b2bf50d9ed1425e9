-- A worker starts a unique job. "started": the lock of a waiting copy is released. "finished": the worker claims
-- the lock (value "running:<worker id>", ttl set anew) when it is free, held by a waiting copy ("queued:" or
-- "delayed:"), held by this worker already (a job that resumes), or held by a worker that no longer exists (its
-- pool died and was recovered, which requeued the job); else another copy runs and the job is a duplicate.
-- ARGV: 1 prefix, 2 lock key (under the prefix), 3 "started" or "finished", 4 worker id, 5 ttl in ms
-- Returns {1} when the job may run, else {0, the value that holds the lock}.
local key = P .. ARGV[2]
local held = redis.call('GET', key)
local running = held and string.sub(held, 1, 8) == 'running:'
if ARGV[3] == 'started' then
  if held and not running then redis.call('DEL', key) end
  return {1}
end
if running and held ~= 'running:' .. ARGV[4] and redis.call('EXISTS', P .. 'worker:' .. string.sub(held, 9)) == 1 then
  return {0, held}
end
redis.call('SET', key, 'running:' .. ARGV[4], 'PX', ARGV[5])
return {1}
