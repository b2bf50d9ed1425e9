-- The fleet's version and its overrides, read together.
-- ARGV: 1 prefix
local version = redis.call('GET', P .. 'resquepool:fleet:version') or '0'
local result = {version}
local all = redis.call('HGETALL', P .. 'resquepool:fleet:overrides')
for _, v in ipairs(all) do result[#result + 1] = v end
return result
