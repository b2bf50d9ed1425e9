-- Resque's push (SADD queues, RPUSH queue:<q>) plus a wake-up for idle resque-pool workers.
-- ARGV: 1 prefix, 2 queue, 3 payload
redis.call('SADD', P .. 'queues', ARGV[2])
local length = redis.call('RPUSH', P .. 'queue:' .. ARGV[2], ARGV[3])
redis.call('PUBLISH', P .. 'resquepool:enqueued', ARGV[2])
return length
