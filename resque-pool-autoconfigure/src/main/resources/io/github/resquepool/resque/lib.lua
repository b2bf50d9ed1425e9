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
-- cycles.lua gathers the writes of its slots (takes, releases, the workers' lists) and makes them at its end,
-- a few commands per call for all its workers instead of a few per job; other scripts write at once (nil).
local batch = nil
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

-- The keys of a limit, built once per script call: a call takes and frees the slots of many jobs.
local limit_keys = {}
local function keys_of(L)
  local k = limit_keys[L]
  if not k then
    local base = P .. 'resquepool:limit:' .. L
    k = {base = base, held = base .. ':held'}
    limit_keys[L] = k
  end
  return k
end

-- A slot's value, the time it was taken (Redis TIME in ms) as text, formatted once per call: Redis would
-- format a Lua number for every slot written.
local stamp_ms, stamp_text = nil, nil
local function stamp(now)
  if now ~= stamp_ms then
    stamp_ms, stamp_text = now, string.format('%d', now)
  end
  return stamp_text
end

-- Puts up to n jobs that a limit held back at the head of their queues, oldest first at the head.
local function wake_waiters(L, n)
  local base = keys_of(L).base
  if string.sub(L, 1, 6) == 'queue:' then
    -- A queue limit holds nothing back: its jobs stay on the queue, whose idle workers are woken when a worker
    -- passed over them.
    if redis.call('DEL', base .. ':full') == 1 then
      redis.call('PUBLISH', P .. 'resquepool:enqueued', string.sub(L, 7))
    end
    return 0
  end
  local woken = ours('LPOP', base .. ':waiting', n) or {}
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

-- The limits whose slots a worker holds, one per line, or nil.
local function holds_of(id)
  if batch then
    local known = batch.holds[id]
    if known == nil then
      known = ours('GET', P .. 'resquepool:limit-holds:' .. id) or false
      batch.holds[id] = known
      batch.read[id] = known
    end
    return known or nil
  end
  return ours('GET', P .. 'resquepool:limit-holds:' .. id)
end

-- Reads the lists of several workers in one command, for a batch.
local function prefetch_holds(ids)
  if #ids == 0 then return end
  local keys = {}
  for i, id in ipairs(ids) do keys[i] = P .. 'resquepool:limit-holds:' .. id end
  local ok, values = pcall(redis.call, 'MGET', unpack(keys))
  if not ok then return end
  for i, id in ipairs(ids) do
    local value = values[i] or false
    batch.holds[id] = value
    batch.read[id] = value
  end
end

local function entry(map, L)
  local e = map[L]
  if not e then e = {} map[L] = e end
  return e
end

-- The non-empty lines of a text, with plain searches: a pattern such as '[^\n]+' costs many times more.
local function lines_of(text)
  local lines, from = {}, 1
  while from <= #text do
    local nl = string.find(text, '\n', from, true) or (#text + 1)
    if nl > from then lines[#lines + 1] = string.sub(text, from, nl - 1) end
    from = nl + 1
  end
  return lines
end

-- The limits a worker carries in a batch (see release_slots): a set of ids, true while carried and false once
-- kept, with their order; read from the worker's list only when a check needs them.
local function carried_of(id)
  local carried = batch.carry[id]
  if carried == nil then
    local text = batch.carry_text[id]
    if not text then return nil end
    carried = {}
    local order = lines_of(text)
    for i = 1, #order do carried[order[i]] = true end
    batch.carry[id] = carried
    batch.carry_order[id] = order
  end
  return carried
end

-- Whether the worker carries the limit's slot of the job whose outcome it just recorded.
local function carries(id, L)
  local carried = batch and batch.carry_text[id] and carried_of(id)
  return carried ~= nil and carried ~= false and carried[L] == true
end

-- Whether a limit has room for the worker's next job: the slots held, less the one it carries, which counts as
-- freed (release_slots), are fewer than the concurrency.
local function room_for(id, L, key, concurrency)
  local count = held_counts[L] or held_count(L, key)
  if count < concurrency then return true end
  return count - 1 < concurrency and carries(id, L)
end

-- Whether the worker holds a slot of the limit now; one it carries counts as freed.
local function holds_slot(L, held, id)
  if batch then
    if carries(id, L) then return false end
    if batch.add[L] and batch.add[L][id] then return true end
    if batch.del[L] and batch.del[L][id] then return false end
  end
  return ours('HEXISTS', held, id) == 1
end

-- Counts a slot of a limit as freed for the wake-ups at the end of a batch (end_batch).
local function released_in_batch(L)
  batch.released[L] = (batch.released[L] or 0) + 1
  if not batch.order[L] then
    batch.order[L] = true
    batch.limits[#batch.limits + 1] = L
  end
end

-- Takes a slot for the worker (concurrency: the limit's).
local function hold(L, held, id, now, concurrency)
  if batch then
    local carried = batch.carry_text[id] and carried_of(id)
    if carried and carried[L] then
      -- Kept from its last job: the slot, its count and the worker's list stay as they are. A full limit may
      -- hold jobs back, and one of them goes back to its queue, as for a slot freed and taken again: a stream
      -- of new jobs must not keep them waiting for ever.
      carried[L] = false
      if held_count(L, held) >= concurrency then released_in_batch(L) end
      return
    end
    -- A worker's earlier slots were freed with its outcome: only one taken earlier in this call is not new.
    if not (batch.add[L] and batch.add[L][id]) and held_counts[L] then held_counts[L] = held_counts[L] + 1 end
    entry(batch.add, L)[id] = stamp(now)
    if batch.del[L] then batch.del[L][id] = nil end
    return
  end
  if ours('HSET', held, id, stamp(now)) == 1 and held_counts[L] then held_counts[L] = held_counts[L] + 1 end
end

-- Frees one slot of a worker in a batch. The list and the slots are written together at the end of the call, so
-- the list says what the worker holds; the count is read first, since the slot's HDEL waits for the end too.
local function free_in_batch(L, id)
  held_counts[L] = held_count(L, keys_of(L).held) - 1
  if batch.add[L] then batch.add[L][id] = nil end
  entry(batch.del, L)[id] = true
  released_in_batch(L)
end

-- Frees the slots a worker holds, each letting one held-back job of its limit go back to its queue. Called
-- wherever a worker's job ends or is taken from it: its outcome recorded, requeued, or its worker removed.
release_slots = function(id)
  local held = holds_of(id)
  if not held then return end
  if batch then
    -- In cycles.lua the worker takes its next job in the same call: its slots are carried until its turn ends
    -- (settle_slots). A slot of a limit its next job is under again is kept, at no write and with no waiting job
    -- woken for nothing; the others are freed then. The checks of its next job count a carried slot as freed
    -- (room_for), so that the outcome is the same as a release followed by a take.
    batch.carry_text[id] = held
    batch.carry[id] = nil
    batch.holds[id] = false
    return
  end
  local lines = lines_of(held)
  for i = 1, #lines do
    local L = lines[i]
    if ours('HDEL', keys_of(L).held, id) == 1 and held_counts[L] then held_counts[L] = held_counts[L] - 1 end
    wake_waiters(L, 1)
  end
  redis.call('DEL', P .. 'resquepool:limit-holds:' .. id)
end

-- Ends a worker's turn in a batch: frees the slots it carried from its last job and did not take again.
local function settle_slots(id)
  if not batch.carry_text[id] then return end
  local carried = carried_of(id)
  local order = batch.carry_order[id]
  for i = 1, #order do
    if carried[order[i]] then free_in_batch(order[i], id) end
  end
  batch.carry[id] = nil
  batch.carry_order[id] = nil
  batch.carry_text[id] = nil
end

-- Keeps every slot a worker carries, for a next job under exactly the same limits (cycles.lua checked their
-- room): nothing to write, nothing to wake.
local function keep_slots(id)
  batch.holds[id] = batch.carry_text[id]
  batch.carry[id] = nil
  batch.carry_order[id] = nil
  batch.carry_text[id] = nil
end

-- Records the limits whose slots a worker took.
local function record_holds(id, taken)
  if #taken == 0 then return end
  local lines = table.concat(taken, '\n') .. '\n'
  if batch then
    batch.holds[id] = (holds_of(id) or '') .. lines
  else
    ours('APPEND', P .. 'resquepool:limit-holds:' .. id, lines)
  end
end

-- Starts gathering the slot writes of a cycles.lua call, the lists of the workers with outcomes read at once.
local function begin_batch(outcome_ids)
  batch = {add = {}, del = {}, holds = {}, read = {}, released = {}, order = {}, limits = {}, carry = {},
    carry_order = {}, carry_text = {}}
  prefetch_holds(outcome_ids)
end

-- Makes the gathered writes: per limit one HSET and one HDEL of its slots and one wake-up of as many held-back
-- jobs as slots were freed; the workers' lists in one MSET and one DEL.
local function end_batch()
  for id in pairs(batch.carry_text) do settle_slots(id) end
  local b = batch
  batch = nil
  local function fields(map, with_values)
    local list = {}
    for id, v in pairs(map) do
      list[#list + 1] = id
      if with_values then list[#list + 1] = v end
    end
    return list
  end
  for L, ids in pairs(b.del) do
    local list = fields(ids, false)
    if #list > 0 then
      local key = keys_of(L).held
      if not pcall(chunked, 'HDEL', key, list, 500) then redis.call('DEL', key) end
    end
  end
  for L, ids in pairs(b.add) do
    local list = fields(ids, true)
    if #list > 0 then
      local key = keys_of(L).held
      local ok = pcall(chunked, 'HSET', key, list, 500)
      if not ok then
        redis.call('DEL', key)
        chunked('HSET', key, list, 500)
      end
    end
  end
  for _, L in ipairs(b.limits) do wake_waiters(L, b.released[L]) end
  local sets, dels = {}, {}
  for id, value in pairs(b.holds) do
    if value and value ~= b.read[id] then
      sets[#sets + 1] = P .. 'resquepool:limit-holds:' .. id
      sets[#sets + 1] = value
    elseif not value and b.read[id] then
      dels[#dels + 1] = P .. 'resquepool:limit-holds:' .. id
    end
  end
  if #sets > 0 then redis.call('MSET', unpack(sets)) end
  if #dels > 0 then redis.call('DEL', unpack(dels)) end
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
    local keys = keys_of(limit.L)
    limit.base = keys.base
    local blocked = nil
    local held = keys.held
    limit.window = nil
    limit.unused = false
    if limit.conc >= 0 then
      local count = held_count(limit.L, held)
      if carries(id, limit.L) then count = count - 1 end
      limit.unused = count == 0
      if count >= limit.conc and not holds_slot(limit.L, held, id) then blocked = 'concurrency' end
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
      hold(limit.L, keys_of(limit.L).held, id, now, limit.conc)
      taken[#taken + 1] = limit.L
    end
    if limit.window and ours('INCR', limit.window) == 1 then
      ours('PEXPIRE', limit.window, 2 * limit.per)
    end
  end
  return nil
end
