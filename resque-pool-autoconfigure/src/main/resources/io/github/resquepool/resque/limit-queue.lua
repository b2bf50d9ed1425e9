-- Sets or clears the run-time override of a queue's limit, with who set it, and wakes the queue's idle
-- workers (a raised limit has room at once). Every pool reads the override in cycles.lua at its next turn.
-- ARGV: 1 prefix, 2 queue, 3 "concurrency rate window_ms", or "" to clear, 4 who set it and when (JSON)
local limits, by = P .. 'resquepool:queue-limits', P .. 'resquepool:queue-limits:by'
if ARGV[3] == '' then
  redis.call('HDEL', limits, ARGV[2])
  redis.call('HDEL', by, ARGV[2])
else
  redis.call('HSET', limits, ARGV[2], ARGV[3])
  redis.call('HSET', by, ARGV[2], ARGV[4])
end
-- The definition shown in the fleet view follows at the next job taken; drop the stale one now.
local base = P .. 'resquepool:limit:queue:' .. ARGV[2]
if redis.call('EXISTS', base .. ':held') == 0 then
  redis.call('SREM', P .. 'resquepool:limits', 'queue:' .. ARGV[2])
  redis.call('DEL', base)
end
redis.call('PUBLISH', P .. 'resquepool:enqueued', ARGV[2])
return 1
