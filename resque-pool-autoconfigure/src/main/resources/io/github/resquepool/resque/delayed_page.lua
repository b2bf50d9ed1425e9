-- A page of resque-scheduler's delayed queue in one round trip: buckets start..stop of
-- delayed_queue_schedule, each with its score, its length and its first items (none for a key that holds
-- no list).
-- ARGV: 1 prefix, 2 start, 3 stop, 4 items per bucket
local buckets = redis.call('ZRANGE', P .. 'delayed_queue_schedule', ARGV[2], ARGV[3], 'WITHSCORES')
local page = {}
for i = 1, #buckets, 2 do
  local key = P .. 'delayed:' .. buckets[i]
  local size, items = 0, {}
  if redis.call('TYPE', key)['ok'] == 'list' then
    size = redis.call('LLEN', key)
    items = redis.call('LRANGE', key, 0, tonumber(ARGV[4]) - 1)
  end
  page[#page + 1] = {buckets[i + 1], size, items}
end
return page
