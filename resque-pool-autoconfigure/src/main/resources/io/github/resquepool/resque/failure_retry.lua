-- Retries a failure entry as Resque::Failure.requeue does, only while the entry at its index is still, byte
-- for byte, the one the caller read: marks it retried (LSET) and pushes the retry payload as Resque.push does
-- (SADD queues, RPUSH queue:<q>), with the pool's wake-up, in one atomic step.
-- ARGV: 1 prefix, 2 index, 3 the entry as read, 4 the entry marked retried, 5 queue, 6 payload
if redis.call('LINDEX', P .. 'failed', ARGV[2]) ~= ARGV[3] then return 0 end
redis.call('LSET', P .. 'failed', ARGV[2], ARGV[4])
redis.call('SADD', P .. 'queues', ARGV[5])
redis.call('RPUSH', P .. 'queue:' .. ARGV[5], ARGV[6])
redis.call('PUBLISH', P .. 'resquepool:enqueued', ARGV[5])
return 1
