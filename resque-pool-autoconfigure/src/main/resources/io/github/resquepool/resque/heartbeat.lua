-- The pool's beat: its liveness score and, when worker ids are given, one heartbeat (Redis TIME) for all
-- of them, in a fixed number of commands per thousand workers. Returns the ids that are no longer
-- registered (removed by a pruner), which the pool registers again, and whether the pool's own record
-- existed before this beat.
-- ARGV: 1 prefix, 2 pool id, 3 pool info JSON, 4.. worker ids
local t = redis.call('TIME')
local millis = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- Whether Redis still knew this pool: after a restart without persistence it does not.
local known = redis.call('EXISTS', P .. 'resquepool:pool:' .. ARGV[2])
redis.call('ZADD', P .. 'resquepool:pools', millis, ARGV[2])
redis.call('HSET', P .. 'resquepool:pool:' .. ARGV[2], 'info', ARGV[3], 'beat', millis)
local missing = {}
if #ARGV >= 4 then
  local ids = {}
  for i = 4, #ARGV do ids[#ids + 1] = ARGV[i] end
  local registered = chunked('SMISMEMBER', P .. 'workers', ids, 1000)
  local beat = iso_now()
  local fields = {}
  for i, id in ipairs(ids) do
    if registered[i] == 1 then
      fields[#fields + 1] = id
      fields[#fields + 1] = beat
    else
      missing[#missing + 1] = id
    end
  end
  chunked('HSET', P .. 'workers:heartbeat', fields, 2000)
end
return {tostring(millis), missing, known}
