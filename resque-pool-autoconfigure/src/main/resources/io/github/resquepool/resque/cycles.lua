-- One turn for each of several workers of one group, in one atomic step: record the outcome of each
-- worker's last job, then take its next job in strict priority order, recording it at worker:<id>.
-- ARGV: 1 prefix, 2 run_at, 3 pool id, 4 largest payload in bytes that a worker takes to run, 5 the size of
--       the queues set the caller expanded the list from ("" when the list is static), 6 number n of queues,
--       7..6+n the queues to look at in priority order (the pool expands globs and exclusions against the
--       queues set itself, and hands a long list over in slices), 7+n number m of those queues this pool
--       configures a limit for, then m times: queue, concurrency (-1 none), rate (-1 none), window in ms, then
--       the number k of job classes under limits without a key, then k times: class, number n of its limits,
--       n times id, concurrency, rate, window in ms; then per worker
--       11 values: id, outcome ("" none, "ok", "fail", "dirty", "retry", or "head"/"tail": the job stopped at a
--       checkpoint and goes back to the head or the tail of its queue, neither processed nor failed), sha1 of the
--       status being acked, failure entry, "1"/"0" fetch, then for jobs with retries: resque-retry's attempt-count
--       key (deleted after "ok"), "max base_ms multiplier max_ms jitter_ms random key_ttl_s", queue, delayed item,
--       job payload; then the job's checkpoint key, deleted after "ok" ("" none).
-- Returns one array per worker: {'job', queue, payload, sha} | {'resume', status, sha} | {'idle', unreadable...}
--       | {'paused'} | {'recorded'} (also: too many oversized payloads taken, turn again) | {'unregistered'}
--       | {'stale'} (the queues set changed size since the caller expanded the list: expand again, turn again),
--       after a "retry" outcome that was recorded prefixed with
--       'retry', 'retried' | 'failed', the attempt that failed, the delayed bucket (0 when not retried).
local run_at = ARGV[2]
local pool = ARGV[3]
local max_payload = tonumber(ARGV[4])
local qn = tonumber(ARGV[6])
local mq = tonumber(ARGV[7 + qn])
-- Class limits without a key, taken here with the job so that they cost no round trip of their own: per
-- class, its name, the number n of its limits, then n times id, concurrency, rate, window in ms.
local class_limits = nil
local first = 8 + qn + 4 * mq
local kc = tonumber(ARGV[first])
first = first + 1
for _ = 1, kc do
  local name, n = ARGV[first], tonumber(ARGV[first + 1])
  local limits = {}
  for j = first + 2, first + 1 + 4 * n, 4 do
    limits[#limits + 1] = {L = ARGV[j], conc = tonumber(ARGV[j + 1]), rate = tonumber(ARGV[j + 2]),
      per = tonumber(ARGV[j + 3]), kind = 'class', name = name, key = ''}
  end
  class_limits = class_limits or {}
  class_limits[name] = limits
  first = first + 2 + 4 * n
end
-- The start of a payload of each limited class as Resque writes it ('{"class":"Name"'), by its length: one
-- comparison per length finds the class of a job, where reading any class name costs several string calls.
local class_prefixes, prefix_lengths = nil, nil
if class_limits then
  class_prefixes, prefix_lengths = {}, {}
  for name in pairs(class_limits) do
    local prefix = '{"class":' .. jsonstr(name)
    local by_prefix = class_prefixes[#prefix]
    if not by_prefix then
      by_prefix = {}
      class_prefixes[#prefix] = by_prefix
      prefix_lengths[#prefix_lengths + 1] = #prefix
    end
    by_prefix[prefix] = name
  end
end
-- The class of a payload, as the worker reads it: Resque writes it first; anything else is decoded.
local function any_class(job)
  -- The common case with plain string operations, which cost a fraction of a pattern's.
  if string.sub(job, 1, 10) == '{"class":"' then
    local close = string.find(job, '"', 11, true)
    if close then
      local name = string.sub(job, 11, close - 1)
      if not string.find(name, '\\', 1, true) then return name end
    end
  end
  local name = string.match(job, '^%s*{%s*"class"%s*:%s*"([^"\\]+)"')
  if name then return name end
  local ok, decoded = pcall(cjson.decode, job)
  if ok and type(decoded) == 'table' and type(decoded['class']) == 'string' then return decoded['class'] end
  return nil
end
-- The class of a payload when it is a limited one; nil for another class in Resque's layout; else whatever
-- any_class reads. The prefix ends with the name's closing quote, so a longer name never matches it.
local function limited_class(job)
  for i = 1, #prefix_lengths do
    local length = prefix_lengths[i]
    local name = class_prefixes[length][string.sub(job, 1, length)]
    if name then return name end
  end
  if string.sub(job, 1, 10) == '{"class":"' then return nil end
  return any_class(job)
end
-- Jobs a class limit held back in one call: past this many the turn ends, so that a queue full of them never
-- holds Redis for long.
local MAX_HELD_BACK = 100
local held_back = 0
-- How long an acknowledgement marker outlives the outcome it stands for: longer than any retry of a
-- turn whose answer was lost, which a worker retries until Redis answers.
local ACK_TTL = 7 * 86400

local unreadable = {}
local queues = {}
for i = 7, 6 + qn do queues[#queues + 1] = ARGV[i] end
-- O(1): SCARD, so that a queue added since the caller read the queues set is never missed for long.
local stale = nil
local function is_stale()
  if stale == nil then
    stale = false
    if ARGV[5] ~= '' then
      local size = redis.pcall('SCARD', P .. 'queues')
      if type(size) ~= 'number' then size = -1 end
      stale = size ~= tonumber(ARGV[5])
    end
  end
  return stale
end

-- Fleet-wide queue limits (docs/flow-control.md): the ones this pool is configured with come in ARGV, and a
-- run-time override at resquepool:queue-limits ("concurrency rate window_ms") wins over them. A queue whose
-- limit has no room is passed over as a paused one is: its jobs stay where they are, in order, and the
-- worker looks at the next queue.
local configured = {}
for i = 8 + qn, 7 + qn + 4 * mq, 4 do
  configured[ARGV[i]] = {tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])}
end
local overridden = nil
local queue_limits = {}
local function queue_limit(q)
  local limit = queue_limits[q]
  if limit ~= nil then return limit end
  limit = configured[q] or false
  if overridden == nil then overridden = redis.call('EXISTS', P .. 'resquepool:queue-limits') == 1 end
  if overridden then
    local o = redis.call('HGET', P .. 'resquepool:queue-limits', q)
    if o then
      local c, r, w = string.match(o, '^(-?%d+) (-?%d+) (%d+)$')
      if c then limit = {tonumber(c), tonumber(r), math.max(tonumber(w), 1)} end
    end
  end
  queue_limits[q] = limit
  return limit
end
local now_ms = nil
local function clock()
  if not now_ms then
    local t = redis.call('TIME')
    now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return now_ms
end
-- A queue's limit id, built once per call.
local queue_ids = {}
local function queue_id(q)
  local L = queue_ids[q]
  if not L then
    L = 'queue:' .. q
    queue_ids[q] = L
  end
  return L
end
-- Whether a queue's limit lets the worker take a job of it now (a queue without a limit always does). The
-- common cases, no limit or a concurrency far from full, cost a table read or two.
local function has_room(q, id)
  local limit = queue_limit(q)
  if not limit then return true end
  local L = queue_id(q)
  if limit[1] >= 0 then
    local count = held_counts[L]
    if not count or count >= limit[1] then
      local keys = keys_of(L)
      if not room_for(id, L, keys.held, limit[1]) then
        -- Marks that jobs wait on the queue: the slot's release wakes its idle workers then, and only then.
        ours('SET', keys.base .. ':full', '1')
        return false
      end
    end
  end
  if limit[2] >= 0 then
    local base = keys_of(L).base
    local start = clock() - clock() % limit[3]
    if tonumber(ours('GET', base .. ':rate:' .. string.format('%d', start)) or '0') >= limit[2] then
      local dkey, due = P .. 'resquepool:limits:due', start + limit[3]
      local current = ours('ZSCORE', dkey, L)
      if not current or tonumber(current) > due then ours('ZADD', dkey, due, L) end
      ours('SET', base .. ':full', '1')
      return false
    end
  end
  return true
end
local function take_slot(q, id, taken)
  local limit = queue_limit(q)
  if not limit then return end
  local L = queue_id(q)
  local keys = keys_of(L)
  local base = keys.base
  local unused = false
  if limit[1] >= 0 then
    -- has_room read the count just before: a first holder also defines the limit for the fleet view.
    unused = held_counts[L] == 0
    hold(L, keys.held, id, clock(), limit[1])
    taken[#taken + 1] = L
  end
  if limit[2] >= 0 then
    local window = base .. ':rate:' .. string.format('%d', clock() - clock() % limit[3])
    if ours('INCR', window) == 1 then
      ours('PEXPIRE', window, 2 * limit[3])
      unused = true
    end
  end
  if unused then
    define_limit({L = L, base = base, kind = 'queue', name = q, key = '', conc = limit[1], rate = limit[2],
      per = limit[3]})
  end
end

-- The turns of this call: each takes at most one job, so at most this many slots of a limit are taken in it.
local turns = math.floor((#ARGV - first + 1) / 11)
-- What a job of a class taken from a queue holds when all its limits are concurrency limits: the text of the
-- worker's list of limits, and whether each of them is far from full: fewer slots held, with one more for every
-- turn of this call, than its concurrency, so that keeping a slot needs no check of its own all through the
-- call. False when one of them counts a rate (every start then writes). Built once per queue and class in a call.
-- A worker whose carried list is this text keeps all its slots (keep_slots), the common case of a stream of jobs
-- under limits that do not bind, at no write and no check of its own; anything else goes through a take's checks.
local plain_sets = {}
local function plain_set(q, cls, limits)
  local by_class = plain_sets[q]
  if not by_class then
    by_class = {}
    plain_sets[q] = by_class
  end
  local set = by_class[cls]
  if set ~= nil then return set end
  local ids, far = {}, true
  local function add(L, concurrency)
    ids[#ids + 1] = L
    if far and held_count(L, keys_of(L).held) + turns > concurrency then far = false end
  end
  set = true
  if limits then
    for i = 1, #limits do
      local limit = limits[i]
      if limit.rate >= 0 or limit.conc < 0 then
        set = false
        break
      end
      add(limit.L, limit.conc)
    end
  end
  local limit = set and queue_limit(q)
  if limit then
    if limit[2] >= 0 or limit[1] < 0 then set = false else add(queue_id(q), limit[1]) end
  end
  if set and #ids > 0 and far then set = table.concat(ids, '\n') .. '\n' else set = false end
  by_class[cls] = set
  return set
end
local paused = nil
local registered = nil
-- The resque-pause gem's keys: pause:all pauses every queue, pause:queue:<q> one of them.
local queue_paused = {}
local all_queues_paused = nil
local function is_queue_paused(q)
  if all_queues_paused == nil then all_queues_paused = redis.call('EXISTS', P .. 'pause:all') == 1 end
  if all_queues_paused then return true end
  if queue_paused[q] == nil then queue_paused[q] = redis.call('EXISTS', P .. 'pause:queue:' .. q) == 1 end
  return queue_paused[q]
end
local empty = {}
local exhausted = false
-- Oversized payloads are taken off their queue as failure entries without being decoded or copied whole;
-- a call takes at most this many, so that a queue full of them never holds Redis for long.
local MAX_REJECTED = 100
-- How much of an oversized payload its failure entry keeps.
local KEPT_BYTES = 1024
local rejected = 0
local function reject(q, job, id)
  local kept = string.sub(job, 1, KEPT_BYTES)
  if #job > KEPT_BYTES then
    -- Never end on a UTF-8 sequence cut in two: drop the last character when it may be incomplete.
    kept = string.gsub(kept, '[\192-\255][\128-\191]*$', '')
  end
  redis.call('RPUSH', P .. 'failed', failure_entry(failed_at_now(), kept,
    'io.github.resquepool.resque.InvalidPayloadException',
    'the payload is ' .. #job .. ' bytes, over resque.pool.max-payload-size (' .. max_payload ..
    ' bytes): it was not run, and its first ' .. #kept .. ' bytes are kept here', id, q))
  redis.call('INCR', P .. 'stat:failed')
  redis.call('INCR', P .. 'stat:failed:' .. id)
  rejected = rejected + 1
end
local processed = 0
local results = {}

-- A failure with retries, decided where it is recorded: with retries left the job goes back through
-- resque-scheduler's delayed queue (as Resque.enqueue_in_with_queue writes it; straight to its queue when
-- the wait is zero, as resque-retry does) and no failure entry is written; else the failure entry gets the
-- attempt count. The count is kept as resque-retry keeps it: during attempt n its key holds n - 1.
local function retry(rkey, numbers, q, item, job, failure)
  local n = {}
  for v in string.gmatch(numbers, '%S+') do n[#n + 1] = tonumber(v) end
  local max, base, mult, cap, jitter, u, ttl = n[1], n[2], n[3], n[4], n[5], n[6], n[7]
  local ok, prev = pcall(redis.call, 'GET', P .. rkey)
  local attempt = 1
  if ok and prev then attempt = (tonumber(prev) or -1) + 2 end
  if attempt > max then
    redis.call('DEL', P .. rkey)
    return false, string.sub(failure, 1, -2) .. ',"attempts":' .. string.format('%d', attempt) .. '}', attempt, 0
  end
  local scale = mult ^ (attempt - 1)
  local spread = jitter * scale
  local wait = math.min(base * scale, cap) - spread + 2 * spread * u
  wait = math.floor(math.max(base, math.min(cap, wait)))
  local t = redis.call('TIME')
  local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local bucket = string.format('%d', math.floor((now_ms + wait) / 1000))
  redis.call('SET', P .. rkey, string.format('%d', attempt - 1), 'EX', string.format('%d', ttl + math.ceil(wait / 1000)))
  if wait <= 0 then
    redis.call('SADD', P .. 'queues', q)
    redis.call('RPUSH', P .. 'queue:' .. q, job)
    redis.call('PUBLISH', P .. 'resquepool:enqueued', q)
    return true, nil, attempt, tonumber(t[1])
  end
  redis.call('RPUSH', P .. 'delayed:' .. bucket, item)
  redis.call('SADD', P .. 'timestamps:' .. item, 'delayed:' .. bucket)
  redis.call('ZADD', P .. 'delayed_queue_schedule', bucket, bucket)
  redis.call('PUBLISH', P .. 'resquepool:delayed', bucket)
  return true, nil, attempt, tonumber(bucket)
end

local with_outcomes = {}
for w = first, #ARGV, 11 do
  if ARGV[w + 1] ~= '' then with_outcomes[#with_outcomes + 1] = ARGV[w] end
end
begin_batch(with_outcomes)
for w = first, #ARGV, 11 do
  local id, outcome, sha, failure, fetch = ARGV[w], ARGV[w + 1], ARGV[w + 2], ARGV[w + 3], ARGV[w + 4]
  local decision = nil
  local wkey = P .. 'worker:' .. id
  local ackkey = P .. 'resquepool:acked:' .. id
  local held = nil
  if outcome ~= '' then
    held = redis.call('GET', wkey)
    -- Record only the job this worker still holds. An absent status means either that this outcome was
    -- recorded already (a retried turn whose answer was lost: the marker says so) or that Redis lost the
    -- status (restarted empty: no marker either), and only then does the outcome still count.
    local record = held and redis.sha1hex(held) == sha
    if held == false then record = redis.call('GET', ackkey) ~= sha end
    if record and (outcome == 'head' or outcome == 'tail') then
      -- Put back as it was taken, so Ruby and resque-web see the same job; its checkpoint stays for its next run.
      if held then
        local q, payload = status_parts(held)
        if q then
          redis.call(outcome == 'head' and 'LPUSH' or 'RPUSH', P .. 'queue:' .. q, payload)
          redis.call('SADD', P .. 'queues', q)
          redis.call('PUBLISH', P .. 'resquepool:enqueued', q)
        else
          redis.call('RPUSH', P .. 'failed', failure_entry(failed_at_now(), held, 'Resque::DirtyExit',
            'Worker ' .. id .. ' could not requeue a working status it cannot read', id, ''))
        end
      end
      redis.call('DEL', wkey)
      release_slots(id)
      redis.call('SET', ackkey, sha, 'EX', ACK_TTL)
      held = false
    elseif record then
      if outcome == 'retry' then
        local retried, entry, attempt, bucket = retry(ARGV[w + 5], ARGV[w + 6], ARGV[w + 7], ARGV[w + 8], ARGV[w + 9], failure)
        decision = {'retry', retried and 'retried' or 'failed', attempt, bucket}
        if retried then outcome = 'retried' else outcome, failure = 'fail', entry end
      elseif outcome == 'ok' and ARGV[w + 5] ~= '' then
        redis.call('DEL', P .. ARGV[w + 5])
      end
      if outcome == 'ok' and ARGV[w + 10] ~= '' then redis.call('DEL', P .. ARGV[w + 10]) end
      if outcome ~= 'ok' and outcome ~= 'retried' then redis.call('RPUSH', P .. 'failed', failure) end
      if outcome == 'fail' then
        redis.call('INCR', P .. 'stat:failed')
        redis.call('INCR', P .. 'stat:failed:' .. id)
      end
      redis.call('DEL', wkey)
      release_slots(id)
      redis.call('INCR', P .. 'stat:processed:' .. id)
      redis.call('SET', ackkey, sha, 'EX', ACK_TTL)
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
      if registered == nil then
        -- A pool whose records are gone (Redis restarted empty, or another pool recovered it) takes no
        -- job until it has registered again: a job taken now could not be recovered if it died.
        registered = redis.call('EXISTS', P .. 'resquepool:pool:' .. pool .. ':workers') == 1
      end
      if paused == nil then
        local flag = redis.call('GET', P .. 'pause-all-workers')
        -- A long flag is never "true": the pattern would backtrack through it on every fetch.
        paused = (flag and #flag <= 64 and string.lower(string.match(flag, '^%s*(.-)%s*$')) == 'true') or false
      end
      if not registered then
        result = {'unregistered'}
      elseif paused then
        result = {'paused'}
      elseif is_stale() then
        result = {'stale'}
      elseif exhausted then
        result = {'idle'}
      elseif rejected >= MAX_REJECTED or held_back >= MAX_HELD_BACK then
        result = {'recorded'}
      else
        for _, q in ipairs(queues) do
          while not result and not empty[q] and not is_queue_paused(q)
              and (queue_limits[q] == false or has_room(q, id)) do
            local job = redis.pcall('LPOP', P .. 'queue:' .. q)
            if type(job) == 'table' and job['err'] then
              empty[q] = true
              unreadable[#unreadable + 1] = q
            elseif not job then
              empty[q] = true
            elseif #job > max_payload then
              reject(q, job, id)
              if rejected >= MAX_REJECTED then result = {'recorded'} end
            else
              local status = '{"queue":' .. jsonstr(q) .. ',"run_at":"' .. run_at .. '","payload":' .. payload_json(job) .. '}'
              redis.call('SET', wkey, status)
              local cls = class_limits and limited_class(job) or ''
              local limits = class_limits and class_limits[cls]
              local carried = batch.carry_text[id]
              if carried and plain_set(q, cls, limits) == carried then
                keep_slots(id)
                result = {'job', q, job, redis.sha1hex(status)}
              else
                local taken = {}
                if limits and take_limits(id, status, wkey, limits, clock(), taken) then
                  -- Held back by its class limit, off the queue: the worker takes the next job.
                  held_back = held_back + 1
                  if held_back >= MAX_HELD_BACK then result = {'recorded'} end
                else
                  take_slot(q, id, taken)
                  record_holds(id, taken)
                  result = {'job', q, job, redis.sha1hex(status)}
                end
              end
            end
          end
          if result then break end
        end
        if not result then
          exhausted = true
          result = {'idle'}
          for _, q in ipairs(unreadable) do result[#result + 1] = q end
        end
      end
    end
  end
  if batch.carry_text[id] then settle_slots(id) end
  if decision then
    for _, v in ipairs(result) do decision[#decision + 1] = v end
    result = decision
  end
  results[#results + 1] = result
end
if processed > 0 then redis.call('INCRBY', P .. 'stat:processed', processed) end
end_batch()
return results
