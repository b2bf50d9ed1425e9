-- resque-scheduler's delayed_push (RPUSH delayed:<ts>, SADD timestamps:<item>, ZADD delayed_queue_schedule, in
-- that order), in one atomic step, plus a wake-up for the schedulers of resque-pool.
-- A unique job's push first takes its lock (SET NX PX): when the lock is held, nothing is pushed and -1 is returned.
-- ARGV: 1 prefix, 2 bucket (integer epoch seconds, decimal), 3 encoded item, and for a unique job: 4 lock key
--       (under the prefix), 5 ttl in ms, 6 lock value
if ARGV[4] and not redis.call('SET', P .. ARGV[4], ARGV[6], 'NX', 'PX', ARGV[5]) then return -1 end
local length = redis.call('RPUSH', P .. 'delayed:' .. ARGV[2], ARGV[3])
redis.call('SADD', P .. 'timestamps:' .. ARGV[3], 'delayed:' .. ARGV[2])
redis.call('ZADD', P .. 'delayed_queue_schedule', ARGV[2], ARGV[2])
redis.call('PUBLISH', P .. 'resquepool:delayed', ARGV[2])
return length
