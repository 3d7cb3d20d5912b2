--- The quotas report: the rules for cadres as a rank x activity matrix
-- (ranks province, prefecture, county, township in that order; each cell
-- the rule as printed), a chart of the research and village-stay minima by
-- rank, each in its own unit, then every rule in full.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "quotas",
            description = "Rules by rank and activity; charts of the minima by rank." }

-- The ranks from the top down, in the order every report shows them
-- (siqun.reports.consistency and siqun.terminal_summary use this list).
M.RANKS = { "province", "prefecture", "county", "township" }
M.ACTIVITIES = { "research", "village_stay", "work_team_share", "work_team_term",
                 "work_team_cycle", "pairing" }
M.CHARTED = { "research", "village_stay" }

--- names in the preferred order, then any others in first-seen order
-- (each once).
local function ordered(preferred, seen)
  local out, has = {}, {}
  for _, k in ipairs(preferred) do
    for _, s in ipairs(seen) do
      if s == k and not has[k] then out[#out + 1], has[k] = k, true end
    end
  end
  for _, s in ipairs(seen) do
    if not has[s] then out[#out + 1], has[s] = s, true end
  end
  return out
end
M.ordered = ordered

function M.run(art)
  local qs = art.quotas or {}
  local ranks_seen, acts_seen, cell = {}, {}, {}
  for _, q in ipairs(qs) do
    ranks_seen[#ranks_seen + 1] = q.rank
    acts_seen[#acts_seen + 1] = q.activity
    cell[q.rank] = cell[q.rank] or {}
    local c = cell[q.rank]
    c[q.activity] = c[q.activity] and (c[q.activity] .. "; " .. q.text) or q.text
  end
  local ranks, acts = ordered(M.RANKS, ranks_seen), ordered(M.ACTIVITIES, acts_seen)
  local columns = { { name = "rank" } }
  for _, a in ipairs(acts) do columns[#columns + 1] = { name = a } end
  local matrix = {}
  for _, r in ipairs(ranks) do
    local row = { rank = r }
    for _, a in ipairs(acts) do row[a] = cell[r][a] end
    matrix[#matrix + 1] = row
  end
  local blocks = {
    { kind = "para", text = "Each cell is the rule as printed; an empty cell means the "
      .. "article sets no such rule for that rank. Minima are per year unless the list says "
      .. "otherwise." },
    { kind = "table", name = "matrix", caption = "Rules by rank (rows) and activity (columns)",
      columns = columns, rows = matrix },
  }
  for _, a in ipairs(M.CHARTED) do
    local data, unit, per = {}, nil, nil
    for _, r in ipairs(ranks) do
      for _, q in ipairs(qs) do
        if q.rank == r and q.activity == a then
          local v = q.min
          if v == nil then v = q.value end
          data[#data + 1] = { label = r, value = v, text = q.text }
          if unit == nil then unit = q.unit elseif unit ~= q.unit then unit = "mixed units" end
          per = per or q.per
        end
      end
    end
    if #data > 0 then
      blocks[#blocks + 1] = { kind = "chart", chart = "bar", name = a,
        title = ("%s: minimum%s by rank"):format(a, per and (" per " .. per) or ""),
        unit = unit, data = data }
    end
  end
  -- the long list last, after the charts
  blocks[#blocks + 1] = { kind = "table", name = "quotas", caption = "Every rule",
    columns = { { name = "id" }, { name = "rank" }, { name = "rank_zh" }, { name = "activity" },
                { name = "text" }, { name = "value", type = "number" }, { name = "unit" },
                { name = "qualifier" }, { name = "min", type = "number" },
                { name = "max", type = "number" }, { name = "per" }, { name = "note" } },
    rows = qs }
  return { title = "Quotas", blocks = blocks }
end

return M
