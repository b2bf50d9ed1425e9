-- resque-scheduler's count_all_scheduled_jobs, one chunk at a time: the items of the buckets of
-- delayed_queue_schedule whose score is above a given one, at most a given number of buckets per call, so
-- that no call holds Redis for long however many buckets there are (the caller adds the chunks up).
-- ARGV: 1 prefix, 2 the score after which to start ("-inf" first), 3 the most buckets to count
-- Returns {items, score of the last bucket counted or "" when there are no more}.
local buckets = redis.call('ZRANGEBYSCORE', P .. 'delayed_queue_schedule', '(' .. ARGV[2], '+inf', 'WITHSCORES',
  'LIMIT', 0, tonumber(ARGV[3]))
local total = 0
for i = 1, #buckets, 2 do
  local list = P .. 'delayed:' .. buckets[i]
  if redis.call('TYPE', list).ok == 'list' then total = total + redis.call('LLEN', list) end
end
local last = ''
if #buckets / 2 >= tonumber(ARGV[3]) then last = buckets[#buckets] end
return {total, last}
