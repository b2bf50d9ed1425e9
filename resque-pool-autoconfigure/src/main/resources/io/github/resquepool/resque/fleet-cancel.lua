-- Ask for the cancel of the job a worker runs now, for the pool that runs it: the request names the job by
-- the SHA-1 of its working status, so a pool never cancels the worker's next job. Numbered by the fleet's
-- sequence; bumps the fleet's version and tells every pool.
-- ARGV: 1 prefix, 2 worker id, 3 the request as a JSON object without "seq", "sha" and "pool", 4 its lifetime (s)
-- Returns {'unknown'} (no such worker), {'foreign'} (a worker of no resque-pool), {'idle', pool},
-- or {'stored', seq, version, pool, sha}.
local id = ARGV[2]
if redis.call('SISMEMBER', P .. 'workers', id) == 0 then return {'unknown'} end
local pool = nil
for _, candidate in ipairs(redis.call('ZRANGE', P .. 'resquepool:pools', 0, -1)) do
  if redis.call('SISMEMBER', P .. 'resquepool:pool:' .. candidate .. ':workers', id) == 1 then
    pool = candidate
    break
  end
end
if not pool then return {'foreign'} end
local held = redis.call('GET', P .. 'worker:' .. id)
if not held then return {'idle', pool} end
local sha = redis.sha1hex(held)
local seq = redis.call('INCR', P .. 'resquepool:fleet:seq')
local value = '{"seq":' .. seq .. ',"sha":"' .. sha .. '","pool":' .. jsonstr(pool) .. ',' .. string.sub(ARGV[3], 2)
redis.call('SET', P .. 'resquepool:cancel:' .. id, value, 'EX', ARGV[4])
local version = redis.call('INCR', P .. 'resquepool:fleet:version')
redis.call('PUBLISH', P .. 'resquepool:fleet', version)
return {'stored', seq, version, pool, sha}
