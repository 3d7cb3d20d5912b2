-- siqun.load_all() loads every part siqun would load on first use, so a
-- host that forks (OpenResty's init_by_lua) loads nothing at request time:
-- its list covers every module of lua/siqun but the command's and the
-- compatibility fallbacks (which siqun.compat loads at once where needed),
-- and after it a fresh state's whole tour (queries of every kind, the List
-- methods, every report in every format, the summary, a scan) loads no
-- other module.

local V = require "spec.lua_version"
local files = require "spec.helper.files"
teardown(files.cleanup)

-- Module names of lua/siqun, as require names them.
local function modules()
  local p = assert(io.popen("cd lua && find siqun -name '*.lua' | LC_ALL=C sort"))
  local out = {}
  for path in p:lines() do
    local name = path:gsub("/init%.lua$", ""):gsub("%.lua$", ""):gsub("/", ".")
    out[#out + 1] = name
  end
  p:close()
  return out
end

-- Not loaded on first use: the facade itself, what require "siqun" loads,
-- the command, and the fallbacks for older Luas.
local EAGER = { siqun = true, ["siqun.article"] = true, ["siqun.list"] = true,
                ["siqun.compat"] = true, ["siqun.compat_fallback"] = true,
                ["siqun.compat_utf8"] = true }

describe("siqun.load_all", function()
  it("names every part siqun loads on first use", function()
    local siqun = require "siqun"
    local names = {}
    for _, n in ipairs(siqun.load_all()) do names[n] = true end
    for _, m in ipairs(modules()) do
      if not EAGER[m] and not m:match("^siqun%.cli") then
        assert.is_true(names[m] == true, m .. " is not in siqun.load_all's list")
      end
    end
  end)

  it("leaves nothing to load later", function()
    local dir = files.tmpdir()
    local script = dir .. "/tour.lua"
    files.write(script, ([[
local siqun = require "siqun"
siqun.load_all()
local before = {}
for k in pairs(package.loaded) do before[k] = true end
local art = siqun.open()
local q = siqun.compile("figures where value > 100万 and unit = '元' order by value desc")
q:run(art); q:run(art)
art:query("figures group by unit select unit, count(), sum(value), avg(value) having count() > 1")
art:query("glossary where len(members) > 3 select term, len(members)")
pcall(art.query, art, "figures where vale > 1")
art.figures:filter("value > 1万"):sort("value"):map(function(f) return f.id end)
art.figures:group_by("unit")
art.glossary:get("四群").members:totable()
local report = siqun.report
for _, r in ipairs(report.list()) do
  for _, f in ipairs(report.formats()) do
    if f ~= "sqlite" then report.run(r.name, art, f) end
  end
end
siqun.write(art:query("quotas select rank, min"), "ndjson")
siqun.summary(art)
for _ in siqun.scan("近50万名干部") do end
art:close()
local new = {}
for k in pairs(package.loaded) do
  if not before[k] and k:match("^siqun") then new[#new + 1] = k end
end
table.sort(new)
io.write(table.concat(new, " "))
]]))
    local p = assert(V.popen(V.env("lua/?.lua;lua/?/init.lua;;", V.cpath .. ";;") .. " "
                             .. V.lua .. " " .. script .. " 2>&1"))
    local out = p:read("*a")
    p:close()
    assert.equal("", out)
  end)
end)
