-- Ruby's pruning of dead workers (Resque::Worker#prune_dead_workers, heartbeat rule), made safe for live
-- pools: a worker is pruned only when its heartbeat is still the expired value the caller read, and when it
-- belongs to no pool that beat within the liveness window. A job it still holds becomes a failure entry
-- with the given exception, as in Ruby.
-- ARGV: 1 prefix, 2 liveness window in ms (recovery-timeout), 3 failed_at, 4 exception,
--       5.. pairs of worker id and the heartbeat value read
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = redis.call('ZRANGEBYSCORE', P .. 'resquepool:pools', now - tonumber(ARGV[2]), '+inf')
local pruned = {}
local withJobs = {}
for i = 5, #ARGV, 2 do
  local id, seen = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', P .. 'workers:heartbeat', id) == seen then
    local owned = false
    for _, pool in ipairs(live) do
      if redis.call('SISMEMBER', P .. 'resquepool:pool:' .. pool .. ':workers', id) == 1 then
        owned = true
        break
      end
    end
    if not owned then
      if release_job(id, 'fail', ARGV[3], ARGV[4]) then withJobs[#withJobs + 1] = id end
      unregister(id)
      pruned[#pruned + 1] = id
    end
  end
end
return {pruned, withJobs}
