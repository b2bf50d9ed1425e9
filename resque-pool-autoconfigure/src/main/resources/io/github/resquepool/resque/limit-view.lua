-- The limits in use across the fleet, for the fleet view and the dashboard: each one's definition, how many
-- slots are held and by which workers (at most ARGV[3]), and how many jobs it holds back.
-- ARGV: 1 prefix, 2 the most limits returned, 3 the most holders named per limit
-- Returns {total, {id, kind, name, key, concurrency, rate, per, held, waiting, holder...}...}
local max, names = tonumber(ARGV[2]), tonumber(ARGV[3])
-- Scanned, not read whole: per-key limits may be many, and this must never hold Redis for long.
local ids, seen, cursor = {}, {}, '0'
repeat
  local page = ours('SSCAN', P .. 'resquepool:limits', cursor, 'COUNT', 100)
  cursor = page[1]
  for _, L in ipairs(page[2]) do
    if #ids < max and not seen[L] then seen[L] = true; ids[#ids + 1] = L end
  end
until cursor == '0' or #ids >= max
table.sort(ids)
local result = {}
for _, L in ipairs(ids) do
  local base = P .. 'resquepool:limit:' .. L
  local def = ours('HMGET', base, 'kind', 'name', 'key', 'concurrency', 'rate', 'per')
  local entry = {L, def[1] or '', def[2] or '', def[3] or '', def[4] or '-1', def[5] or '-1', def[6] or '0',
    ours('HLEN', base .. ':held'), ours('LLEN', base .. ':waiting')}
  local hcursor, holders = '0', {}
  repeat
    local page = ours('HSCAN', base .. ':held', hcursor, 'COUNT', 100)
    hcursor = page[1]
    for j = 1, #page[2], 2 do
      if #holders < names then holders[#holders + 1] = page[2][j] end
    end
  until hcursor == '0' or #holders >= names
  for _, h in ipairs(holders) do entry[#entry + 1] = h end
  result[#result + 1] = entry
end
return {ours('SCARD', P .. 'resquepool:limits'), result}
