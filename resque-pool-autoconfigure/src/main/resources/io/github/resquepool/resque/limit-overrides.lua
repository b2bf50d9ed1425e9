-- Reads the run-time queue limits and who set them, bounded: anyone can write these hashes, and a read must
-- never move more than a few hundred bytes per queue nor more than ARGV[2] queues.
-- ARGV: 1 prefix, 2 the most queues read
-- Returns {queue, "concurrency rate window_ms", who set it (JSON) or false, ...}
local max = tonumber(ARGV[2])
local limits, by = P .. 'resquepool:queue-limits', P .. 'resquepool:queue-limits:by'
local result, cursor, seen = {}, '0', {}
local ok, kind = pcall(redis.call, 'TYPE', limits)
if not ok or (kind['ok'] or kind) ~= 'hash' then return result end
repeat
  local page = redis.call('HSCAN', limits, cursor, 'COUNT', 100)
  cursor = page[1]
  for i = 1, #page[2], 2 do
    local q, value = page[2][i], page[2][i + 1]
    if #result < 3 * max and not seen[q] and #q <= 1024 and #value <= 64 then
      seen[q] = true
      local setby = false
      local okl, length = pcall(redis.call, 'HSTRLEN', by, q)
      if okl and length > 0 and length <= 1024 then setby = redis.call('HGET', by, q) end
      result[#result + 1] = q
      result[#result + 1] = value
      result[#result + 1] = setby
    end
  end
until cursor == '0' or #result >= 3 * max
return result
