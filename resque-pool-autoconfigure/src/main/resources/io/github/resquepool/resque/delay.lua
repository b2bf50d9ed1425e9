-- resque-scheduler's delayed_push (RPUSH delayed:<ts>, SADD timestamps:<item>, ZADD delayed_queue_schedule, in
-- that order), in one atomic step, plus a wake-up for the schedulers of resque-pool.
-- ARGV: 1 prefix, 2 bucket (integer epoch seconds, decimal), 3 encoded item
local length = redis.call('RPUSH', P .. 'delayed:' .. ARGV[2], ARGV[3])
redis.call('SADD', P .. 'timestamps:' .. ARGV[3], 'delayed:' .. ARGV[2])
redis.call('ZADD', P .. 'delayed_queue_schedule', ARGV[2], ARGV[2])
redis.call('PUBLISH', P .. 'resquepool:delayed', ARGV[2])
return length
