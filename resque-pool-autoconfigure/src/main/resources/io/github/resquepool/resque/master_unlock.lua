-- resque-scheduler's release_master_lock (locked? && DEL), atomic: only the holder deletes the lock.
-- ARGV: 1 prefix, 2 lock key without prefix, 3 value. Returns 1 when it was held and is released.
local key = P .. ARGV[2]
if redis.call('GET', key) == ARGV[3] then
  redis.call('DEL', key)
  return 1
end
return 0
