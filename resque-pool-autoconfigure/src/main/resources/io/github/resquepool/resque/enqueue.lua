-- Resque's push (SADD queues, RPUSH queue:<q>) plus a wake-up for idle resque-pool workers.
-- A unique job's push first takes its lock (SET NX PX): when the lock is held, nothing is pushed and -1 is returned.
-- ARGV: 1 prefix, 2 queue, 3 payload, and for a unique job: 4 lock key (under the prefix), 5 ttl in ms, 6 lock value
if ARGV[4] and not redis.call('SET', P .. ARGV[4], ARGV[6], 'NX', 'PX', ARGV[5]) then return -1 end
redis.call('SADD', P .. 'queues', ARGV[2])
local length = redis.call('RPUSH', P .. 'queue:' .. ARGV[2], ARGV[3])
redis.call('PUBLISH', P .. 'resquepool:enqueued', ARGV[2])
return length
