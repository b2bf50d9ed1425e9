-- A worker is done with a unique job: its lock is released if this worker still holds it.
-- ARGV: 1 prefix, 2 lock key (under the prefix), 3 worker id
local key = P .. ARGV[2]
if redis.call('GET', key) == 'running:' .. ARGV[3] then
  return redis.call('DEL', key)
end
return 0
