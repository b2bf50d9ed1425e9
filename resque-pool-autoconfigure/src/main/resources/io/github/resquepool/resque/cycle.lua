-- One turn of a worker: record the outcome of its last job, then take the next one.
-- ARGV: 1 prefix, 2 worker id, 3 outcome ("" none, "ok", "fail", "dirty"), 4 sha1 of the status being acked,
--       5 failure entry JSON (for fail/dirty), 6 "1" to take a job / "0" to only record,
--       7 run_at, 8 "S" (static list) or "D" (dynamic list), 9 number n of inclusion entries,
--       10..9+n inclusion entries, then exclusion patterns (dynamic only).
local id = ARGV[2]
local wkey = P .. 'worker:' .. id
local outcome = ARGV[3]
local held = nil
if outcome ~= '' then
  local current = redis.call('GET', wkey)
  held = current
  -- Record only the job this worker still holds; absent means Redis lost it, and the outcome still counts.
  if current == false or redis.sha1hex(current) == ARGV[4] then
    if outcome ~= 'ok' then
      redis.call('RPUSH', P .. 'failed', ARGV[5])
    end
    if outcome == 'fail' then
      redis.call('INCR', P .. 'stat:failed')
      redis.call('INCR', P .. 'stat:failed:' .. id)
    end
    redis.call('DEL', wkey)
    redis.call('INCR', P .. 'stat:processed')
    redis.call('INCR', P .. 'stat:processed:' .. id)
    held = false
  end
end
if ARGV[6] ~= '1' then return {'recorded'} end

if held == nil then held = redis.call('GET', wkey) end
if held then return {'resume', held, redis.sha1hex(held)} end
local pause = redis.call('GET', P .. 'pause-all-workers')
if pause and string.lower(string.match(pause, '^%s*(.-)%s*$')) == 'true' then return {'paused'} end

local n = tonumber(ARGV[9])
local queues = {}
if ARGV[8] == 'S' then
  for i = 10, 9 + n do queues[#queues + 1] = ARGV[i] end
else
  local function matches(arg, name)
    if string.sub(arg, 1, 1) == '1' and string.sub(name, 1, 1) == '.' then return false end
    return string.find(name, string.sub(arg, 2)) ~= nil
  end
  local known = redis.call('SMEMBERS', P .. 'queues')
  local seen = {}
  for i = 10, 9 + n do
    local found = {}
    for _, name in ipairs(known) do
      if not seen[name] and matches(ARGV[i], name) then
        local excluded = false
        for j = 10 + n, #ARGV do
          if matches(ARGV[j], name) then excluded = true break end
        end
        if not excluded then found[#found + 1] = name end
      end
    end
    table.sort(found)
    for _, name in ipairs(found) do
      seen[name] = true
      queues[#queues + 1] = name
    end
  end
end

local result = {'idle'}
for _, q in ipairs(queues) do
  local job = redis.pcall('LPOP', P .. 'queue:' .. q)
  if type(job) == 'table' and job['err'] then
    result[#result + 1] = q
  elseif job then
    local status = '{"queue":' .. jsonstr(q) .. ',"run_at":"' .. ARGV[7] .. '","payload":' .. payload_json(job) .. '}'
    redis.call('SET', wkey, status)
    return {'job', q, job, redis.sha1hex(status)}
  end
end
return result
