-- A worker is done with a unique job: its lock is released if this worker still holds it. A job that goes back
-- to its queue (it stopped at a checkpoint) keeps its lock as a waiting copy's instead ("queued:<queue>"), so that
-- whichever worker takes it next claims it, even while this one runs another job.
-- ARGV: 1 prefix, 2 lock key (under the prefix), 3 worker id, and for a job put back: 4 queue, 5 ttl in ms
local key = P .. ARGV[2]
if redis.call('GET', key) ~= 'running:' .. ARGV[3] then return 0 end
if ARGV[4] then
  redis.call('SET', key, 'queued:' .. ARGV[4], 'PX', ARGV[5])
  return 1
end
return redis.call('DEL', key)
