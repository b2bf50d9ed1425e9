-- One firing of a recurring schedule, only by the holder of resque-scheduler's master lock: Resque's push
-- (SADD queues, RPUSH queue:<q>), a wake-up for idle pool workers, then HSET delayed:last_enqueued_at as the gem.
-- ARGV: 1 prefix, 2 lock key without prefix, 3 lock value, 4 queue, 5 payload, 6 schedule name, 7 Time#to_s now
if redis.call('GET', P .. ARGV[2]) ~= ARGV[3] then return 0 end
redis.call('SADD', P .. 'queues', ARGV[4])
redis.call('RPUSH', P .. 'queue:' .. ARGV[4], ARGV[5])
redis.call('PUBLISH', P .. 'resquepool:enqueued', ARGV[4])
redis.call('HSET', P .. 'delayed:last_enqueued_at', ARGV[6], ARGV[7])
return 1
