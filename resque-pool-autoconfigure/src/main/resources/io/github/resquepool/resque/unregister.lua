-- Unregister workers as Ruby does and drop them from the pool's own set. A job a worker still holds is
-- never deleted with it: it goes back to the head of its queue, or becomes a Resque::DirtyExit failure.
-- ARGV: 1 prefix, 2 pool id, 3 "requeue" or "fail", 4 failed_at, 5 exception for failures, 6.. worker ids
local requeued = {}
for i = 6, #ARGV do
  local id = ARGV[i]
  if release_job(id, ARGV[3], ARGV[4], ARGV[5]) then requeued[#requeued + 1] = id end
  unregister(id)
  redis.call('SREM', P .. 'resquepool:pool:' .. ARGV[2] .. ':workers', id)
end
return requeued
