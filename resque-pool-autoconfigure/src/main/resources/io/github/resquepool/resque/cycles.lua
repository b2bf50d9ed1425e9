-- One turn for each of several workers of one group, in one atomic step: record the outcome of each
-- worker's last job, then take its next job in strict priority order, recording it at worker:<id>.
-- ARGV: 1 prefix, 2 run_at, 3 number q of queue arguments, 4..3+q the queue list ("S" or "D", number n of
--       inclusion entries, n inclusion entries, then exclusion patterns for "D"), then per worker 5 values:
--       id, outcome ("" none, "ok", "fail", "dirty"), sha1 of the status being acked, failure entry, "1"/"0" fetch.
-- Returns one array per worker: {'job', queue, payload, sha} | {'resume', status, sha} | {'idle', unreadable...}
--       | {'paused'} | {'recorded'}
local run_at = ARGV[2]
local qn = tonumber(ARGV[3])
local first = 4 + qn

local queues = nil
local function queue_list()
  if queues then return queues end
  queues = {}
  local n = tonumber(ARGV[5])
  if ARGV[4] == 'S' then
    for i = 6, 5 + n do queues[#queues + 1] = ARGV[i] end
    return queues
  end
  -- Patterns come from Java with \1 for "one UTF-8 character" and \2 after a negated class.
  local compiled = {}
  for i = 6, 3 + qn do
    local pattern = string.gsub(string.sub(ARGV[i], 2), '\1', '[\1-\127\194-\244][\128-\191]*')
    compiled[i] = (string.gsub(pattern, '\2', '[\128-\191]*'))
  end
  local function matches(i, name)
    if string.sub(ARGV[i], 1, 1) == '1' and string.sub(name, 1, 1) == '.' then return false end
    return string.find(name, compiled[i]) ~= nil
  end
  local known = redis.call('SMEMBERS', P .. 'queues')
  local seen = {}
  for i = 6, 5 + n do
    local found = {}
    for _, name in ipairs(known) do
      if not seen[name] and matches(i, name) then
        local excluded = false
        for j = 6 + n, 3 + qn do
          if matches(j, name) then excluded = true break end
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
  return queues
end

local paused = nil
local empty = {}
local unreadable = {}
local exhausted = false
local processed = 0
local results = {}

for w = first, #ARGV, 5 do
  local id, outcome, sha, failure, fetch = ARGV[w], ARGV[w + 1], ARGV[w + 2], ARGV[w + 3], ARGV[w + 4]
  local wkey = P .. 'worker:' .. id
  local held = nil
  if outcome ~= '' then
    held = redis.call('GET', wkey)
    -- Record only the job this worker still holds; absent means Redis lost it, and the outcome still counts.
    if held == false or redis.sha1hex(held) == sha then
      if outcome ~= 'ok' then redis.call('RPUSH', P .. 'failed', failure) end
      if outcome == 'fail' then
        redis.call('INCR', P .. 'stat:failed')
        redis.call('INCR', P .. 'stat:failed:' .. id)
      end
      redis.call('DEL', wkey)
      redis.call('INCR', P .. 'stat:processed:' .. id)
      processed = processed + 1
      held = false
    end
  end
  local result
  if fetch ~= '1' then
    result = {'recorded'}
  else
    if held == nil then held = redis.call('GET', wkey) end
    if held then
      result = {'resume', held, redis.sha1hex(held)}
    else
      if paused == nil then
        local flag = redis.call('GET', P .. 'pause-all-workers')
        paused = (flag and string.lower(string.match(flag, '^%s*(.-)%s*$')) == 'true') or false
      end
      if paused then
        result = {'paused'}
      elseif exhausted then
        result = {'idle'}
      else
        for _, q in ipairs(queue_list()) do
          if not empty[q] then
            local job = redis.pcall('LPOP', P .. 'queue:' .. q)
            if type(job) == 'table' and job['err'] then
              empty[q] = true
              unreadable[#unreadable + 1] = q
            elseif job then
              local status = '{"queue":' .. jsonstr(q) .. ',"run_at":"' .. run_at .. '","payload":' .. payload_json(job) .. '}'
              redis.call('SET', wkey, status)
              result = {'job', q, job, redis.sha1hex(status)}
              break
            else
              empty[q] = true
            end
          end
        end
        if not result then
          exhausted = true
          result = {'idle'}
          for _, q in ipairs(unreadable) do result[#result + 1] = q end
        end
      end
    end
  end
  results[#results + 1] = result
end
if processed > 0 then redis.call('INCRBY', P .. 'stat:processed', processed) end
return results
