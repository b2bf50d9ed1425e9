-- Removes a failure entry as Ruby does (LSET "" then LREM 1 ""), only while the entry at its index is still,
-- byte for byte, the one the caller read, in one atomic step.
-- ARGV: 1 prefix, 2 index, 3 the entry as read
if redis.call('LINDEX', P .. 'failed', ARGV[2]) ~= ARGV[3] then return 0 end
redis.call('LSET', P .. 'failed', ARGV[2], '')
redis.call('LREM', P .. 'failed', 1, '')
return 1
