-- Delivers rows of the transactional outbox: for each row, unless its marker exists, the marker (SET NX PX) and the
-- push of enqueue.lua (a job for its queue) or delay.lua (an item for its delayed bucket), in one atomic step, so a
-- row sent again after a lost answer is not pushed twice. A unique job's push first takes its lock, as there.
-- ARGV: 1 prefix, 2 marker ttl in ms, then per row 7: marker token, kind ('queue' or 'delayed'), queue or bucket,
--       payload or item, lock key (under the prefix, '' for none), lock ttl in ms, lock value
-- Answers one number per row: 1 pushed, 0 delivered before (the marker was there), -1 not pushed for a held lock.
local results = {}
for i = 3, #ARGV, 7 do
  local result = 0
  if redis.call('SET', P .. 'resquepool:outbox:sent:' .. ARGV[i], '1', 'NX', 'PX', ARGV[2]) then
    if ARGV[i + 4] ~= '' and not redis.call('SET', P .. ARGV[i + 4], ARGV[i + 6], 'NX', 'PX', ARGV[i + 5]) then
      result = -1
    elseif ARGV[i + 1] == 'queue' then
      redis.call('SADD', P .. 'queues', ARGV[i + 2])
      redis.call('RPUSH', P .. 'queue:' .. ARGV[i + 2], ARGV[i + 3])
      redis.call('PUBLISH', P .. 'resquepool:enqueued', ARGV[i + 2])
      result = 1
    else
      redis.call('RPUSH', P .. 'delayed:' .. ARGV[i + 2], ARGV[i + 3])
      redis.call('SADD', P .. 'timestamps:' .. ARGV[i + 3], 'delayed:' .. ARGV[i + 2])
      redis.call('ZADD', P .. 'delayed_queue_schedule', ARGV[i + 2], ARGV[i + 2])
      redis.call('PUBLISH', P .. 'resquepool:delayed', ARGV[i + 2])
      result = 1
    end
  end
  results[#results + 1] = result
end
return results
