-- How many cadre-days in villages a year do the village-stay quotas ask of
-- a roster?  Reads examples/roster.csv (name, rank), looks up each rank's
-- minimum in the quotas table (activity village_stay) and adds up.
--
--   lua5.4 examples/cadre_days.lua

local siqun = require "siqun"
local report = require "siqun.report"

local dir = arg[0]:match("^(.*)/[^/]*$") or "."

-- A CSV without quoted fields: an array of records keyed by the header.
local read_csv = dofile(dir .. "/lib/read_csv.lua")

local art = assert(siqun.open())
local stays = art.quotas:filter { activity = "village_stay" }

-- rank -> the quota record
local quota = {}
for _, q in ipairs(stays) do quota[q.rank] = q end

local roster = read_csv(dir .. "/roster.csv")
local by_rank, order = {}, {}
for _, c in ipairs(roster) do
  if not by_rank[c.rank] then
    by_rank[c.rank] = 0
    order[#order + 1] = c.rank
  end
  by_rank[c.rank] = by_rank[c.rank] + 1
end

local rows, total, unit, without = {}, 0, nil, {}
for _, rank in ipairs(order) do
  local q = quota[rank]
  if q then
    local days = by_rank[rank] * q.min
    total = total + days
    unit = unit or q.unit
    rows[#rows + 1] = { rank = rank, cadres = by_rank[rank], quota = q.text,
                        each = q.min, days = days }
  else
    rows[#rows + 1] = { rank = rank, cadres = by_rank[rank], quota = "(none)" }
    without[#without + 1] = rank
  end
end
rows[#rows + 1] = { rank = "total", cadres = #roster, days = total }

io.write(report.text({
  title = "Village-stay cadre-days per year for the roster",
  blocks = {
    { kind = "table", columns = {
        { name = "rank" }, { name = "cadres", type = "integer" }, { name = "quota" },
        { name = "each", title = "min " .. unit, type = "integer" },
        { name = "days", title = "cadre-" .. unit, type = "integer" } },
      rows = rows },
    { kind = "para", text = ("%d cadres owe at least %d cadre-%s a year in villages "
      .. "(%.1f %s each on average). Ranks without a quota: %s.")
      :format(#roster, total, unit, total / #roster, unit, table.concat(without, ", ")) },
  },
}))
