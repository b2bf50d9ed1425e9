-- resque-scheduler's remove_delayed: every copy of an encoded item, in every bucket its timestamps: index
-- names (LREM 0, SREM). A bucket left empty is also taken out of delayed_queue_schedule.
-- ARGV: 1 prefix, 2 encoded item
local tkey = P .. 'timestamps:' .. ARGV[2]
local removed = 0
for _, member in ipairs(redis.call('SMEMBERS', tkey)) do
  if redis.call('TYPE', P .. member).ok == 'list' then
    removed = removed + redis.call('LREM', P .. member, 0, ARGV[2])
    if redis.call('LLEN', P .. member) == 0 then
      redis.call('ZREM', P .. 'delayed_queue_schedule', string.sub(member, 9))
    end
  end
  redis.call('SREM', tkey, member)
end
return removed
