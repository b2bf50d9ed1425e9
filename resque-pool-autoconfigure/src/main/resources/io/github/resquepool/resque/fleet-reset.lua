-- Drop fleet overrides, bump the fleet's version and tell every pool.
-- ARGV: 1 prefix, 2.. hash fields to drop
for i = 2, #ARGV do redis.call('HDEL', P .. 'resquepool:fleet:overrides', ARGV[i]) end
local version = redis.call('INCR', P .. 'resquepool:fleet:version')
redis.call('PUBLISH', P .. 'resquepool:fleet', version)
return version
