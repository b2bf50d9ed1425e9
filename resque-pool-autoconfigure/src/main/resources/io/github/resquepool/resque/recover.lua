-- Recover a pool that stopped beating: put each job its workers were running back at the head of its
-- queue (or record a Resque::DirtyExit failure), unregister the workers as Ruby does, forget the pool.
-- Atomic, so when several live pools race for one dead pool exactly one of them recovers it.
-- ARGV: 1 prefix, 2 pool id, 3 milliseconds without a beat after which it is dead (by Redis TIME),
--       4 "requeue" or "fail", 5 failed_at
local pools = P .. 'resquepool:pools'
local score = redis.call('ZSCORE', pools, ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- A timeout of 0 means the caller knows the pool is gone (its own stop, or a predecessor in the same process).
if ARGV[3] ~= '0' and (not score or now - tonumber(score) < tonumber(ARGV[3])) then return false end
local members = redis.call('SMEMBERS', P .. 'resquepool:pool:' .. ARGV[2] .. ':workers')
local recovered = {}
-- Jobs go back to the head of their queue: the one taken last first, so the queue keeps its order
-- (run_at has whole seconds; the worker id breaks ties).
local order = {}
for _, id in ipairs(members) do
  local status = redis.call('GET', P .. 'worker:' .. id)
  order[#order + 1] = {id, status and string.match(status, '"run_at":"([^"]*)"') or ''}
end
table.sort(order, function(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] > b[1] end)
for _, entry in ipairs(order) do
  local id = entry[1]
  local q, class = release_job(id, ARGV[4], ARGV[5], 'Resque::DirtyExit')
  if q then
    recovered[#recovered + 1] = id
    recovered[#recovered + 1] = q
    recovered[#recovered + 1] = class
  end
  unregister(id)
end
redis.call('DEL', P .. 'resquepool:pool:' .. ARGV[2], P .. 'resquepool:pool:' .. ARGV[2] .. ':workers')
redis.call('ZREM', pools, ARGV[2])
return {#members, recovered}
