-- Every pool with a liveness record: id, last beat (ms, Redis TIME) and its self-description, plus the
-- time now, in one step. Returns {now, id1, beat1, info1, id2, ...}.
-- ARGV: 1 prefix
local t = redis.call('TIME')
local result = {tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))}
local pools = redis.call('ZRANGE', P .. 'resquepool:pools', 0, -1, 'WITHSCORES')
for i = 1, #pools, 2 do
  result[#result + 1] = pools[i]
  result[#result + 1] = pools[i + 1]
  result[#result + 1] = redis.call('HGET', P .. 'resquepool:pool:' .. pools[i], 'info') or ''
end
return result
