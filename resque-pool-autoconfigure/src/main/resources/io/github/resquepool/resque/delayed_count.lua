-- resque-scheduler's count_all_scheduled_jobs: the items of every bucket in delayed_queue_schedule.
-- ARGV: 1 prefix
local total = 0
for _, member in ipairs(redis.call('ZRANGE', P .. 'delayed_queue_schedule', 0, -1)) do
  local list = P .. 'delayed:' .. member
  if redis.call('TYPE', list).ok == 'list' then total = total + redis.call('LLEN', list) end
end
return total
