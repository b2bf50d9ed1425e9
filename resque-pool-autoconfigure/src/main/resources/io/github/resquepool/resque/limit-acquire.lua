-- Take a slot of every limit a job is under, all or none, before it runs and only while its worker still holds
-- it. When a limit has no room the job goes to that limit's waiting list instead, off its queue, so the jobs
-- behind it flow, and its worker lets it go: it goes back to the head of its queue when a slot frees (one job
-- per slot) or when its rate window ends (as many as the window allows). Checked and taken in one script, so
-- pools racing for the last slot never both get it.
-- ARGV: 1 prefix, 2 worker id, 3 sha1 of the job's working status, then per limit 7 values: id, concurrency
--       (-1 none), rate (-1 none), rate window in ms, kind ("class" or "queue"), name, key ("" none)
-- Returns {'ok'} | {'blocked', id, 'concurrency' | 'rate'} | {'gone'} (the worker no longer holds the job).
local id, sha = ARGV[2], ARGV[3]
local wkey = P .. 'worker:' .. id
local status = redis.call('GET', wkey)
if not status or redis.sha1hex(status) ~= sha then return {'gone'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limits = {}
for i = 4, #ARGV, 7 do
  local limit = {L = ARGV[i], conc = tonumber(ARGV[i + 1]), rate = tonumber(ARGV[i + 2]), per = tonumber(ARGV[i + 3]),
    kind = ARGV[i + 4], name = ARGV[i + 5], key = ARGV[i + 6]}
  limit.base = P .. 'resquepool:limit:' .. limit.L
  limits[#limits + 1] = limit
end

local function define(limit)
  ours('HSET', limit.base, 'kind', limit.kind, 'name', limit.name, 'key', limit.key,
    'concurrency', limit.conc, 'rate', limit.rate, 'per', limit.per)
  ours('SADD', P .. 'resquepool:limits', limit.L)
end

for _, limit in ipairs(limits) do
  local blocked = nil
  local held = limit.base .. ':held'
  if limit.conc >= 0 and ours('HLEN', held) >= limit.conc and ours('HEXISTS', held, id) == 0 then
    blocked = 'concurrency'
  elseif limit.rate >= 0 then
    local start = now - now % limit.per
    limit.window = limit.base .. ':rate:' .. string.format('%d', start)
    if tonumber(ours('GET', limit.window) or '0') >= limit.rate then
      blocked = 'rate'
      local due = start + limit.per
      local dkey = P .. 'resquepool:limits:due'
      local current = ours('ZSCORE', dkey, limit.L)
      if not current or tonumber(current) > due then ours('ZADD', dkey, due, limit.L) end
    end
  end
  if blocked then
    define(limit)
    ours('RPUSH', limit.base .. ':waiting', status)
    redis.call('DEL', wkey)
    return {'blocked', limit.L, blocked}
  end
end

local holds = P .. 'resquepool:limit-holds:' .. id
for _, limit in ipairs(limits) do
  define(limit)
  if limit.conc >= 0 then
    ours('HSET', limit.base .. ':held', id, now)
    ours('SADD', holds, limit.L)
  end
  if limit.window then
    ours('INCR', limit.window)
    ours('PEXPIRE', limit.window, 2 * limit.per)
  end
end
return {'ok'}
