-- Unregister workers as Ruby does and drop them from the pool's own set. A job a worker still holds is
-- never deleted with it: it goes back to the head of its queue, or becomes a Resque::DirtyExit failure.
-- ARGV: 1 prefix, 2 pool id, 3 "requeue" or "fail", 4 failed_at, 5 exception for failures, 6.. worker ids
local requeued = {}
for i = 6, #ARGV do
  local id = ARGV[i]
  local current = redis.call('GET', P .. 'worker:' .. id)
  if current then
    local q, payload = status_parts(current)
    if q and ARGV[3] == 'requeue' then
      redis.call('LPUSH', P .. 'queue:' .. q, payload)
      redis.call('SADD', P .. 'queues', q)
    else
      payload = payload or current
      redis.call('RPUSH', P .. 'failed', failure_entry(ARGV[4], payload, ARGV[5],
        'Worker ' .. id .. ' did not gracefully exit while processing ' .. payload_class(payload), id, q or ''))
    end
    requeued[#requeued + 1] = id
  end
  unregister(id)
  redis.call('SREM', P .. 'resquepool:pool:' .. ARGV[2] .. ':workers', id)
end
return requeued
