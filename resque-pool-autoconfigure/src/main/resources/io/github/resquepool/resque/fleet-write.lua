-- Store one fleet override (replacing the one of the same kind family and scope), numbered by the
-- fleet's sequence, bump the fleet's version and tell every pool.
-- ARGV: 1 prefix, 2 hash field, 3 the override as a JSON object without its "seq"
local seq = redis.call('INCR', P .. 'resquepool:fleet:seq')
local value = '{"seq":' .. seq .. ',' .. string.sub(ARGV[3], 2)
redis.call('HSET', P .. 'resquepool:fleet:overrides', ARGV[2], value)
local version = redis.call('INCR', P .. 'resquepool:fleet:version')
redis.call('PUBLISH', P .. 'resquepool:fleet', version)
return {seq, version}
