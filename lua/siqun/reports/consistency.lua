--- The consistency report: relations the article's numbers imply,
-- recomputed from the dataset's derived values (records found by id, never
-- numbers typed in here), each with its arithmetic, what was expected, the
-- tolerance and a verdict: ok or off.  A record that is missing or lacks a
-- value makes its check off, saying so.  The result column is shown with
-- at most two decimals (the formats for machines keep every digit); HTML
-- shows each verdict as a coloured badge that keeps the word.

local text = require "siqun.text"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "consistency",
            description = "Relations the numbers imply, recomputed, each with a verdict." }

M.RANKS = require("siqun.reports.quotas").RANKS

-- Decimal places a computed number is shown with (30.015007503752 is shown
-- 30.02; CSV and JSON keep every digit of result).
local RESULT_DECIMALS = 2

local function num(v)
  if type(v) ~= "number" then return tostring(v) end
  if compat.math_type(v) == "float" and v ~= math.floor(v) then
    local s = ("%." .. RESULT_DECIMALS .. "f"):format(v):gsub("0+$", ""):gsub("%.$", "")
    return s
  end
  return text.number(v, ",")
end

local function by_id(list)
  local t = {}
  for _, r in ipairs(list or {}) do t[r.id] = r end
  return t
end

-- A check that cannot run: its first missing piece.
local function missing(row, what)
  row.arithmetic = what
  row.verdict = "off"
  return row
end

-- The single number a record stands for: value, else max (近), else min.
local function amount(r)
  if r == nil then return nil end
  if type(r.value) == "number" then return r.value end
  if type(r.max) == "number" then return r.max end
  return r.min
end

local function need(records, ids, table_name)
  for _, id in ipairs(ids) do
    local r = records[id]
    if r == nil then return ("%s record '%s' not found"):format(table_name, id) end
    if amount(r) == nil then return ("%s record '%s' has no value"):format(table_name, id) end
  end
  return nil
end

local function linked_share(fig)
  local row = { id = "linked_share", tolerance = "±1 percentage point",
    check = "households linked ÷ rural households = the stated share" }
  local err = need(fig, { "households_linked", "rural_households", "linked_share" }, "figures")
  if err then return missing(row, err) end
  local h, r, s = fig.households_linked, fig.rural_households, fig.linked_share
  local pct = amount(h) / amount(r) * 100
  row.result = pct
  row.arithmetic = ("%s ÷ %s = %s ÷ %s × 100 = %s%%"):format(h.text, r.text, num(amount(h)),
    num(amount(r)), num(pct))
  row.expected = ("%s (%s%s)"):format(s.text, num(amount(s)), s.unit or "")
  row.verdict = (s.unit == "%" and math.abs(pct - amount(s)) <= 1) and "ok" or "off"
  return row
end

local function per_team(fig)
  local row = { id = "members_per_team", tolerance = "none",
    check = "work-team members per work team" }
  local err = need(fig, { "team_members", "work_teams" }, "figures")
  if err then return missing(row, err) end
  local m, t = fig.team_members, fig.work_teams
  local q = amount(m) / amount(t)
  row.result = q
  row.arithmetic = ("%s ÷ %s = %s ÷ %s = %s"):format(m.text, t.text, num(amount(m)),
    num(amount(t)), num(q))
  row.expected = "at least 1 member per team"
  row.verdict = q >= 1 and "ok" or "off"
  return row
end

-- funds ÷ a count "over N" (1万多个): the average is at most funds ÷ N.
local function per_project(fig, id, funds_id, projects_id)
  local row = { id = id, tolerance = "none (a bound)",
    check = ("funds per project (%s ÷ %s)"):format(funds_id, projects_id) }
  local err = need(fig, { funds_id, projects_id }, "figures")
  if err then return missing(row, err) end
  local f, p = fig[funds_id], fig[projects_id]
  local count = p.min or amount(p)
  local q = amount(f) / count
  local bound = p.qualifier == "over" and "≤ " or (p.qualifier == "exact" and "= " or "≈ ")
  row.result = q
  row.arithmetic = ("%s ÷ %s: %s ÷ %s %s%s %s per %s"):format(f.text, p.text, num(amount(f)),
    num(count), bound, num(q), f.unit or "", p.unit or "item")
  row.expected = ("at least 1 %s per %s; %s"):format(f.unit or "unit", p.unit or "item",
    p.qualifier == "over" and "an upper bound, since the count is a minimum" or "an average")
  row.verdict = (q >= 1 and f.unit == "元") and "ok" or "off"
  return row
end

-- Quota minima of an activity strictly rising from province down the ranks.
local function rising(quo, activity, prefix)
  local row = { id = activity .. "_rising", tolerance = "strict (<), same unit",
    check = ("%s minima rise as rank falls"):format(activity) }
  local parts, ranks, prev, ok, unit = {}, {}, nil, true, nil
  for _, rank in ipairs(M.RANKS) do
    local q = quo[prefix .. rank]
    if q then
      local v = q.min or amount(q)
      if v == nil then return missing(row, ("quotas record '%s' has no value"):format(q.id)) end
      if unit == nil then unit = q.unit elseif q.unit ~= unit then ok = false end
      if prev ~= nil and prev >= v then ok = false end
      prev = v
      parts[#parts + 1] = num(v)
      ranks[#ranks + 1] = rank
    end
  end
  if #parts < 2 then
    return missing(row, ("fewer than two quotas records '%s<rank>'"):format(prefix))
  end
  row.arithmetic = ("%s: %s %s"):format(table.concat(ranks, " < "), table.concat(parts, " < "),
                                        unit or "")
  row.expected = "each rank's minimum above the rank over it"
  row.verdict = ok and "ok" or "off"
  return row
end

-- The numeral of each counted glossary term equals its number of members.
local function numerals(art)
  local rows = {}
  local n_members = {}
  for _, m in ipairs(art.members or {}) do n_members[m.term] = (n_members[m.term] or 0) + 1 end
  for _, g in ipairs(art.glossary or {}) do
    if g.count ~= nil then
      local have = n_members[g.id] or 0
      rows[#rows + 1] = { id = "numeral_" .. g.id, tolerance = "exact",
        check = ("glossary numeral of %s matches its members"):format(g.term),
        arithmetic = ("%s: numeral %d, members %d"):format(g.term, g.count, have),
        result = have, expected = num(g.count),
        verdict = have == g.count and "ok" or "off" }
    end
  end
  return rows
end

-- share per year × (cycle ÷ term) = 1: everyone serves once in the cycle.
local function share_cycle(quo, rank)
  local row = { id = "share_cycle_" .. rank, tolerance = "±1e-9",
    check = ("%s: the yearly share over the whole cycle covers every cadre"):format(rank) }
  local ids = { "team_share_" .. rank, "team_cycle_" .. rank, "team_term_" .. rank }
  local err = need(quo, ids, "quotas")
  if err then return missing(row, err) end
  local s, c, t = quo[ids[1]], quo[ids[2]], quo[ids[3]]
  local years, term = c.max or amount(c), amount(t)
  local total = s.value * years / term
  row.result = total
  row.arithmetic = ("%s × (%s ÷ %s) = %s × %s ÷ %s = %s"):format(s.text, c.text, t.text,
    num(s.value), num(years), num(term), num(total))
  row.expected = "1 (all cadres, each once)"
  row.verdict = (math.abs(total - 1) <= 1e-9 and c.unit == t.unit) and "ok" or "off"
  return row
end

local function share_matches(fig, quo)
  local row = { id = "cadre_share_quota", tolerance = "±1e-9",
    check = "the figure's yearly share equals every rank's work-team quota" }
  local err = need(fig, { "cadre_share" }, "figures")
  if err then return missing(row, err) end
  local f, parts, ok = fig.cadre_share, {}, true
  for _, rank in ipairs(M.RANKS) do
    local q = quo["team_share_" .. rank]
    if q then
      parts[#parts + 1] = rank .. " " .. num(q.value)
      if type(q.value) ~= "number" or math.abs(q.value - f.value) > 1e-9 then ok = false end
    end
  end
  if #parts == 0 then return missing(row, "no quotas record 'team_share_<rank>'") end
  row.result = f.value
  row.arithmetic = ("%s = %s; %s"):format(f.text, num(f.value), table.concat(parts, ", "))
  row.expected = "the same share everywhere"
  row.verdict = ok and "ok" or "off"
  return row
end

function M.run(art)
  local fig, quo = by_id(art.figures), by_id(art.quotas)
  local rows = {
    linked_share(fig),
    per_team(fig),
    per_project(fig, "funds_per_team_project", "team_project_funds", "team_projects"),
    per_project(fig, "funds_per_linking_project", "linking_funds", "linking_projects"),
    rising(quo, "research", "research_"),
    rising(quo, "village_stay", "stay_"),
  }
  for _, r in ipairs(numerals(art)) do rows[#rows + 1] = r end
  for _, rank in ipairs(M.RANKS) do
    if quo["team_share_" .. rank] then rows[#rows + 1] = share_cycle(quo, rank) end
  end
  rows[#rows + 1] = share_matches(fig, quo)
  local ok, off = 0, 0
  for _, r in ipairs(rows) do
    if r.verdict == "ok" then ok = ok + 1 else off = off + 1 end
  end
  return { title = "Consistency", blocks = {
    { kind = "para", text = ("%d checks: %d ok, %d off. Each recomputes a relation from the "
      .. "records' parsed values; 近 (nearly) counts at its upper bound, …多/…余 (over) at "
      .. "its lower bound."):format(#rows, ok, off) },
    { kind = "table", name = "checks", caption = "Checks",
      columns = { { name = "id" }, { name = "check" }, { name = "arithmetic" },
                  { name = "result", type = "number", decimals = RESULT_DECIMALS },
                  { name = "expected" }, { name = "tolerance" },
                  { name = "verdict", status = { ok = "good", off = "bad" } } },
      rows = rows } } }
end

return M
