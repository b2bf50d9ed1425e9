-- Shared functions, prepended to every resque-pool script. ARGV[1] of every script is the key prefix ("resque:").
local P = ARGV[1]

-- A command on one of resque-pool's own keys of a known type. Anyone can write a key, and a value of another
-- type must never make a worker's turn fail again and again: it is dropped (it holds nothing of ours) and the
-- command runs again.
local function ours(command, key, ...)
  local ok, result = pcall(redis.call, command, key, ...)
  if ok then return result end
  local message = (type(result) == 'table') and tostring(result['err']) or tostring(result)
  if string.find(message, 'WRONGTYPE', 1, true) then
    redis.call('DEL', key)
    return redis.call(command, key, ...)
  end
  error(result)
end

-- A JSON string as Ruby's json gem writes it: quotes, backslashes and control characters escaped, "/" and UTF-8 raw.
local function jsonstr(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == '\\' then return '\\\\'
    elseif c == '\n' then return '\\n' elseif c == '\r' then return '\\r' elseif c == '\t' then return '\\t'
    elseif c == '\b' then return '\\b' elseif c == '\f' then return '\\f'
    else return string.format('\\u%04x', string.byte(c)) end
  end) .. '"'
end

-- A payload as it goes into a JSON document: as is when it is a JSON object, else as a JSON string, so that
-- worker:<id> and failure entries always hold valid JSON whatever was pushed onto a queue.
local function payload_json(payload)
  if string.find(payload, '^%s*{') and string.find(payload, '}%s*$') then
    local ok, decoded = pcall(cjson.decode, payload)
    if ok and type(decoded) == 'table' then return payload end
  end
  return jsonstr(payload)
end

-- The queue and the payload (bytes as they were taken) of a working status this pool wrote, or nil for a
-- status that cannot be read back (anyone can write worker:<id>): a decoding error must never abort a
-- script midway, after some of its writes.
local function status_parts(status)
  -- Checked first, so that the pattern below never backtracks through a long status it cannot match.
  if string.sub(status, 1, 10) ~= '{"queue":"' or string.sub(status, -1) ~= '}' then return nil end
  local q, payload = string.match(status, '^{"queue":"(.-)","run_at":"[^"]*","payload":(.*)}$')
  if not q then return nil end
  local ok = true
  if string.find(q, '\\', 1, true) then ok, q = pcall(cjson.decode, '"' .. q .. '"') end
  if not ok or type(q) ~= 'string' then return nil end
  if string.sub(payload, 1, 1) == '"' then ok, payload = pcall(cjson.decode, payload) end
  if not ok or type(payload) ~= 'string' then return nil end
  return q, payload
end

-- The class name of a payload, for messages.
local function payload_class(payload)
  local ok, decoded = pcall(cjson.decode, payload)
  if ok and type(decoded) == 'table' and type(decoded['class']) == 'string' then return decoded['class'] end
  return '<Unknown Job>'
end

-- Defined at the end, with the other flow-control functions; unregister calls it.
local release_slots
-- The slots held of each limit, as read once in this script call and kept up to date by its own takes and
-- releases: a call takes the jobs of several workers, and reads each count only once.
local held_counts = {}
local function held_count(L, key)
  local count = held_counts[L]
  if count == nil then
    count = ours('HLEN', key)
    held_counts[L] = count
  end
  return count
end

-- Resque's unregistration of one worker id (lib/resque/worker.rb unregister_worker), plus the pool's own
-- acknowledgement marker of that worker.
local function unregister(id)
  release_slots(id)
  redis.call('SREM', P .. 'workers', id)
  redis.call('DEL', P .. 'worker:' .. id, P .. 'worker:' .. id .. ':started',
    P .. 'stat:processed:' .. id, P .. 'stat:failed:' .. id, P .. 'resquepool:acked:' .. id)
  redis.call('HDEL', P .. 'workers:heartbeat', id)
end

-- Calls a Redis command with the elements of a list as trailing arguments, in chunks, so that no Lua
-- unpack limit is hit however long the list is. Returns the concatenated results of array answers.
local function chunked(command, key, items, step)
  local results = {}
  for first = 1, #items, step do
    local last = math.min(first + step - 1, #items)
    local answer = redis.call(command, key, unpack(items, first, last))
    if type(answer) == 'table' then
      for _, value in ipairs(answer) do results[#results + 1] = value end
    end
  end
  return results
end

-- A Resque failure entry, keys in Ruby's order.
local function failure_entry(failed_at, payload, exception, err, id, queue)
  return '{"failed_at":' .. jsonstr(failed_at) .. ',"payload":' .. payload_json(payload) ..
    ',"exception":' .. jsonstr(exception) .. ',"error":' .. jsonstr(err) ..
    ',"backtrace":[],"worker":' .. jsonstr(id) .. ',"queue":' .. jsonstr(queue) .. '}'
end

-- What happens to a job a worker still holds when it is removed: back to the head of its queue ("requeue"),
-- or a failure entry such as Resque::DirtyExit. Returns the job's queue and class, for messages.
local function release_job(id, mode, failed_at, exception)
  local current = redis.call('GET', P .. 'worker:' .. id)
  if not current then return nil end
  local q, payload = status_parts(current)
  if q and mode == 'requeue' then
    redis.call('LPUSH', P .. 'queue:' .. q, payload)
    redis.call('SADD', P .. 'queues', q)
  else
    payload = payload or current
    redis.call('RPUSH', P .. 'failed', failure_entry(failed_at, payload, exception,
      'Worker ' .. id .. ' did not gracefully exit while processing ' .. payload_class(payload), id, q or ''))
  end
  return q or '', payload_class(payload)
end

-- Redis TIME as UTC date and time fields: year, month, day, hour, minute, second.
local function utc_now()
  local t = tonumber(redis.call("TIME")[1])
  local days = math.floor(t / 86400)
  local secs = t - days * 86400
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = (mp < 10) and (mp + 3) or (mp - 9)
  local y = yoe + era * 400 + ((m <= 2) and 1 or 0)
  return y, m, d, math.floor(secs / 3600), math.floor((secs % 3600) / 60), secs % 60
end

-- Redis TIME as ISO-8601 with offset, as Ruby's heartbeat writes it: 2026-11-22T14:35:51+00:00.
local function iso_now()
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d+00:00', utc_now())
end

-- Redis TIME as Resque writes a failure's failed_at: 2026/11/22 14:35:51 UTC.
local function failed_at_now()
  return string.format('%04d/%02d/%02d %02d:%02d:%02d UTC', utc_now())
end

-- Flow control (docs/flow-control.md). A limit L ("class:<class>:<index>", "key:<class>:<index>:<key>" or
-- "queue:<queue>") has its slots at resquepool:limit:<L>:held (hash: worker id -> ms taken), the jobs it holds
-- back at resquepool:limit:<L>:waiting (list of working statuses, oldest first), its definition at
-- resquepool:limit:<L> (hash), and is listed in resquepool:limits while in use. The limits whose slots a worker
-- holds are at resquepool:limit-holds:<worker id>, one per line. Every step costs as few commands as it can:
-- they run for each job of a limited class or queue.

-- Puts up to n jobs that a limit held back at the head of their queues, oldest first at the head.
local function wake_waiters(L, n)
  local base = P .. 'resquepool:limit:' .. L
  if string.sub(L, 1, 6) == 'queue:' then
    -- A queue limit holds nothing back: its jobs stay on the queue, whose idle workers are woken when a worker
    -- passed over them.
    if redis.call('DEL', base .. ':full') == 1 then
      redis.call('PUBLISH', P .. 'resquepool:enqueued', string.sub(L, 7))
    end
    return 0
  end
  local woken = {}
  for _ = 1, n do
    local entry = ours('LPOP', base .. ':waiting')
    if not entry then break end
    woken[#woken + 1] = entry
  end
  for i = #woken, 1, -1 do
    local q, payload = status_parts(woken[i])
    if q then
      redis.call('LPUSH', P .. 'queue:' .. q, payload)
      redis.call('SADD', P .. 'queues', q)
      redis.call('PUBLISH', P .. 'resquepool:enqueued', q)
    else
      redis.call('RPUSH', P .. 'failed', failure_entry(failed_at_now(), woken[i], 'Resque::DirtyExit',
        'A job held back by limit ' .. L .. ' could not be read back into a queue', '', ''))
    end
  end
  -- A per-key limit is forgotten with its last slot and job, since keys come and go; a limit of a whole class
  -- or queue stays listed until limit-due.lua finds it unused, so that a steady stream does not rewrite it.
  if string.sub(L, 1, 4) == 'key:' and redis.call('EXISTS', base .. ':held', base .. ':waiting') == 0 then
    ours('SREM', P .. 'resquepool:limits', L)
    redis.call('DEL', base)
  end
  return #woken
end

-- Frees the slots a worker holds, each letting one held-back job of its limit go back to its queue. Called
-- wherever a worker's job ends or is taken from it: its outcome recorded, requeued, or its worker removed.
release_slots = function(id)
  local held = ours('GETDEL', P .. 'resquepool:limit-holds:' .. id)
  if not held then return end
  for L in string.gmatch(held, '[^\n]+') do
    if ours('HDEL', P .. 'resquepool:limit:' .. L .. ':held', id) == 1 and held_counts[L] then
      held_counts[L] = held_counts[L] - 1
    end
    wake_waiters(L, 1)
  end
end

-- Records the limits whose slots a worker took, in one command.
local function record_holds(id, taken)
  if #taken > 0 then
    ours('APPEND', P .. 'resquepool:limit-holds:' .. id, table.concat(taken, '\n') .. '\n')
  end
end

-- Records a limit in use, for the fleet view: its definition as its first taker wrote it.
local function define_limit(limit)
  if ours('SADD', P .. 'resquepool:limits', limit.L) == 1 then
    ours('HSET', limit.base, 'kind', limit.kind, 'name', limit.name, 'key', limit.key,
      'concurrency', limit.conc, 'rate', limit.rate, 'per', limit.per)
  end
end

-- Takes a slot of every limit a job is under, all or none (limits: {L, conc, rate, per, kind, name, key}; now:
-- Redis TIME in ms), and appends those it took to taken. When one has no room, the job's working status goes to
-- that limit's waiting list and worker:<id> is deleted: the worker no longer holds it. Returns nil when taken,
-- else the limit and the reason.
local function take_limits(id, status, wkey, limits, now, taken)
  for _, limit in ipairs(limits) do
    limit.base = P .. 'resquepool:limit:' .. limit.L
    local blocked = nil
    local held = limit.base .. ':held'
    limit.window = nil
    limit.unused = false
    if limit.conc >= 0 then
      local count = held_count(limit.L, held)
      limit.unused = count == 0
      if count >= limit.conc and ours('HEXISTS', held, id) == 0 then blocked = 'concurrency' end
    end
    if not blocked and limit.rate >= 0 then
      local start = now - now % limit.per
      limit.window = limit.base .. ':rate:' .. string.format('%d', start)
      local used = tonumber(ours('GET', limit.window) or '0') or 0
      limit.unused = limit.unused or used == 0
      if used >= limit.rate then
        blocked = 'rate'
        local due, dkey = start + limit.per, P .. 'resquepool:limits:due'
        local current = ours('ZSCORE', dkey, limit.L)
        if not current or tonumber(current) > due then ours('ZADD', dkey, due, limit.L) end
      end
    end
    if blocked then
      define_limit(limit)
      ours('RPUSH', limit.base .. ':waiting', status)
      redis.call('DEL', wkey)
      return limit.L, blocked
    end
  end
  for _, limit in ipairs(limits) do
    if limit.unused then define_limit(limit) end
    if limit.conc >= 0 then
      if ours('HSET', limit.base .. ':held', id, now) == 1 then held_counts[limit.L] = held_counts[limit.L] + 1 end
      taken[#taken + 1] = limit.L
    end
    if limit.window and ours('INCR', limit.window) == 1 then
      ours('PEXPIRE', limit.window, 2 * limit.per)
    end
  end
  return nil
end
