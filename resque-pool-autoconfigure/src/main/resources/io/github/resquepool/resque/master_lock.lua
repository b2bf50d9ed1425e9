-- resque-scheduler's master? (Lock::Resilient acquire! || locked?) in one step: take the lock when it is free,
-- with its TTL at once (SET NX EX), or renew it when this process holds it. A foreign holder without a TTL, which
-- would block every Ruby scheduler forever, is given one, so that it expires if nobody renews it.
-- ARGV: 1 prefix, 2 lock key without prefix, 3 value, 4 timeout in seconds. Returns 1 when held.
local key = P .. ARGV[2]
if redis.call('SET', key, ARGV[3], 'NX', 'EX', ARGV[4]) then return 1 end
if redis.call('GET', key) == ARGV[3] then
  redis.call('EXPIRE', key, ARGV[4])
  return 1
end
if redis.call('TTL', key) == -1 then redis.call('EXPIRE', key, ARGV[4]) end
return 0
